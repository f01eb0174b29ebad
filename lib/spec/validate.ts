/**
 * Checks every key of a spec before any input is read, and names the exact place of a mistake:
 * `spec.where[1].op: unknown op "gte2"; expected one of eq, neq, ...`. The same readers check
 * the stages' flags, with the flag as the place (`--metric[0]`).
 */
import type { JsonValue } from '../jsonl/json.js';
import { isJsonObject } from '../jsonl/json.js';
import { resolveZone } from '../time/zones.js';
import { parseTime, type TimeWindow } from './time.js';
import { SpecError } from '../base/errors.js';
import {
  FORMATS,
  METRIC_OPS,
  SPEC_KEYS,
  WHERE_OPS,
  type Format,
  type GroupSpec,
  type Metric,
  type MetricOp,
  type Predicate,
  type SortKey,
  type Source,
  type Spec,
  type WhereOp,
} from './types.js';
import type { Catalog, ParamInfo } from './catalog.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Edits between two words, a swap of neighbours counting as one ("vlaue" is one from "value"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** "; did you mean X?" when one known word is close to what was written. */
export function suggestion(written: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const word of known) {
    const distance = editDistance(written.toLowerCase(), word.toLowerCase());
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(written.length / 3)) ? `; did you mean ${best}?` : '';
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string, what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `unknown ${what} "${value}"` : `expected a ${what} (a string), got ${describe(value)}`;
  const hint = typeof value === 'string' ? suggestion(value, allowed) : '';
  throw new SpecError(where, `${shown}; expected one of ${allowed.join(', ')}${hint}`);
}

export function readFieldName(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SpecError(where, `expected a field name (a non-empty string), got ${describe(value)}`);
  }
  return value;
}

/** A list of field names; a single string is read as a list of one. */
export function readFieldList(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new SpecError(where, `expected a list of field names, got ${describe(value)}`);
  const seen = new Set<string>();
  return list.map((item, i) => {
    const name = readFieldName(item, `${where}[${i}]`);
    if (seen.has(name)) throw new SpecError(`${where}[${i}]`, `"${name}" is listed twice`);
    seen.add(name);
    return name;
  });
}

const PREDICATE_KEYS = ['field', 'op', 'value', 'case_insensitive'];

/**
 * The seed's patterns are Python's: its inline flags (`(?i)`, `(?m)`, `(?s)`), named groups
 * (`(?P<n>...)`, `(?P=n)`) and `\A` / `\Z` are translated; no `u` flag, so that escapes Python
 * accepts (`\-`) stay valid.
 */
function translatePattern(pattern: string, where: string): { source: string; flags: string } {
  let source = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1(?<![\\s\\S])')
    .replace(/(^|[^\\])\\Z/g, '$1(?![\\s\\S])');
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    const letters = inline[1] ?? '';
    if (letters.includes('x')) throw new SpecError(where, 'verbose patterns ((?x)) are not supported; write the pattern without spaces and comments');
    for (const letter of ['i', 'm', 's']) if (letters.includes(letter)) flags += letter;
    source = source.slice(inline[0].length);
  }
  return { source, flags };
}

/** Compiles a `regex` predicate's pattern; an invalid pattern is a spec error, found up front. */
export function compilePattern(pattern: string, caseInsensitive: boolean, where: string): RegExp {
  const { source, flags } = translatePattern(pattern, where);
  const all = caseInsensitive && !flags.includes('i') ? flags + 'i' : flags;
  try {
    return new RegExp(source, all);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw new SpecError(where, `invalid regular expression: ${reason}`);
  }
}

