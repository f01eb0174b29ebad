/**
 * The run store's schema: version 1 of Sequant's local analytics (`{version: 1, runs: [...]}`),
 * plus its optional `failureCategory`. A run is checked field by field before anything is
 * written, and only these fields can ever reach the store: no paths, code, titles or error text.
 */
import { parseTime } from '../time/parse.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../jsonl/json.js';
import { SpecError } from '../base/errors.js';
import { describe, oneOf } from '../spec/checks.js';
import { FAILURE_CATEGORIES, type FailureCategory, OUTCOMES, type Outcome, PHASES, type Phase } from './words.js';

export interface RunMetrics {
  tokensUsed: number;
  filesChanged: number;
  linesAdded: number;
  acceptanceCriteria: number;
  qaIterations: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheTokens?: number;
}

export interface MetricRun {
  id: string;
  date: string;
  issues: number[];
  phases: Phase[];
  outcome: Outcome;
  duration: number;
  model: string;
  flags: string[];
  metrics: RunMetrics;
  failureCategory?: FailureCategory;
}

export const RUN_FIELDS = ['id', 'date', 'issues', 'phases', 'outcome', 'duration', 'model', 'flags', 'metrics', 'failureCategory'] as const;
/** What the runs dataset adds to each run (from its date, flags and issues): read, checked, and never stored. */
export const DERIVED_FIELDS = ['timestamp', 'day', 'week', 'month', 'chain', 'issue_count'] as const;
export const REQUIRED_METRICS = ['tokensUsed', 'filesChanged', 'linesAdded', 'acceptanceCriteria', 'qaIterations'] as const;
export const OPTIONAL_METRICS = ['inputTokens', 'outputTokens', 'cacheTokens'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// A model name, maybe with one provider prefix and a context suffix ("opus", "claude-opus-4-6[1m]", "openai/gpt-5"): never a path.
const MODEL = /^[A-Za-z0-9][A-Za-z0-9._:+[\]-]{0,79}(\/[A-Za-z0-9][A-Za-z0-9._:+[\]-]{0,79})?$/;
// A command-line flag by its name, with at most a number ("--chain", "--max-iterations=3"): a value
// could be a key, a name or a sentence, so none other is kept.
const FLAG = /^--?[A-Za-z0-9][A-Za-z0-9-]{0,63}(=\d{1,9})?$/;

/** A date whose day and time exist, as every time is read (parseTime refuses 2026-02-30 and 25:00). */
function realDate(text: string): boolean {
  return parseTime(text, 'UTC') !== undefined;
}

function count(value: unknown, where: string): number {
  // Past 2^53 a double rounds: a count kept rounded would be another count.
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SpecError(where, `expected a non-negative integer below 2^53, got ${describe(value)}`);
  }
  return value;
}

function refuseUnknown(raw: JsonObject, known: readonly string[], where: string, what: string): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      const listed = known.filter((k) => !(DERIVED_FIELDS as readonly string[]).includes(k));
      throw new SpecError(
        `${where}.${key}`,
        `not a field of the run store (${what}: ${listed.join(', ')}); it is refused so that nothing else can reach the store`,
      );
    }
  }
}

function readMetrics(raw: unknown, where: string, stored: boolean): RunMetrics {
  if (!isJsonObject(raw)) throw new SpecError(where, `expected an object of counts, got ${describe(raw)}`);
  if (!stored) refuseUnknown(raw, [...REQUIRED_METRICS, ...OPTIONAL_METRICS], where, 'metrics fields');
  const metrics: RunMetrics = {
    tokensUsed: count(raw.tokensUsed, `${where}.tokensUsed`),
    filesChanged: count(raw.filesChanged, `${where}.filesChanged`),
    linesAdded: count(raw.linesAdded, `${where}.linesAdded`),
    acceptanceCriteria: count(raw.acceptanceCriteria, `${where}.acceptanceCriteria`),
    qaIterations: count(raw.qaIterations, `${where}.qaIterations`),
  };
  for (const key of OPTIONAL_METRICS) {
    if (raw[key] !== undefined) metrics[key] = count(raw[key], `${where}.${key}`);
  }
  return metrics;
}

/**
 * Checks one run; `where` names it in messages (`stdin:3: run.metrics.filesChanged: ...`). A run
 * already `stored` (read back for figures) may hold fields another writer kept, and flags and a
 * model written without our restrictions: what it is read for is the types the figures need.
 */
