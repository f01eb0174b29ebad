/**
 * A command's line parsed by yargs from the command's declaration: its flags become yargs
 * options, its text the help, and yargs prints --help and --version itself.
 */
import yargs, { type Argv } from 'yargs';
import pkg from '../../package.json' with { type: 'json' };
import { commandWord, flagValues, type Command, type CommandText, type Flags, type Values } from '../base/command.js';
import type { Program } from '../base/program.js';
import { asCommand, UsageError } from '../base/errors.js';
import { printText, runProgram } from '../base/program.js';
import { optionWords } from './option-words.js';

export const VERSION: string = pkg.version;

/**
 * The subcommands, one to a line, for the help of the command they belong to: a summary longer
 * than the line goes on under its own column (yargs would wrap it back to the margin).
 */
function subcommandList(commands: readonly Command[], columns: number): string {
  const indent = Math.max(...commands.map((c) => commandWord(c).length)) + 4;
  const lines = commands.map((c) => `  ${commandWord(c).padEnd(indent - 2)}${hanging(c.summary ?? '', indent, columns)}`);
  return `Commands:\n${lines.join('\n')}`;
}

/** Words laid in lines that end by `columns`, each after the first indented by `indent` spaces. */
function hanging(text: string, indent: number, columns: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** Examples and notes are laid out here rather than by yargs, whose two columns cut commands. */
function epilogue(command: Command, columns: number): string {
  const text: CommandText = command.text;
  const examples = text.examples.map(([line, meaning]) => `  ${line}\n      ${meaning}`).join('\n');
  const notes = [text.epilogue, command.subcommands ? subcommandList(command.subcommands, columns) : undefined].filter((n) => n !== undefined);
  return [`Examples:\n${examples}`, ...notes].join('\n\n');
}

function specKeys(command: Command): string {
  const keys = command.specKeys;
  return keys === undefined ? '' : `\n\nThe spec keys it reads: ${keys.join(', ')}; its flags override them.`;
}

/** Whether the words ask for the help (--help, --help=true, -h, or h among short flags: -qh), before any `--`. */
function asksHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((word) => /^--help(=|$)/.test(word) || /^-[^-]*h/.test(word));
}

/**
 * `words`: the command line. What only the help shows (the terminal's width, the examples and
 * notes) is made only when the help is asked for: asking the width makes Node's stdout stream,
 * milliseconds of a start that prints none.
 */
function parser<F extends Flags>(command: Command<F>, words: string[]): Argv {
  const help = asksHelp(words);
  const width = help && process.stdout.isTTY ? Math.min(100, process.stdout.columns || 80) : 80;
  let argv = yargs()
    .scriptName(command.name)
    .usage(`Usage: ${command.text.usage}\n\n${command.text.description}${specKeys(command)}`)
    .wrap(width)
    .parserConfiguration({
      'camel-case-expansion': false,
      'duplicate-arguments-array': true,
      'strip-aliased': true,
      'parse-positional-numbers': false,
      // Only flags declared with dashValue take one word whatever it looks like (`--sort -count`).
      'nargs-eats-options': true,
    });
  for (const [name, flag] of Object.entries(command.flags)) {
    argv = argv.option(name, {
      type: flag.type === 'boolean' ? 'boolean' : 'string',
      description: flag.help,
      ...(flag.alias === undefined ? {} : { alias: flag.alias }),
      ...(flag.dashValue === true ? { nargs: 1 } : {}),
    });
  }
  argv = argv.help('help', 'Show this help and exit').alias('help', 'h').version('version', 'Show the version and exit', VERSION);
  return help ? argv.epilogue(epilogue(command, width)) : argv;
}

export interface CommandLine<F extends Flags> {
  values: Values<F>;
  operands: string[];
}

/** `--strict=maybe`, which the parser would read as false: a switch's value is true or false. */
function checkSwitches(command: Command, argv: string[]): void {
  for (const word of argv) {
    if (word === '--') return;
    const m = /^--([^=]+)=(.*)$/s.exec(word);
    if (m === null || command.flags[m[1] as string]?.type !== 'boolean' || m[2] === 'true' || m[2] === 'false') continue;
    throw new UsageError(`--${m[1]}: "${m[2]}" is neither true nor false`, `write --${m[1]} or --no-${m[1]}`, command.name);
  }
}

/** The flags and operands of `argv`; undefined when yargs printed the help or the version. */
export async function parseCommandLine<F extends Flags>(command: Command<F>, argv: string[]): Promise<CommandLine<F> | undefined> {
  checkSwitches(command, argv);
  const { error, parsed, output } = await new Promise<{ error: Error | undefined; parsed: Record<string, unknown>; output: string }>((resolve) => {
    void parser(command, argv).parse(argv, {}, (error: Error | undefined, parsed: Record<string, unknown>, output: string) =>
      resolve({ error, parsed, output }),
    );
  });
  if (error) throw new UsageError(error.message, undefined, command.name);
  if (output !== '') {
    printText(`${output}\n`);
    return undefined;
  }
  const { help: _help, version: _version, ...given } = parsed;
  let values: Values<F>;
  try {
    values = flagValues(command.flags, given);
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(error.message, error.hint, command.name) : error;
  }
  const operands = (parsed._ as Array<string | number>).map(String);
  const max = command.maxOperands;
  if (max !== undefined && operands.length > max) throw new UsageError(`unexpected argument "${operands[max]}"`, undefined, command.name);
  return { values, operands };
}

/**
 * Runs the command a line names: a subcommand when the first operand is its word (then with the
 * other words), else `command` itself. Undefined when the help or the version was printed.
 */
export async function runLine(command: Command, line: string[], program: Program): Promise<number | undefined> {
  const { words: argv, firstOperand: at } = optionWords(command, line);
  if (command.subcommands !== undefined) {
    const word = argv[at];
    const sub = at < 0 || argv[at - 1] === '--' ? undefined : command.subcommands.find((c) => commandWord(c) === word);
    if (sub !== undefined) return runLine(sub, [...argv.slice(0, at), ...argv.slice(at + 1)], program);
  }
  const parsed = await parseCommandLine(command, argv);
  if (parsed === undefined) return undefined;
  // A usage error found in the work (a value read late) points to this command's --help.
  return asCommand(command.name, async () => command.run(parsed.values, parsed.operands, program));
}

/** An executable: its line parsed by its declaration, then its work, under the shared error handling. */
export function runCommand(command: Command, argv: string[]): Promise<void> {
  return runProgram(command.name, (program) => runLine(command, argv, program));
}

/** The exit statuses of the stages and `seq query`, for their help. */
export const STAGE_EXIT_STATUS = 'Exit status: 0 done; 1 an input could not be read, or --strict met a bad line;\n2 a usage or spec error.';