export function readPredicate(raw: unknown, where: string): Predicate {
  if (!isJsonObject(raw)) throw new SpecError(where, `expected a predicate {"field", "op", "value"}, got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!PREDICATE_KEYS.includes(key)) {
      throw new SpecError(`${where}.${key}`, `unknown key; expected one of ${PREDICATE_KEYS.join(', ')}${suggestion(key, PREDICATE_KEYS)}`);
    }
  }
  if (!Object.hasOwn(raw, 'field')) throw new SpecError(`${where}.field`, 'missing; a predicate names the field it tests');
  const field = readFieldName(raw.field, `${where}.field`);
  const op: WhereOp = raw.op === undefined ? 'eq' : oneOf(raw.op, WHERE_OPS, `${where}.op`, 'op');
  const caseInsensitive = raw.case_insensitive ?? false;
  if (typeof caseInsensitive !== 'boolean') {
    throw new SpecError(`${where}.case_insensitive`, `expected true or false, got ${describe(caseInsensitive)}`);
  }
  if (caseInsensitive && op !== 'regex' && op !== 'contains') {
    throw new SpecError(`${where}.case_insensitive`, `applies to ops regex and contains, not "${op}"`);
  }
  const hasValue = Object.hasOwn(raw, 'value');
  const value = raw.value;
  switch (op) {
    case 'exists':
    case 'not_exists':
      return { field, op, value: undefined, caseInsensitive };
    case 'in':
    case 'nin':
      if (!Array.isArray(value)) {
        throw new SpecError(`${where}.value`, `op "${op}" needs a list of values, got ${hasValue ? describe(value) : 'nothing'}`);
      }
      return { field, op, value, caseInsensitive };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw new SpecError(`${where}.value`, `op "${op}" needs a number or a string, got ${hasValue ? describe(value) : 'nothing'}`);
      }
      return { field, op, value, caseInsensitive };
    case 'regex':
      if (typeof value !== 'string') {
        throw new SpecError(`${where}.value`, `op "regex" needs a pattern (a string), got ${hasValue ? describe(value) : 'nothing'}`);
      }
      compilePattern(value, caseInsensitive, `${where}.value`);
      return { field, op, value, caseInsensitive };
    case 'contains':
      if (value === undefined || value === null || typeof value === 'object') {
        throw new SpecError(`${where}.value`, `op "contains" needs a string, number or boolean, got ${hasValue ? describe(value) : 'nothing'}`);
      }
      return { field, op, value, caseInsensitive };
    default:
      if (!hasValue) throw new SpecError(`${where}.value`, `missing; op "${op}" compares the field with a value (null for a missing field)`);
      return { field, op, value: value as JsonValue, caseInsensitive };
  }
}

export function readWhere(raw: unknown, where: string): Predicate[] {
  if (!Array.isArray(raw)) throw new SpecError(where, `expected a list of predicates, got ${describe(raw)}`);
  return raw.map((item, i) => readPredicate(item, `${where}[${i}]`));
}

const METRIC_KEYS = ['op', 'field', 'as'];

export function defaultAlias(op: MetricOp, field: string | undefined): string {
  if (op === 'count') return 'count';
  return field === undefined ? op : `${op}_${field}`;
}

export function readMetric(raw: unknown, where: string): Metric {
  if (!isJsonObject(raw)) throw new SpecError(where, `expected a metric {"op", "field", "as"}, got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!METRIC_KEYS.includes(key)) {
      throw new SpecError(`${where}.${key}`, `unknown key; expected one of ${METRIC_KEYS.join(', ')}${suggestion(key, METRIC_KEYS)}`);
    }
  }
  if (!Object.hasOwn(raw, 'op')) throw new SpecError(`${where}.op`, `missing; expected one of ${METRIC_OPS.join(', ')}`);
  const op = oneOf(raw.op, METRIC_OPS, `${where}.op`, 'op');
  const field = raw.field === undefined ? undefined : readFieldName(raw.field, `${where}.field`);
  if (field === undefined && op !== 'count') {
    throw new SpecError(`${where}.field`, `missing; metric "${op}" needs the field it aggregates`);
  }
  const as = raw.as === undefined ? defaultAlias(op, field) : raw.as;
  if (typeof as !== 'string' || as === '') throw new SpecError(`${where}.as`, `expected a column name (a non-empty string), got ${describe(as)}`);
  return { op, field, as };
}

/** Checks metrics against each other and against the group fields: every column name once. */
export function readGroup(groupBy: string[], metrics: Metric[], groupWhere: string, metricsWhere: string): GroupSpec {
  const columns = new Map<string, string>();
  groupBy.forEach((name, i) => columns.set(name, `${groupWhere}[${i}]`));
  metrics.forEach((metric, i) => {
    const other = columns.get(metric.as);
    if (other !== undefined) {
      throw new SpecError(`${metricsWhere}[${i}].as`, `column "${metric.as}" is already taken by ${other}; give this metric another "as"`);
    }
    columns.set(metric.as, `${metricsWhere}[${i}]`);
  });
  return { groupBy, metrics: metrics.length > 0 ? metrics : [{ op: 'count', field: undefined, as: 'count' }] };
}

