/**
 * The command line every executable shares: yargs set up one way, the option groups of each
 * stage (so `seq query` offers exactly the flags of the stages it chains), help and version.
 */
import yargs, { type Argv } from 'yargs';
import pkg from '../../package.json' with { type: 'json' };
import { loadSpec, type SpecSource } from '../spec/load.js';
import { emptySpec, readSpec } from '../spec/validate.js';
import type { Catalog } from '../spec/catalog.js';
import type { Spec } from '../spec/types.js';
import { UsageError } from '../base/errors.js';
import { lastString } from '../base/args.js';

export const VERSION: string = pkg.version;

export interface CommandText {
  /** `seq-filter [options] [FILE...]` */
  usage: string;
  /** What the command does, in a sentence or two. */
  description: string;
  examples: Array<[command: string, meaning: string]>;
  /** Notes after the options (semantics, exit statuses). */
  epilogue?: string;
}

function sentence(message: string): string {
  const text = message.replace(/\.$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** yargs says "Unknown argument: bogus"; a person typed --bogus. */
function unknownOptions(message: string): string | undefined {
  const match = /^Unknown arguments?: (.*)$/.exec(message);
  if (!match) return undefined;
  const names = (match[1] ?? '').split(', ').map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
  return `unknown option${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
}

/** Examples and notes are laid out here rather than by yargs, whose two columns cut commands. */
function epilogue(text: CommandText): string {
  const examples = text.examples.map(([command, meaning]) => `  ${command}\n      ${meaning}`).join('\n');
  return `Examples:\n${examples}${text.epilogue ? `\n\n${text.epilogue}` : ''}`;
}

// Options whose values may begin with "-" (`--sort -count`), which yargs would read as flags.
const DASH_VALUES = new Set(['--sort', '--limit', '-n']);

/** `--sort -count` becomes `--sort=-count`, so that a descending sort is not taken for options. */
export function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    const next = argv[i + 1];
    if (word === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (DASH_VALUES.has(word) && next !== undefined && next.startsWith('-') && next !== '--') {
      out.push(`${word}=${next}`);
      i++;
    } else {
      out.push(word);
    }
  }
  return out;
}

/** A yargs parser with the project's rules: unknown options refused, no exits, errors as UsageError. */
export function commandLine(program: string, argv: string[], text: CommandText): Argv {
  const width = process.stdout.isTTY ? Math.min(100, process.stdout.columns || 80) : 80;
  return yargs(joinDashValues(argv))
    .scriptName(program)
    .usage(`Usage: ${text.usage}\n\n${text.description}`)
    .help(false)
    .version(false)
    .exitProcess(false)
    .strictOptions()
    .wrap(width)
    .parserConfiguration({
      'camel-case-expansion': false,
      'duplicate-arguments-array': true,
      'strip-aliased': true,
      'parse-positional-numbers': false,
    })
    .option('help', { alias: 'h', type: 'boolean', description: 'Show this help and exit' })
    .option('version', { type: 'boolean', description: 'Show the version and exit' })
    .epilogue(epilogue(text))
    .fail((message: string | undefined, error: Error | undefined) => {
      const reason = message ?? error?.message ?? 'invalid command line';
      throw new UsageError(unknownOptions(reason) ?? sentence(reason));
    });
}

/** Prints help or the version when asked; true when it did (the command then stops). */
export async function helpOrVersion(parser: Argv, args: Record<string, unknown>): Promise<boolean> {
  if (args.help) {
    process.stdout.write((await parser.getHelp()) + '\n');
    return true;
  }
  if (args.version) {
    process.stdout.write(VERSION + '\n');
    return true;
  }
  return false;
}

export function addSpecOption(parser: Argv): Argv {
  return parser
    .option('spec', {
      type: 'string',
      description: 'A query spec: inline JSON, @file.json, or a path to a .json file; this stage takes only its own keys',
    })
    .option('strict', { type: 'boolean', description: 'Stop with status 1 at the first malformed input line' });
}

/** Where to read and what: the options of seq-scan other than the dataset, and of the named reports. */
export function addSourceOptions(parser: Argv): Argv {
  return parser
    .option('root', { type: 'string', description: 'A file or folder to read (repeatable); same as a positional PATH' })
    .option('source', { type: 'string', description: 'Which logs: codex, claude or auto (detected per file)' })
    .option('quiet', { alias: 'q', type: 'boolean', description: 'No progress line on the terminal during long scans' })
    .option('cache', { type: 'boolean', description: 'Reuse what earlier scans read (default; in $XDG_CACHE_HOME/seq); --no-cache reads every file afresh' })
    .option('roles', { type: 'string', description: 'Message roles to keep, comma-separated (default user,assistant)' })
    .option('skills-dir', {
      type: 'string',
      description: 'A folder whose subfolders are known skills, repeatable (default ~/.dotfiles/codex/skills, ~/.codex/skills, ~/.claude/skills)',
    });
}

/** The time window and zone: --since, --until, --tz. */
export function addWindowOptions(parser: Argv): Argv {
  return parser
    .option('since', { type: 'string', description: 'Only rows at or after this date or time (a date alone: from the start of that day)' })
    .option('until', { type: 'string', description: 'Only rows at or before this date or time (a date alone: to the end of that day)' })
    .option('tz', { type: 'string', description: 'Time zone of dates without one and of day/week/month: an IANA name or "local" (default UTC)' });
}

export function addScanOptions(parser: Argv): Argv {
  return addWindowOptions(
    addSourceOptions(
      parser
        .option('dataset', { alias: 'd', type: 'string', description: 'The dataset to scan (seq datasets lists them)' })
        .option('param', { type: 'string', description: 'A dataset param NAME=VALUE (repeatable); VALUE is JSON when it parses' }),
    ),
  );
}

/** How text output looks: --color, --width. */
export function addStyleOptions(parser: Argv): Argv {
  return parser
    .option('color', { type: 'string', description: 'Colour: auto (on a terminal without NO_COLOR), always or never' })
    .option('width', { type: 'string', description: 'Columns for charts (default: the terminal width, else 80)' });
}

/** Where a report goes and how it looks: --output, --color, --width (--format is each command's own). */
export function addOutputOptions(parser: Argv): Argv {
  return addStyleOptions(parser).option('output', { alias: 'o', type: 'string', description: 'Write to FILE (replaced only when the run succeeds) instead of stdout' });
}

export function addFilterOptions(parser: Argv): Argv {
  return parser.option('where', {
    alias: 'w',
    type: 'string',
    description: "A predicate, repeatable, all must hold: 'tokens > 1000', 'skill == tk', 'tool ~ ^mcp__', 'model in [a,b]', 'cwd exists', or JSON",
  });
}

export function addGroupOptions(parser: Argv): Argv {
  return parser
    .option('by', { alias: 'b', type: 'string', description: 'Fields to group by, comma-separated (dotted paths allowed)' })
    .option('metric', {
      alias: 'm',
      type: 'string',
      description: 'OP[:FIELD[:NAME]], repeatable; OP is count, sum, min, max, avg or count_distinct (default: count)',
    });
}

export function addFormatOptions(parser: Argv): Argv {
  return addStyleOptions(parser)
    .option('select', { alias: 's', type: 'string', description: 'Fields to keep, in this order, comma-separated' })
    .option('sort', { type: 'string', description: 'Fields to sort by, comma-separated; -FIELD descends; missing values last' })
    .option('limit', { alias: 'n', type: 'string', description: 'Keep at most N rows (0: all)' })
    .option('format', {
      alias: 'f',
      type: 'string',
      description: 'table, jsonl, json, csv, markdown or chart (default: table when grouped, else jsonl)',
    });
}

/**
 * The spec given with --spec (checked whole, before any input is read), or the empty spec.
 * `catalog`: the datasets, for a command that owns the spec's dataset and params.
 */
export function specFrom(args: Record<string, unknown>, catalog?: Catalog): { spec: Spec; source: SpecSource | undefined } {
  const argument = lastString(args.spec);
  if (argument === undefined) return { spec: emptySpec(), source: undefined };
  const source = loadSpec(argument);
  return { spec: readSpec(source.raw, catalog), source };
}

/** Positional arguments as paths (yargs gives numbers for names like 2026). */
export function positionals(args: { _: Array<string | number> }): string[] {
  return args._.map(String);
}
