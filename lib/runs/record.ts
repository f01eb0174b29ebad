/**
 * What seq-record records: runs from JSON Lines, or one run from flags. Every run is checked
 * before the store is touched; one invalid run means nothing is written.
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import { readRun, type MetricRun } from './schema.js';
import { SpecError } from '../base/errors.js';
import { nodeCrypto } from '../base/builtins.js';
import { RUN_FLAGS, type RunFlags } from './flags.js';

/** Checks every run read from input; `places` are their `file:line`. */
export function readRuns(rows: Row[], places: string[]): MetricRun[] {
  return rows.map((row, i) => {
    try {
      return readRun(row, 'run');
    } catch (error) {
      if (error instanceof SpecError) throw new SpecError(`${places[i] ?? `run ${i + 1}`}: ${error.where}`, `${error.problem}; nothing was recorded`);
      throw error;
    }
  });
}

/** The flag that sets a field of the run (`run.metrics.filesChanged`: --files-changed), so that an error names what the user typed. */
function flagOf(where: string): string | undefined {
  const field =
    where
      .replace(/\[\d+\]$/, '')
      .split('.')
      .pop() ?? '';
  const name = field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.hasOwn(RUN_FLAGS, name) ? `--${name}` : undefined;
}

/** A number when the text is one a double holds exactly, else the text (so the schema reports what was typed). */
function numeric(text: string | undefined, fallback: number): JsonValue {
  if (text === undefined) return fallback;
  if (!/^\s*-?\d+(\.\d+)?\s*$/.test(text)) return text;
  const n = Number(text);
  return text.includes('.') || Number.isSafeInteger(n) ? n : text;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * One run from flags: --issues and --outcome are needed; id and date are generated when absent;
 * counts not given are 0, phases and flags empty, the model "unknown".
 */
export function runFromFlags(flags: RunFlags, now = new Date()): MetricRun {
  if (flags.issues === undefined) throw new SpecError('--issues', 'missing; give the issue numbers of the run, e.g. --issues 12,13');
  if (flags.outcome === undefined) throw new SpecError('--outcome', 'missing; give success, partial or failed');
  const raw: Record<string, JsonValue> = {
    id: flags.id ?? nodeCrypto().randomUUID(),
    date: flags.date ?? now.toISOString(),
    issues: list(flags.issues).map((issue) => numeric(issue, 0)),
    phases: list(flags.phases),
    outcome: flags.outcome,
    duration: numeric(flags.duration, 0),
    model: flags.model ?? 'unknown',
    flags: flags.flags ?? [],
    metrics: {
      tokensUsed: numeric(flags['tokens-used'], 0),
      filesChanged: numeric(flags['files-changed'], 0),
      linesAdded: numeric(flags['lines-added'], 0),
      acceptanceCriteria: numeric(flags['acceptance-criteria'], 0),
      qaIterations: numeric(flags['qa-iterations'], 0),
    },
  };
  const metrics = raw.metrics as Record<string, JsonValue>;
  if (flags['input-tokens'] !== undefined) metrics.inputTokens = numeric(flags['input-tokens'], 0);
  if (flags['output-tokens'] !== undefined) metrics.outputTokens = numeric(flags['output-tokens'], 0);
  if (flags['cache-tokens'] !== undefined) metrics.cacheTokens = numeric(flags['cache-tokens'], 0);
  if (flags['failure-category'] !== undefined) raw.failureCategory = flags['failure-category'];
  try {
    return readRun(raw, 'run');
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new SpecError(flagOf(error.where) ?? error.where, error.problem);
  }
}