export function readMetrics(raw: unknown, where: string): Metric[] {
  if (!Array.isArray(raw)) throw new SpecError(where, `expected a list of metrics, got ${describe(raw)}`);
  return raw.map((item, i) => readMetric(item, `${where}[${i}]`));
}

/** `"-count"` or `["-count", "tool"]`: `-` sorts that field descending. */
export function readSort(raw: unknown, where: string): SortKey[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) throw new SpecError(where, `expected a field name or a list of them, got ${describe(raw)}`);
  return list.map((item, i) => {
    const place = typeof raw === 'string' ? where : `${where}[${i}]`;
    if (typeof item !== 'string') throw new SpecError(place, `expected a field name, got ${describe(item)}`);
    const descending = item.startsWith('-');
    const field = descending ? item.slice(1) : item;
    if (field.trim() === '') throw new SpecError(place, `expected a field name after "-", got ${describe(item)}`);
    return { field, descending };
  });
}

export function readLimit(raw: unknown, where: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    throw new SpecError(where, `expected a non-negative integer (0 means no limit), got ${describe(raw)}`);
  }
  return raw;
}

export function readFormat(raw: unknown, where: string): Format {
  return oneOf(raw, FORMATS, where, 'format');
}

/** An agent's name or auto: one the catalog has, or, without a catalog, any name (its owner checks it). */
export function readSource(raw: unknown, where: string, catalog: Catalog | undefined): Source {
  if (catalog !== undefined) return oneOf(raw, [...catalog.sources, 'auto'], where, 'source');
  if (typeof raw !== 'string' || raw === '') throw new SpecError(where, `expected an agent's name or auto, got ${describe(raw)}`);
  return raw;
}

export function readZone(raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw new SpecError(where, `expected a time zone name, got ${describe(raw)}`);
  const zone = resolveZone(raw);
  if (zone === undefined) {
    throw new SpecError(where, `unknown time zone "${raw}"; expected an IANA name such as UTC, Europe/Paris or America/New_York, or "local"`);
  }
  return zone;
}

export function readTimeText(raw: unknown, where: string, zone: string): { text: string; startMs: number; endMs: number } {
  if (typeof raw !== 'string') throw new SpecError(where, `expected a date or date-time text, got ${describe(raw)}`);
  const parsed = parseTime(raw, zone);
  if (!parsed) {
    throw new SpecError(where, `cannot read "${raw}" as a date or time; write 2026-01-31, 2026-01-31T14:00, or 2026-01-31T14:00:00Z`);
  }
  return { text: raw, ...parsed };
}

/** The time window of since and until (read in `zone`); an empty window is a spec error. */
export function readWindow(
  since: { text: unknown; where: string } | undefined,
  until: { text: unknown; where: string } | undefined,
  zone: string,
): TimeWindow {
  const from = since === undefined ? undefined : readTimeText(since.text, since.where, zone);
  const to = until === undefined ? undefined : readTimeText(until.text, until.where, zone);
  if (from && to && from.startMs >= to.endMs) {
    throw new SpecError(until?.where ?? 'until', `"${to.text}" is not after since "${from.text}"; the window would be empty`);
  }
  return { sinceMs: from?.startMs, untilMs: to?.endMs };
}

export function readRoots(raw: unknown, where: string): string[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) throw new SpecError(where, `expected a list of paths, got ${describe(raw)}`);
  return list.map((item, i) => {
    if (typeof item !== 'string' || item === '') throw new SpecError(`${where}[${i}]`, `expected a path, got ${describe(item)}`);
    return item;
  });
}

/** A dataset's name: one of the catalog's, or, without a catalog, any name (its owner checks it). */
export function readDatasetName(raw: unknown, where: string, catalog: Catalog | undefined): string {
  if (catalog !== undefined) return oneOf(raw, catalog.names, where, 'dataset');
  if (typeof raw !== 'string' || raw === '') throw new SpecError(where, `expected a dataset name, got ${describe(raw)}`);
  return raw;
}

