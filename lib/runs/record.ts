/**
 * What seq-record records: runs from JSON Lines, or one run from flags. Every run is checked
 * before the store is touched; one invalid run means nothing is written.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue, Row } from '../jsonl/json.js';
import { readRun, type MetricRun } from './schema.js';
import { SpecError } from '../base/errors.js';

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

/** The flags of `seq-record run`, as given. */
export interface RunFlags {
  id?: string | undefined;
  date?: string | undefined;
  issues?: string | undefined;
  outcome?: string | undefined;
  phases?: string | undefined;
  duration?: string | undefined;
  model?: string | undefined;
  flags?: string[] | undefined;
  filesChanged?: string | undefined;
  linesAdded?: string | undefined;
  qaIterations?: string | undefined;
  acceptanceCriteria?: string | undefined;
  tokensUsed?: string | undefined;
  inputTokens?: string | undefined;
  outputTokens?: string | undefined;
  cacheTokens?: string | undefined;
  failureCategory?: string | undefined;
}

// Which flag sets which field, so that an error names what the user typed.
const FLAG_OF: Record<string, string> = {
  'run.id': '--id',
  'run.date': '--date',
  'run.issues': '--issues',
  'run.outcome': '--outcome',
  'run.phases': '--phases',
  'run.duration': '--duration',
  'run.model': '--model',
  'run.flags': '--flags',
  'run.metrics.filesChanged': '--files-changed',
  'run.metrics.linesAdded': '--lines-added',
  'run.metrics.qaIterations': '--qa-iterations',
  'run.metrics.acceptanceCriteria': '--acceptance-criteria',
  'run.metrics.tokensUsed': '--tokens-used',
  'run.metrics.inputTokens': '--input-tokens',
  'run.metrics.outputTokens': '--output-tokens',
  'run.metrics.cacheTokens': '--cache-tokens',
  'run.failureCategory': '--failure-category',
};

/** A number when the text is one, else the text (so the schema reports what was typed). */
function numeric(text: string | undefined, fallback: number): JsonValue {
  if (text === undefined) return fallback;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
}

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * One run from flags: --issues and --outcome are needed; id and date are generated when absent;
 * counts not given are 0, phases and flags empty, the model "unknown".
 */
export function runFromFlags(flags: RunFlags, now = new Date()): MetricRun {
  if (flags.issues === undefined) throw new SpecError('--issues', 'missing; give the issue numbers of the run, e.g. --issues 12,13');
  if (flags.outcome === undefined) throw new SpecError('--outcome', 'missing; give success, partial or failed');
  const raw: Record<string, JsonValue> = {
    id: flags.id ?? randomUUID(),
    date: flags.date ?? now.toISOString(),
    issues: list(flags.issues).map((issue) => numeric(issue, 0)),
    phases: list(flags.phases),
    outcome: flags.outcome,
    duration: numeric(flags.duration, 0),
    model: flags.model ?? 'unknown',
    flags: flags.flags ?? [],
    metrics: {
      tokensUsed: numeric(flags.tokensUsed, 0),
      filesChanged: numeric(flags.filesChanged, 0),
      linesAdded: numeric(flags.linesAdded, 0),
      acceptanceCriteria: numeric(flags.acceptanceCriteria, 0),
      qaIterations: numeric(flags.qaIterations, 0),
    },
  };
  const metrics = raw.metrics as Record<string, JsonValue>;
  if (flags.inputTokens !== undefined) metrics.inputTokens = numeric(flags.inputTokens, 0);
  if (flags.outputTokens !== undefined) metrics.outputTokens = numeric(flags.outputTokens, 0);
  if (flags.cacheTokens !== undefined) metrics.cacheTokens = numeric(flags.cacheTokens, 0);
  if (flags.failureCategory !== undefined) raw.failureCategory = flags.failureCategory;
  try {
    return readRun(raw, 'run');
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    const field = error.where.replace(/\[\d+\]$/, '');
    throw new SpecError(FLAG_OF[field] ?? error.where, error.problem);
  }
}
