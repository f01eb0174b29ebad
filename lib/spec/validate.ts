/**
 * Checks every key of a spec before any input is read, and names the exact place of a mistake:
 * `spec.where[1].op: unknown op "gte2"; expected one of eq, neq, ...`. The same readers check
 * the stages' flags, with the flag as the place (`--metric[0]`).
 */
import type { JsonValue } from '../jsonl/json.js';
import { isJsonObject } from '../jsonl/json.js';
import { resolveZone } from '../time/zones.js';
import { parseTime } from '../time/parse.js';
import type { TimeWindow } from './time.js';
import { SpecError } from '../base/errors.js';
import { FORMATS, METRIC_OPS, SPEC_KEYS, type Format, type GroupSpec, type Metric, type MetricOp, type SortKey, type Source, type Spec } from './types.js';
import type { Catalog, ParamInfo } from './catalog.js';
import { describe, oneOf, opOf, readFieldList, readFieldName } from './checks.js';
import { suggestion } from '../base/suggestion.js';
import { readWhere } from './predicate.js';

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
  // No op is a count, as in the seed's script.
  const op = raw.op === undefined ? 'count' : opOf(raw.op, METRIC_OPS, `${where}.op`);
  const field = raw.field === undefined ? undefined : readFieldName(raw.field, `${where}.field`);
  if (field === undefined && op !== 'count') {
    throw new SpecError(`${where}.field`, `missing; metric "${op}" needs the field it aggregates`);
  }
  const as = raw.as === undefined ? defaultAlias(op, field) : raw.as;
  if (typeof as !== 'string' || as === '') throw new SpecError(`${where}.as`, `expected a column name (a non-empty string), got ${describe(as)}`);
  // No SQL engine takes a NUL in a column's name.
  if (as.includes('\0')) throw new SpecError(`${where}.as`, `a column name cannot hold a NUL character, got ${describe(as)}`);
  return { op, field, as };
}

/** Checks metrics against each other and against the group fields: every column name once. */
export function readGroup(groupBy: string[], metrics: Metric[], groupWhere: string, metricsWhere: string): GroupSpec {
  const columns = new Map<string, string>();
  for (const [i, name] of groupBy.entries()) columns.set(name, `${groupWhere}[${i}]`);
  metrics.forEach((metric, i) => {
    const other = columns.get(metric.as);
    if (other !== undefined) {
      throw new SpecError(`${metricsWhere}[${i}].as`, `column "${metric.as}" is already taken by ${other}; give this metric another "as"`);
    }
    columns.set(metric.as, `${metricsWhere}[${i}]`);
  });
  if (metrics.length > 0) return { groupBy, metrics };
  const taken = groupBy.indexOf('count');
  if (taken >= 0) {
    throw new SpecError(
      `${groupWhere}[${taken}]`,
      `column "count" is also the default metric's; name a metric, as {"op":"count","as":"n"} (--metric count::n) does`,
    );
  }
  return { groupBy, metrics: [{ op: 'count', field: undefined, as: 'count' }] };
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
  // Past 2^53 an integer is not exact, and the SQL engines' limits end at 2^63: such a limit is refused alike everywhere.
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
    throw new SpecError(where, `expected a non-negative integer up to ${Number.MAX_SAFE_INTEGER} (0 means no limit), got ${describe(raw)}`);
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
  if (zone === undefined && raw === 'local') {
    const tz = process.env.TZ;
    const named = tz === undefined ? '/etc/localtime (TZ is not set)' : `TZ=${JSON.stringify(tz)}`;
    throw new SpecError(
      where,
      `"local" is this machine's time zone, and ${named} names none that seq knows; set TZ to an IANA name such as Europe/Paris (or, where the command takes it, name the zone with --tz)`,
    );
  }
  if (zone === undefined) {
    throw new SpecError(where, `unknown time zone "${raw}"; expected an IANA name such as UTC, Europe/Paris or America/New_York, or "local"`);
  }
  return zone;
}

/**
 * A spec's zone: "local" is kept as it is where the machine's zone is not one seq knows, so that
 * a --tz over the spec still runs it (scanSpecOf reads it again where no --tz is given).
 */
function specZone(raw: unknown): string {
  if (raw === undefined) return 'UTC';
  return raw === 'local' && resolveZone('local') === undefined ? 'local' : readZone(raw, 'spec.tz');
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
/** A project: a working folder's path, or its name (the path's last part). */
export function readProject(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new SpecError(where, `expected a project: a working folder's path or its name, got ${describe(raw)}`);
  return raw.trim().replace(/(.)\/+$/, '$1');
}

export function readWindow(since: { text: unknown; where: string } | undefined, until: { text: unknown; where: string } | undefined, zone: string): TimeWindow {
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
      if (info.choices) for (const [i, v] of value.entries()) oneOf(v, info.choices, `${where}[${i}]`, `${info.name} value`);
      return value as JsonValue;
  }
}

/**
 * The dataset's defaults with the given params over them; unknown names and wrong types refused.
 * Without a catalog, the params are taken as given (their owner checks them).
 */
/** `places`: where each param was given, where that is not `where.NAME` (a flag of its own: `--roles`). */
export function readParams(
  dataset: string,
  raw: unknown,
  where: string,
  catalog: Catalog | undefined,
  places: Readonly<Record<string, string>> = {},
): Record<string, JsonValue> {
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
      throw new SpecError(places[name] ?? `${where}.${name}`, `unknown param; ${expected}`);
    }
    result[name] = readParamValue(info, value, places[name] ?? `${where}.${name}`);
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
  const tz = specZone(raw.tz);
  // Read here to be checked; scanSpecOf reads the window it runs with, in the zone it runs in.
  readWindow(
    raw.since === undefined ? undefined : { text: raw.since, where: 'spec.since' },
    raw.until === undefined ? undefined : { text: raw.until, where: 'spec.until' },
    tz === 'local' ? 'UTC' : tz,
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
    project: raw.project === undefined ? undefined : readProject(raw.project, 'spec.project'),
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
    project: undefined,
    since: undefined,
    until: undefined,
    tz: 'UTC',
  };
}