function readParamValue(info: ParamInfo, value: unknown, where: string): JsonValue {
  switch (info.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new SpecError(where, `expected true or false, got ${describe(value)}`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new SpecError(where, `expected an integer, got ${describe(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new SpecError(where, `expected a string, got ${describe(value)}`);
      if (info.choices && !info.choices.includes(value)) return oneOf(value, info.choices, where, info.name);
      return value;
    case 'string[]':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw new SpecError(where, `expected a list of strings, got ${describe(value)}`);
      }
      return value as JsonValue;
  }
}

/**
 * The dataset's defaults with the given params over them; unknown names and wrong types refused.
 * Without a catalog, the params are taken as given (their owner checks them).
 */
export function readParams(dataset: string, raw: unknown, where: string, catalog: Catalog | undefined): Record<string, JsonValue> {
  if (raw !== undefined && !isJsonObject(raw)) throw new SpecError(where, `expected an object of dataset params, got ${describe(raw)}`);
  if (catalog === undefined) return { ...raw };
  const params = catalog.params(dataset) ?? [];
  const result: Record<string, JsonValue> = {};
  for (const info of params) result[info.name] = info.default;
  if (raw === undefined) return result;
  const names = params.map((p) => p.name);
  for (const [name, value] of Object.entries(raw)) {
    const info = params.find((p) => p.name === name);
    if (!info) {
      const expected = names.length > 0 ? `expected one of ${names.join(', ')}${suggestion(name, names)}` : `dataset "${dataset}" takes no params`;
      throw new SpecError(`${where}.${name}`, `unknown param; ${expected}`);
    }
    result[name] = readParamValue(info, value, `${where}.${name}`);
  }
  return result;
}

/**
 * Validates a whole spec (already parsed from JSON) into its checked, defaulted form. The
 * dataset and its params are checked against the catalog when one is given.
 */
export function readSpec(raw: unknown, catalog: Catalog | undefined): Spec {
  if (!isJsonObject(raw)) throw new SpecError('spec', `expected a JSON object, got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!(SPEC_KEYS as readonly string[]).includes(key)) {
      throw new SpecError(`spec.${key}`, `unknown key; expected one of ${SPEC_KEYS.join(', ')}${suggestion(key, SPEC_KEYS)}`);
    }
  }
  if (!Object.hasOwn(raw, 'dataset')) {
    const names = catalog === undefined ? 'name the dataset to scan' : `expected one of ${catalog.names.join(', ')}`;
    throw new SpecError('spec.dataset', `missing; ${names} (seq datasets describes them)`);
  }
  const dataset = readDatasetName(raw.dataset, 'spec.dataset', catalog);
  const tz = raw.tz === undefined ? 'UTC' : readZone(raw.tz, 'spec.tz');
  readWindow(
    raw.since === undefined ? undefined : { text: raw.since, where: 'spec.since' },
    raw.until === undefined ? undefined : { text: raw.until, where: 'spec.until' },
    tz,
  );
  const groupBy = raw.group_by === undefined ? undefined : readFieldList(raw.group_by, 'spec.group_by');
  const metrics = raw.metrics === undefined ? undefined : readMetrics(raw.metrics, 'spec.metrics');
  const grouped = groupBy !== undefined || metrics !== undefined;
  return {
    dataset,
    params: readParams(dataset, raw.params, 'spec.params', catalog),
    where: raw.where === undefined ? [] : readWhere(raw.where, 'spec.where'),
    group: grouped ? readGroup(groupBy ?? [], metrics ?? [], 'spec.group_by', 'spec.metrics') : undefined,
    select: raw.select === undefined ? undefined : readFieldList(raw.select, 'spec.select'),
    sort: raw.sort === undefined ? [] : readSort(raw.sort, 'spec.sort'),
    limit: raw.limit === undefined ? 0 : readLimit(raw.limit, 'spec.limit'),
    format: raw.format === undefined ? undefined : readFormat(raw.format, 'spec.format'),
    roots: raw.roots === undefined ? [] : readRoots(raw.roots, 'spec.roots'),
    source: raw.source === undefined ? 'auto' : readSource(raw.source, 'spec.source', catalog),
    since: raw.since as string | undefined,
    until: raw.until as string | undefined,
    tz,
  };
}

/** The spec a stage runs with when it was given no spec: its flags alone decide. */
export function emptySpec(): Spec {
  return {
    dataset: undefined,
    params: {},
    where: [],
    group: undefined,
    select: undefined,
    sort: [],
    limit: 0,
    format: undefined,
    roots: [],
    source: 'auto',
    since: undefined,
    until: undefined,
    tz: 'UTC',
  };
}
