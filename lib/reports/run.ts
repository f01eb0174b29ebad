/**
 * What every named report shares: its scan built from a spec and the common flags (roots,
 * source, since, until, tz, roles, skills-dir), the output (stdout, or a file replaced only when
 * the run succeeds), the malformed-line summary and the exit status.
 */
import { CATALOG } from '../datasets/registry.js';
import { UsageError } from '../base/errors.js';
import { formatOptions } from '../stages/format-options.js';
import type { Program } from '../base/program.js';
import type { JsonValue } from '../jsonl/json.js';
import { fileOutput, stdoutOutput } from '../jsonl/output.js';
import { InputProblems } from '../jsonl/problems.js';
import { commaList, scanSpecOf, stageFlags } from '../spec/flags.js';
import type { Format, ScanSpec } from '../spec/types.js';
import { readSpec } from '../spec/validate.js';
import type { FormatOptions } from '../stages/format.js';
import type { ScanRun } from './engine.js';
import { lastString, strings } from '../base/args.js';

export interface ReportContext {
  args: Record<string, unknown>;
  run: ScanRun;
  options: FormatOptions;
  /** The scan of a spec (as JSON), with the command line's common flags over it. */
  scan(spec: Record<string, JsonValue>): ScanSpec;
  /** --format, checked against what the report can print. */
  format<T extends Format>(allowed: readonly T[], fallback: T): T;
}

/** A report's switches that set skill_mentions params: --no-blocks, --no-dollars, ... */
export function mentionParams(args: Record<string, unknown>): Record<string, JsonValue> {
  const params: Record<string, JsonValue> = {};
  if (args.blocks === false) params.include_blocks = false;
  if (args.dollars === false) params.include_dollars = false;
  if (args['skip-dollar-in-block'] === false) params.skip_dollar_in_skill_block = false;
  if (args.dedupe === false) params.dedupe_adjacent = false;
  return params;
}

/** A non-negative whole number option (--max, --top, --sample-missing...). */
export function countOption(args: Record<string, unknown>, name: string, fallback: number): number {
  const text = lastString(args[name]);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name}: expected a whole number, got "${text}"`);
  return Number(text.trim());
}

/** A required text option (--skill, --sections). */
export function requiredText(args: Record<string, unknown>, name: string, example: string): string {
  const text = lastString(args[name]);
  if (text === undefined || text.trim() === '') throw new UsageError(`--${name} is required`, `e.g. ${example}`);
  return text.trim();
}

/** A comma-separated option, repeatable (`--sections A,B --sections C`): [A, B, C]. */
export function listOption(args: Record<string, unknown>, name: string): string[] {
  return commaList(strings(args[name])) ?? [];
}

/** A report's work: its options are checked first (a usage error then exits 2 before anything is opened), then it runs. */
export type Report = (context: ReportContext) => () => Promise<string>;

export async function runReport(program: Program, args: Record<string, unknown>, paths: string[], report: Report): Promise<number> {
  const flags = stageFlags(args);
  const outputPath = lastString(args.output);
  if (outputPath === '') throw new UsageError('--output needs a file name');
  const problems = new InputProblems(args.strict === true, program.warn);
  const context: ReportContext = {
    args,
    run: { program: program.name, problems, progress: args.quiet !== true, cache: args.cache !== false },
    options: formatOptions(args, program, outputPath !== undefined),
    scan: (spec) => scanSpecOf(readSpec(spec, CATALOG), { ...flags, dataset: undefined, format: undefined, limit: undefined }, paths, CATALOG),
    format<T extends Format>(allowed: readonly T[], fallback: T): T {
      const text = flags.format ?? fallback;
      if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--format: "${text}" is not one of ${allowed.join(', ')}`);
      return text as T;
    },
  };
  const work = report(context);
  // The output is opened before any input is read: a bad path fails at once.
  const output = outputPath === undefined ? stdoutOutput() : fileOutput(outputPath);
  let text: string;
  try {
    text = await work();
  } catch (error) {
    output.abort();
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    output.stream.on('error', reject);
    output.stream.end(text, () => resolve());
  });
  output.commit();
  for (const line of problems.summary()) program.warn(line);
  return problems.failed ? 1 : 0;
}
