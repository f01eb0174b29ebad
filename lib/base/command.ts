/**
 * A command as data: its flags (name, type, alias, help), its help text and examples, and what it
 * runs. Each flag is declared once; the parser, `--help`, `seq query --explain` and the typed
 * values a command runs with are all derived from the declaration.
 */
import type { Program } from './program.js';
import { UsageError } from './errors.js';
import { suggestion } from './suggestion.js';

export interface Flag {
  /** string: one value (the last given wins); strings: every value in order (repeatable); boolean: --x or --no-x. */
  type: 'string' | 'strings' | 'boolean';
  alias?: string;
  help: string;
  /** The value may begin with "-" (`--sort -count`): the word after the flag is always its value. */
  dashValue?: boolean;
  /** A flag that takes a value: the value `--no-NAME` gives it (`--no-color`: never); without one, `--no-NAME` is an error. */
  negated?: string;
  /** What the value may be, for shell completion: these words, or names of a kind (`seq completion`). */
  complete?: readonly string[] | CompletionKind;
}

/** Names a shell completes for a flag's value: datasets, the fields of the line's dataset, spec files, files, folders. */
export type CompletionKind = 'datasets' | 'fields' | 'specs' | 'files' | 'folders';

export type Flags = Readonly<Record<string, Flag>>;

type ValueOf<F extends Flag> = F['type'] extends 'boolean' ? boolean : F['type'] extends 'strings' ? string[] : string;

/** The values of a command's flags, each typed by its declaration; absent when not given. */
/** The word a subcommand is typed as: the last word of its name (`seq cache info`: info). */
export function commandWord(command: Command): string {
  return command.name.slice(command.name.lastIndexOf(' ') + 1);
}

export type Values<F extends Flags> = { -readonly [K in keyof F]?: ValueOf<F[K]> | undefined };

export interface CommandText {
  /** `seq-filter [options] [FILE...]` */
  usage: string;
  /** What the command does, in a sentence or two. */
  description: string;
  examples: Array<[command: string, meaning: string]>;
  /** Notes after the options (semantics, exit statuses). */
  epilogue?: string;
}

export interface Command<F extends Flags = Flags> {
  /** As a user types it: `seq-filter`, `seq query`. */
  name: string;
  /** One line for the list of `seq --help`. */
  summary?: string;
  text: CommandText;
  flags: F;
  /** The keys of a --spec the command reads (the others are checked, then left to other stages). */
  specKeys?: readonly string[];
  /** Words that are not flags: at most this many (paths are unlimited when absent). */
  maxOperands?: number;
  /** What its words that are not flags may be, for shell completion (default: files, unless maxOperands is 0). */
  operands?: readonly string[];
  /**
   * Commands typed as a word after this one (`seq query`, `seq-record run`): the first operand
   * that is one of their words runs that command with the rest; else this one runs.
   */
  subcommands?: readonly Command[];
  run(values: Values<F>, operands: string[], program: Program): Promise<number | undefined>;
}

/** A command's flags given as words, in the declaration's order: the inverse of parsing. */
export function flagWords(flags: Flags, values: Readonly<Record<string, unknown>>): string[] {
  const words: string[] = [];
  for (const [name, flag] of Object.entries(flags)) {
    const value: unknown = values[name];
    if (value === undefined) continue;
    if (flag.type === 'boolean') words.push(value === true ? `--${name}` : `--no-${name}`);
    else for (const item of Array.isArray(value) ? value : [value]) words.push(`--${name}`, String(item));
  }
  return words;
}

/**
 * Parsed option values (each possibly repeated) read by their declarations. A name that is not
 * declared is a usage error naming the flag as it was typed.
 */
export function flagValues<F extends Flags>(flags: F, parsed: Record<string, unknown>): Values<F> {
  const unknown = Object.keys(parsed).filter((key) => key !== '_' && key !== '$0' && !Object.hasOwn(flags, key));
  if (unknown.length > 0) {
    const names = unknown.map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
    const near = unknown.length === 1 && (unknown[0] as string).length > 1 ? suggestion(unknown[0] as string, Object.keys(flags), '--') : '';
    throw new UsageError(`unknown option${names.length > 1 ? 's' : ''} ${names.join(', ')}${near}`);
  }
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const given = parsed[name];
    if (given === undefined) continue;
    const list = Array.isArray(given) ? given : [given];
    if (flag.type === 'strings') values[name] = list.map(String);
    else if (flag.type === 'boolean') values[name] = list[list.length - 1] === true;
    else values[name] = String(list[list.length - 1]);
  }
  return values as Values<F>;
}