export function readRun(raw: unknown, where = 'run', stored = false): MetricRun {
  if (!isJsonObject(raw)) throw new SpecError(where, `expected a run object, got ${describe(raw)}`);
  if (!stored) refuseUnknown(raw, [...RUN_FIELDS, ...DERIVED_FIELDS], where, 'run fields');
  for (const key of stored ? [] : DERIVED_FIELDS) {
    const value = raw[key];
    const derived =
      value === undefined ||
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isInteger(value)) ||
      (typeof value === 'string' && value.length <= 40);
    if (!derived) throw new SpecError(`${where}.${key}`, `expected what the runs dataset derives (a date text, a flag or a count), got ${describe(value)}`);
  }
  if (typeof raw.id !== 'string' || !UUID.test(raw.id)) throw new SpecError(`${where}.id`, `expected a UUID, got ${describe(raw.id)}`);
  if (typeof raw.date !== 'string' || !ISO_DATE.test(raw.date) || !realDate(raw.date)) {
    throw new SpecError(`${where}.date`, `expected an ISO 8601 date and time with a zone (2026-11-21T10:00:00Z), got ${describe(raw.date)}`);
  }
  if (!Array.isArray(raw.issues) || raw.issues.length === 0)
    throw new SpecError(`${where}.issues`, `expected a non-empty list of issue numbers, got ${describe(raw.issues)}`);
  const issues = raw.issues.map((issue, i) => {
    if (typeof issue !== 'number' || !Number.isSafeInteger(issue) || issue <= 0) {
      throw new SpecError(`${where}.issues[${i}]`, `expected an issue number (a positive integer below 2^53; never a title), got ${describe(issue)}`);
    }
    return issue;
  });
  if (!Array.isArray(raw.phases)) throw new SpecError(`${where}.phases`, `expected a list of phases, got ${describe(raw.phases)}`);
  const phases = raw.phases.map((phase, i) => oneOf(phase, PHASES, `${where}.phases[${i}]`, 'phase'));
  const outcome = oneOf(raw.outcome, OUTCOMES, `${where}.outcome`, 'outcome');
  if (typeof raw.duration !== 'number' || !Number.isFinite(raw.duration) || raw.duration < 0) {
    throw new SpecError(`${where}.duration`, `expected a number of seconds, got ${describe(raw.duration)}`);
  }
  if (typeof raw.model !== 'string' || !(stored ? raw.model !== '' : MODEL.test(raw.model))) {
    throw new SpecError(`${where}.model`, `expected a model name such as opus or claude-opus-4-6, got ${describe(raw.model)}`);
  }
  if (!Array.isArray(raw.flags)) throw new SpecError(`${where}.flags`, `expected a list of flags, got ${describe(raw.flags)}`);
  const flags = raw.flags.map((flag, i) => {
    if (typeof flag !== 'string' || !(stored || FLAG.test(flag))) {
      throw new SpecError(
        `${where}.flags[${i}]`,
        `expected a flag by its name, such as --chain, with at most a number as its value (--max-iterations=3): a value could hold a key or a name, got ${describe(flag)}`,
      );
    }
    return flag;
  });
  const run: MetricRun = {
    id: raw.id.toLowerCase(),
    date: raw.date,
    issues,
    phases,
    outcome,
    duration: raw.duration,
    model: raw.model,
    flags,
    metrics: readMetrics(raw.metrics, `${where}.metrics`, stored),
  };
  // null is what the stages write for a field a row lacks (`seq query --select ... failureCategory`).
  // A stored run may name a category another writer knows; the figures count it by its name.
  const category = raw.failureCategory;
  if (stored && category !== undefined && category !== null && (typeof category !== 'string' || category === ''))
    throw new SpecError(`${where}.failureCategory`, `expected the name of a failure category, got ${describe(category)}`);
  else if (!stored && category !== undefined && category !== null)
    run.failureCategory = oneOf(category, FAILURE_CATEGORIES, `${where}.failureCategory`, 'failure category');
  return run;
}

/** The run as the store holds it: the schema's fields in the schema's order, nothing else. */
export function runObject(run: MetricRun): JsonObject {
  const metrics: JsonObject = {};
  for (const key of [...REQUIRED_METRICS, ...OPTIONAL_METRICS]) {
    const value = run.metrics[key];
    if (value !== undefined) metrics[key] = value;
  }
  const out: JsonObject = {
    id: run.id,
    date: run.date,
    issues: run.issues,
    phases: run.phases,
    outcome: run.outcome,
    duration: run.duration,
    model: run.model,
    flags: run.flags,
    metrics,
  };
  if (run.failureCategory !== undefined) out.failureCategory = run.failureCategory;
  return out satisfies Record<string, JsonValue>;
}
