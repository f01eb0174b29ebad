/**
 * What every named report shares: its scan built from a spec and the common flags (roots,
 * source, since, until, tz, roles, skills-dir), the output (stdout, or a file replaced only when
 * the run succeeds), the malformed-line summary and the exit status.
 */
import type { Values } from '../base/command.js';
import { UsageError } from '../base/errors.js';
import { formatOptions, outputPath } from '../stages/format-options.js';
import type { Program } from '../base/program.js';
import type { JsonValue } from '../jsonl/json.js';
import { endOutput, openOutput } from '../jsonl/output.js';
import { InputProblems } from '../jsonl/problems.js';
import type { Format, ScanSpec } from '../spec/types.js';
import { readSpec } from '../spec/validate.js';
import type { FormatOptions } from '../stages/format.js';
import type { ScanRun } from './engine.js';
import { notOneOf } from '../base/suggestion.js';
import type { ReportValues, MENTION_FLAGS } from './flags.js';
import { CATALOG } from '../datasets/registry.js';
import { commaList, scanSpecOf } from '../spec/from-flags.js';

export interface ReportContext<V extends ReportValues = ReportValues> {
  values: V;
  /** The paths given on the command line (the scans read them). */
  paths: readonly string[];
  run: ScanRun;
  options: FormatOptions;
  /** The scan of a spec (as JSON), with the command line's common flags over it. */
  scan(spec: Record<string, JsonValue>): ScanSpec;
  /** --format, checked against what the report can print. */
  format<T extends Format>(allowed: readonly T[], fallback: T): T;
}

/** The values of a report that scans skill mentions. */
export type MentionValues = ReportValues & Values<typeof MENTION_FLAGS>;

/** The skill_mentions params the switches set (--no-blocks, --no-dollars, ...). */
export function mentionParams(values: Values<typeof MENTION_FLAGS>): Record<string, JsonValue> {
  const params: Record<string, JsonValue> = {};
  if (values.blocks === false) params.include_blocks = false;
  if (values.dollars === false) params.include_dollars = false;
  if (values['skip-dollar-in-block'] === false) params.skip_dollar_in_skill_block = false;
  if (values.dedupe === false) params.dedupe_adjacent = false;
  return params;
}

/** A non-negative whole number option (--max, --top, --sample-missing...). */
export function countOption(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name}: expected a whole number, got "${text}"`);
  return Number(text.trim());
}

/**
 * A decimal option (--session-length, --interval): digits, with a fraction or not, that `valid`
 * accepts; `expected` says what it must be, `command` whose help the error points to.
 */
export function decimalOption(
  text: string | undefined,
  name: string,
  fallback: number,
  expected: string,
  valid: (value: number) => boolean,
  command?: string,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !valid(value)) throw new UsageError(`--${name}: expected ${expected}, got "${text}"`, undefined, command);
  return value;
}

/** A ranking's first `top` rows (--top): its branch's limit cuts at `top` already, but a limit of 0 is none, and --top 0 shows none. */
export function topRows<T>(rows: T[], top: number): T[] {
  return rows.slice(0, top);
}

/** A required text option (--skill, --sections). */
export function requiredText(text: string | undefined, name: string, example: string): string {
  if (text === undefined || text.trim() === '') throw new UsageError(`--${name} is required`, `e.g. ${example}`);
  return text.trim();
}

/** A comma-separated option, repeatable (`--sections A,B --sections C`): [A, B, C]. */
export function listOption(values: string[] | undefined, name: string): string[] {
  return commaList(values, `--${name}`) ?? [];
}

/** A report's work: its options are checked first (a usage error then exits 2 before anything is opened), then it runs. */
export type Report<V extends ReportValues = ReportValues> = (context: ReportContext<V>) => () => Promise<string>;

export async function runReport<V extends ReportValues>(program: Program, values: V, paths: string[], report: Report<V>): Promise<number> {
  const output = outputPath(values);
  const problems = new InputProblems(values.strict === true, program.warn);
  const context: ReportContext<V> = {
    values,
    paths,
    run: { program: program.name, problems, progress: values.quiet !== true, cache: values.cache !== false },
    options: formatOptions(values, program, output !== undefined),
    scan: (spec) => scanSpecOf(readSpec(spec, CATALOG), { ...values, format: undefined }, paths, CATALOG),
    format<T extends Format>(allowed: readonly T[], fallback: T): T {
      const text = values.format ?? fallback;
      if (!(allowed as readonly string[]).includes(text)) throw notOneOf('--format', text, allowed);
      return text as T;
    },
  };
  const work = report(context);
  // The output is opened before any input is read: a bad path fails at once.
  const out = openOutput(output);
  let text: string;
  try {
    text = await work();
  } catch (error) {
    out.abort();
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    out.stream.on('error', reject);
    out.stream.end(text, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
  endOutput(out, problems.failed, program.warn);
  for (const line of problems.summary()) program.warn(line);
  return problems.failed ? 1 : 0;
}
