/**
 * A spec's where, grouping, sort and limit as one SQL SELECT over a table of a dataset's
 * declared columns, meaning exactly what the stages mean (lib/stages/filter.ts, group.ts,
 * sort.ts), so that an engine gives the rows the stages give:
 *
 * - eq, neq, in and nin compare without coercion (1 is not "1"), a missing value equal to null;
 * - gt, gte, lt and lte compare numbers, and strings that spell numbers, as numbers, other strings
 *   as text, and nothing else;
 * - contains and regex match a value's text (missing is ""); patterns are Python's, translated
 *   so that `.` and `\s` match what they match in the stages;
 * - sums and averages add in the rows' order (a double sum depends on it); groups come in the
 *   order each was first seen, sorts are stable and put missing values last.
 *
 * Where the table has the rows' order (`row`), ties and first-seen orders follow it. What no SQL
 * engine can do the same way (a back-reference, a multi-line pattern, a text comparison with a
 * JSON column) is refused with the spec path, naming the stages as the engine that runs it.
 */
import type { FieldInfo, FieldType } from '../datasets/types.js';
import type { JsonValue } from '../jsonl/json.js';
import { stringForm, toNumber } from '../jsonl/values.js';
import type { GroupSpec, Metric, Predicate, SortKey } from '../spec/types.js';
import { JS_SPACE, re2Pattern } from './re2.js';
import { refused } from './refused.js';
import type { Dialect } from './dialects.js';

