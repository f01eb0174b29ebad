/**
 * `seq query --explain`: the pipe of separate executables that prints what `seq query` prints.
 * Each stage gets the same --spec and the flags it owns, so the two agree byte for byte.
 */
import type { StageFlags } from '../spec/flags.js';

const SAFE = /^[A-Za-z0-9@%_+=:,./-]+$/;

export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ExplainInput {
  spec: string | undefined;
  flags: StageFlags;
  paths: string[];
  strict: boolean;
  color: string | undefined;
  width: string | undefined;
  /** Set when seq-format could not infer the format from the spec alone (grouping came from flags). */
  format: string | undefined;
  output: string | undefined;
}

function repeated(flag: string, values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => [flag, value]);
}

function single(flag: string, value: string | undefined): string[] {
  return value === undefined ? [] : [flag, value];
}

/**
 * The pipe: seq-scan | seq-filter | seq-group | seq-format, each with the spec and its own flags.
 * Without a spec, a stage given no flags has nothing to do and is left out (seq-group would
 * refuse to run without something to group by).
 */
export function explainPipeline(input: ExplainInput): string {
  const { flags } = input;
  const common = [...single('--spec', input.spec), ...(input.strict ? ['--strict'] : [])];
  // Paths that look like options are kept apart from them, as on the seq query command line.
  const paths = input.paths.some((path) => path.startsWith('-')) ? ['--', ...input.paths] : input.paths;
  const stages: Array<string[] | undefined> = [
    [
      'seq-scan',
      ...common,
      ...single('--dataset', flags.dataset),
      ...repeated('--param', flags.param),
      ...repeated('--root', flags.root),
      ...single('--source', flags.source),
      ...single('--since', flags.since),
      ...single('--until', flags.until),
      ...single('--tz', flags.tz),
      ...repeated('--roles', flags.roles),
      ...repeated('--skills-dir', flags.skillsDir),
      ...paths,
    ],
    input.spec !== undefined || flags.where !== undefined ? ['seq-filter', ...common, ...repeated('--where', flags.where)] : undefined,
    input.spec !== undefined || flags.by !== undefined || flags.metric !== undefined
      ? ['seq-group', ...common, ...repeated('--by', flags.by), ...repeated('--metric', flags.metric)]
      : undefined,
    [
      'seq-format',
      ...common,
      ...repeated('--select', flags.select),
      ...repeated('--sort', flags.sort),
      ...single('--limit', flags.limit),
      ...single('--format', flags.format ?? input.format),
      ...single('--color', input.color),
      ...single('--width', input.width),
    ],
  ];
  const pipe = stages
    .filter((words): words is string[] => words !== undefined)
    .map((words) => words.map(shellQuote).join(' '))
    .join(' \\\n  | ');
  return input.output === undefined ? pipe : `${pipe} \\\n  > ${shellQuote(input.output)}`;
}