/** Each declared type's column type, per engine. Objects, arrays and values of any type are JSON text. */
export const COLUMN_TYPES: Record<Dialect, Record<FieldType, string>> = {
  duckdb: { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', object: 'JSON', array: 'JSON', any: 'JSON' },
  clickhouse: {
    string: 'Nullable(String)',
    integer: 'Nullable(Int64)',
    number: 'Nullable(Float64)',
    boolean: 'Nullable(Bool)',
    object: 'Nullable(String)',
    array: 'Nullable(String)',
    any: 'Nullable(String)',
  },
};

/** What differs between the engines' SQL: each function writes one piece of it. */
interface Spelling {
  text(value: string): string;
  /** Whether the pattern (RE2) matches the whole text, or somewhere in it. */
  fullMatch(text: string, pattern: string): string;
  search(text: string, pattern: string): string;
  replaceAll(text: string, pattern: string): string;
  /** A text as a double, NULL where it is none. */
  toDouble(text: string): string;
  double(value: string): string;
  toText(value: string): string;
  isFinite(value: string): string;
  contains(text: string, needle: string): string;
  lower(text: string): string;
  /** The sum of `value` over a group's rows in their order (`row`), or in the engine's. */
  sum(value: string, row: string | undefined): string;
  /** A name (a column, a table) as the dialect quotes it. */
  name(name: string): string;
  /**
   * A row's instant in milliseconds, NULL where its timestamp does not read; for a time window
   * over a table that has no scan. `day` is null exactly where the scan could not read the time.
   */
  instantMs?(text: string, day: string): string;
}

const SPELLINGS: Record<Dialect, Spelling> = {
  duckdb: {
    // A NUL would end the literal: it is chr(0) between the pieces.
    text: (value) =>
      value
        .split('\0')
        .map((piece) => `'${piece.replaceAll("'", "''")}'`)
        .join(' || chr(0) || '),
    name: quoteName,
    fullMatch: (text, pattern) => `regexp_full_match(${text}, ${pattern})`,
    search: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
    replaceAll: (text, pattern) => `regexp_replace(${text}, ${pattern}, '', 'g')`,
    toDouble: (text) => `TRY_CAST(${text} AS DOUBLE)`,
    double: (value) => `CAST(${value} AS DOUBLE)`,
    toText: (value) => `CAST(${value} AS VARCHAR)`,
    isFinite: (value) => `isfinite(${value})`,
    contains: (text, needle) => `contains(${text}, ${needle})`,
    lower: (text) => `lower(${text})`,
    sum: (value, row) => (row === undefined ? `sum(${value})` : `sum(${value} ORDER BY ${row})`),
  },
  // ClickHouse reads backslashes in string literals as escapes; it has no ORDER BY inside an
  // aggregate, so an ordered sum folds the group's values sorted by their rows.
  clickhouse: {
    text: (value) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\0', '\\0')}'`,
    name: (name) => `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
    fullMatch: (text, pattern) => `match(${text}, concat('^(?:', ${pattern}, ')$'))`,
    search: (text, pattern) => `match(${text}, ${pattern})`,
    replaceAll: (text, pattern) => `replaceRegexpAll(${text}, ${pattern}, '')`,
    toDouble: (text) => `toFloat64OrNull(${text})`,
    double: (value) => `toFloat64(${value})`,
    toText: (value) => `toString(${value})`,
    isFinite: (value) => `isFinite(${value})`,
    contains: (text, needle) => `(position(${text}, ${needle}) > 0)`,
    lower: (text) => `lowerUTF8(${text})`,
    instantMs: (text, day) => `if(isNull(${day}), NULL, toUnixTimestamp64Milli(parseDateTime64BestEffortOrNull(${text}, 3, 'UTC')))`,
    sum: (value, row) =>
      row === undefined
        ? `sum(${value})`
        : `if(count(${value}) = 0, NULL, arrayFold((acc, v) -> acc + v.2, arraySort(v -> v.1, groupArrayIf((${row}, toFloat64(ifNull(${value}, 0))), ${value} IS NOT NULL)), toFloat64(0)))`,
  },
};

/** What the SELECT computes: the stages after the scan. */
export interface SqlQuery {
  table: string;
  fields: readonly FieldInfo[];
  where: Predicate[];
  group: GroupSpec | undefined;
  sort: SortKey[];
  limit: number;
  /** The output's columns, in order; undefined: every column. */
  select: string[] | undefined;
  /** A column that numbers the rows in their order, when the table has one. */
  row?: string;
  /** Only rows whose timestamp is at or after `sinceMs` and before `untilMs` (the scan's window), where the table was not scanned for them. */
  window?: { sinceMs?: number; untilMs?: number };
}

/** What kind of values a column holds. */
type Kind = Exclude<FieldType, 'object' | 'array' | 'any'> | 'json';

/** An output column of the SELECT: its name and what its values are. */
export interface SqlColumn {
  name: string;
  kind: Kind;
}

export interface CompiledSql {
  sql: string;
  columns: SqlColumn[];
}

function kindOf(type: FieldType): Kind {
  return type === 'object' || type === 'array' || type === 'any' ? 'json' : type;
}

export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A name as ClickHouse reads it in double quotes (its backslashes are escapes). */
export function clickhouseName(name: string): string {
  return SPELLINGS.clickhouse.name(name);
}

/** A string as a ClickHouse literal. */
export function clickhouseText(text: string): string {
  return SPELLINGS.clickhouse.text(text);
}

/** A string as a DuckDB literal. */
export function quoteText(text: string): string {
  return SPELLINGS.duckdb.text(text);
}

/** toNumber's pattern (lib/jsonl/values.ts), with its spaces spelled out. */
const NUMERIC = `^[${JS_SPACE}]*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[${JS_SPACE}]*$`;

class Compiler {
  private readonly kinds = new Map<string, Kind>();

  constructor(
    private readonly query: SqlQuery,
    private readonly say: Spelling,
  ) {
    for (const field of query.fields) this.kinds.set(field.name, kindOf(field.type));
  }

  /** A number as a literal of the same double (integers as integers). */
  private numberLiteral(n: number): string {
    if (Number.isSafeInteger(n)) return String(n);
    return this.say.double(this.say.text(String(n)));
  }

  private literal(value: JsonValue): string {
    if (typeof value === 'string') return this.say.text(value);
    if (typeof value === 'number') return this.numberLiteral(value);
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    return 'NULL';
  }

  /** A sum past the largest double is null, as in the stages. */
  finite(value: string): string {
    return `(CASE WHEN ${this.say.isFinite(value)} THEN ${value} END)`;
  }

  /**
   * What a field's column holds. A name that is no column (a typo, or a path into a JSON
   * column, which the stages walk) is refused: the stages would read it from the rows.
   */
  kind(field: string, where: string): Kind {
    const kind = this.kinds.get(field);
    if (kind === undefined)
      throw refused(where, `"${field}" is no column of ${this.query.table} (seq dataset-schema --dataset ${this.query.table} lists them)`);
    return kind;
  }

  /** A string column's number, where its text spells one a double holds (toNumber); else NULL. */
  private number(column: string): string {
    const say = this.say;
    const trimmed = say.replaceAll(column, say.text(`^[${JS_SPACE}]+|[${JS_SPACE}]+$`));
    const parsed = say.toDouble(trimmed);
    return `(CASE WHEN ${say.fullMatch(column, say.text(NUMERIC))} AND ${say.isFinite(parsed)} THEN ${parsed} END)`;
  }

  /** The value as a double where the stages read a number (sum, avg), else NULL. */
  numeric(field: string, where: string): string {
    const kind = this.kind(field, where);
    const column = this.say.name(field);
    switch (kind) {
      // The stages add doubles, so integers are added as doubles too (past 2^53 they round).
      case 'integer':
        return this.say.double(column);
      case 'number':
        return column;
      case 'string':
        return this.number(column);
      case 'boolean':
        return this.say.double('NULL');
      case 'json':
        throw refused(where, `"${field}" holds JSON values, which the stages read as numbers one by one`);
    }
  }

  /** stringForm of the value: what contains and regex match. */
  private text(field: string, where: string): string {
    const kind = this.kind(field, where);
    const column = this.say.name(field);
    switch (kind) {
      case 'string':
      case 'json':
        return `coalesce(${column}, '')`;
      case 'integer':
      case 'boolean':
        return `coalesce(${this.say.toText(column)}, '')`;
      case 'number':
        throw refused(where, `"${field}" holds fractions, whose text an engine writes otherwise than the stages`);
    }
  }

  /** `where`: the place of the field, which every refusal here is about. */
  private equal(field: string, value: JsonValue | undefined, where: string): string {
    const kind = this.kind(field, where);
    if (value === undefined || value === null) return `(${this.say.name(field)} IS NULL)`;
    if (kind === 'json') throw refused(where, `"${field}" holds JSON values, which the stages compare by content`);
    const fits =
      (kind === 'string' && typeof value === 'string') ||
      ((kind === 'integer' || kind === 'number') && typeof value === 'number') ||
      (kind === 'boolean' && typeof value === 'boolean');
    return fits ? `coalesce(${this.say.name(field)} = ${this.literal(value)}, FALSE)` : 'FALSE';
  }

  private ordered(field: string, op: string, value: JsonValue | undefined, where: string): string {
    const kind = this.kind(field, where);
    const column = this.say.name(field);
    const bound = toNumber(value ?? null);
    switch (kind) {
      case 'integer':
      case 'number':
        return bound === undefined ? 'FALSE' : `coalesce(${column} ${op} ${this.numberLiteral(bound)}, FALSE)`;
      case 'string': {
        const number = this.number(column);
        if (typeof value === 'number') return `coalesce(${number} ${op} ${this.numberLiteral(value)}, FALSE)`;
        if (typeof value !== 'string') return 'FALSE';
        const asText = `${column} ${op} ${this.say.text(value)}`;
        if (bound === undefined) return `coalesce(${asText}, FALSE)`;
        return `coalesce(CASE WHEN ${number} IS NOT NULL THEN ${number} ${op} ${this.numberLiteral(bound)} ELSE ${asText} END, FALSE)`;
      }
      case 'boolean':
        return 'FALSE';
      case 'json':
        throw refused(where, `"${field}" holds JSON values, which the stages order by kind`);
    }
  }

  predicate(p: Predicate, where: string): string {
    switch (p.op) {
      case 'eq':
        return this.equal(p.field, p.value, `${where}.field`);
      case 'neq':
        return `(NOT ${this.equal(p.field, p.value, `${where}.field`)})`;
      case 'in':
      case 'nin': {
        const options = Array.isArray(p.value) ? p.value : [];
        const any = options.length === 0 ? 'FALSE' : `(${options.map((option) => this.equal(p.field, option, `${where}.field`)).join(' OR ')})`;
        return p.op === 'in' ? any : `(NOT ${any})`;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return this.ordered(p.field, { gt: '>', gte: '>=', lt: '<', lte: '<=' }[p.op], p.value, `${where}.field`);
      case 'contains': {
        const text = this.text(p.field, `${where}.field`);
        const needle = stringForm(p.value);
        const say = this.say;
        // Both sides lowered by the engine: its lower() and JavaScript's differ (a final Σ).
        return p.caseInsensitive ? say.contains(say.lower(text), say.lower(say.text(needle))) : say.contains(text, say.text(needle));
      }
      case 'regex':
        return this.say.search(this.text(p.field, `${where}.field`), this.say.text(re2Pattern(stringForm(p.value), p.caseInsensitive, `${where}.value`)));
      case 'exists':
        this.kind(p.field, `${where}.field`);
        return `(${this.say.name(p.field)} IS NOT NULL)`;
      case 'not_exists':
        this.kind(p.field, `${where}.field`);
        return `(${this.say.name(p.field)} IS NULL)`;
    }
  }

  /** A sum in the rows' order, where the table has it: a sum of doubles depends on the order. */
  private sum(value: string): string {
    return this.say.sum(value, this.query.row === undefined ? undefined : this.say.name(this.query.row));
  }

  metric(metric: Metric, where: string): { sql: string; kind: Kind } {
    const field = metric.field ?? '';
    switch (metric.op) {
      case 'count':
        return { sql: 'count(*)', kind: 'integer' };
      case 'sum':
        return { sql: this.finite(`coalesce(${this.sum(this.numeric(field, `${where}.field`))}, 0)`), kind: 'number' };
      case 'sum_strict': {
        // Null where a row's value is no number, as in the stages.
        const value = this.numeric(field, `${where}.field`);
        return { sql: this.finite(`(CASE WHEN count(*) = count(${value}) THEN coalesce(${this.sum(value)}, 0) END)`), kind: 'number' };
      }
      case 'avg': {
        const value = this.numeric(field, `${where}.field`);
        return { sql: this.finite(`${this.sum(value)} / count(${value})`), kind: 'number' };
      }
      case 'min':
      case 'max': {
        const kind = this.kind(field, `${where}.field`);
        if (kind === 'json') throw refused(`${where}.field`, `"${field}" holds JSON values, which the stages order by kind`);
        return { sql: `${metric.op}(${this.say.name(field)})`, kind };
      }
      case 'count_distinct': {
        const kind = this.kind(field, `${where}.field`);
        if (kind === 'json') throw refused(`${where}.field`, `"${field}" holds JSON values, which the stages compare by content`);
        return { sql: `count(DISTINCT ${this.say.name(field)})`, kind: 'integer' };
      }
    }
  }
}

/** The SELECT of a query, and the columns it gives. */
export function compileSql(query: SqlQuery, dialect: Dialect = 'duckdb'): CompiledSql {
  const say = SPELLINGS[dialect];
  const c = new Compiler(query, say);
  const row = query.row === undefined ? undefined : say.name(query.row);
  const conditions = query.where.map((p, i) => c.predicate(p, `where[${i}]`));
  const { sinceMs, untilMs } = query.window ?? {};
  if (sinceMs !== undefined || untilMs !== undefined) {
    if (say.instantMs === undefined) throw new Error(`compileSql: no time window in ${dialect}`);
    c.kind('timestamp', 'since');
    c.kind('day', 'since');
    const instant = say.instantMs(say.name('timestamp'), say.name('day'));
    if (sinceMs !== undefined) conditions.push(`${instant} >= ${sinceMs}`);
    if (untilMs !== undefined) conditions.push(`${instant} < ${untilMs}`);
  }
  const whereSql = conditions.length === 0 ? '' : `\nWHERE ${conditions.join('\n  AND ')}`;
  const from = `FROM ${say.name(query.table)}`;
  let columns: SqlColumn[];
  let selectList: string[];
  let groupSql = '';
  let tieBreak: string | undefined;
  if (query.group) {
    const group = query.group;
    columns = [];
    selectList = [];
    group.groupBy.forEach((field, i) => {
      const kind = c.kind(field, `group_by[${i}]`);
      if (kind === 'json') throw refused(`group_by[${i}]`, `"${field}" holds JSON values, which the stages group by content`);
      columns.push({ name: field, kind });
      selectList.push(`${say.name(field)} AS ${say.name(field)}`);
    });
    group.metrics.forEach((metric, i) => {
      const compiled = c.metric(metric, `metrics[${i}]`);
      columns.push({ name: metric.as, kind: compiled.kind });
      selectList.push(`${compiled.sql} AS ${say.name(metric.as)}`);
    });
    if (group.groupBy.length > 0) {
      groupSql = `\nGROUP BY ${group.groupBy.map((field) => say.name(field)).join(', ')}`;
      if (row !== undefined) tieBreak = `min(${row})`;
    }
  } else {
    columns = query.fields.map((field) => ({ name: field.name, kind: kindOf(field.type) }));
    selectList = columns.map((column) => say.name(column.name));
    tieBreak = row;
  }
  // A grouped row has its columns only: another sort key is missing in every row, and orders nothing.
  // A dataset's row has its fields: another name would be a path the stages walk, and is refused.
  const kinds = new Map(columns.map((column) => [column.name, column.kind]));
  const order: string[] = [];
  query.sort.forEach((key, i) => {
    const kind = query.group ? kinds.get(key.field) : c.kind(key.field, `sort[${i}]`);
    if (kind === undefined) return;
    if (kind === 'json') throw refused(`sort[${i}]`, `"${key.field}" holds JSON values, which the stages order by kind`);
    order.push(`${say.name(key.field)} ${key.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  });
  if (tieBreak !== undefined) order.push(tieBreak);
  const orderSql = order.length === 0 ? '' : `\nORDER BY ${order.join(', ')}`;
  const limitSql = query.limit > 0 ? `\nLIMIT ${query.limit}` : '';
  if (query.select !== undefined && row === undefined) {
    // A printed query gives the columns asked for; an engine's rows go on to the format stage, which
    // selects. A grouped row has its columns only (another name is null in each); a dataset's row
    // has its fields, and another name would be a path the stages walk.
    const byName = new Map(columns.map((column, i) => [column.name, selectList[i] as string]));
    selectList = query.select.map((name, i) => {
      if (!query.group) c.kind(name, `select[${i}]`);
      return byName.get(name) ?? `NULL AS ${say.name(name)}`;
    });
  }
  return { sql: `SELECT ${selectList.join(',\n  ')}\n${from}${whereSql}${groupSql}${orderSql}${limitSql}`, columns };
}
