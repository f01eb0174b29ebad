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
import { SpecError } from '../base/errors.js';
import type { FieldInfo, FieldType } from '../datasets/types.js';
import type { JsonValue } from '../jsonl/json.js';
import { stringForm, toNumber } from '../jsonl/values.js';
import type { GroupSpec, Metric, Predicate, SortKey } from '../spec/types.js';

export const DIALECTS = ['duckdb'] as const;
export type Dialect = (typeof DIALECTS)[number];

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
}

/** What kind of values a column holds; `none` for a field the dataset does not have (missing in every row). */
type Kind = Exclude<FieldType, 'object' | 'array' | 'any'> | 'json' | 'none';

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

export function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A number as a literal of the same double (integers as integers). */
function numberLiteral(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  return `CAST(${quoteText(String(n))} AS DOUBLE)`;
}

function literal(value: JsonValue): string {
  if (typeof value === 'string') return quoteText(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return 'NULL';
}

/** The characters JavaScript's `\s` matches (and Number() trims), as a class RE2 reads. */
const JS_SPACE = '\\t\\n\\x0B\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** toNumber's pattern (lib/jsonl/values.ts), with its spaces spelled out. */
const NUMERIC = `^[${JS_SPACE}]*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[${JS_SPACE}]*$`;

class Compiler {
  private readonly kinds = new Map<string, Kind>();

  constructor(private readonly query: SqlQuery) {
    for (const field of query.fields) this.kinds.set(field.name, kindOf(field.type));
  }

  kind(field: string): Kind {
    return this.kinds.get(field) ?? 'none';
  }

  column(field: string): string {
    return this.kind(field) === 'none' ? 'NULL' : quoteName(field);
  }

  /** A string column's number, where its text spells one a double holds (toNumber); else NULL. */
  private number(column: string): string {
    const trimmed = `regexp_replace(${column}, ${quoteText(`^[${JS_SPACE}]+|[${JS_SPACE}]+$`)}, '', 'g')`;
    const parsed = `TRY_CAST(${trimmed} AS DOUBLE)`;
    return `(CASE WHEN regexp_full_match(${column}, ${quoteText(NUMERIC)}) AND isfinite(${parsed}) THEN ${parsed} END)`;
  }

  /** The value as a number where the stages read one (sum, avg), else NULL. */
  numeric(field: string, where: string): string {
    const kind = this.kind(field);
    const column = this.column(field);
    switch (kind) {
      case 'integer':
      case 'number':
        return column;
      case 'string':
        return this.number(column);
      case 'boolean':
      case 'none':
        return 'CAST(NULL AS DOUBLE)';
      case 'json':
        throw refused(where, `"${field}" holds JSON values, which the stages read as numbers one by one`);
    }
  }

  /** stringForm of the value: what contains and regex match. */
  private text(field: string, where: string): string {
    const kind = this.kind(field);
    const column = this.column(field);
    switch (kind) {
      case 'string':
      case 'json':
        return `coalesce(${column}, '')`;
      case 'integer':
      case 'boolean':
        return `coalesce(CAST(${column} AS VARCHAR), '')`;
      case 'none':
        return "''";
      case 'number':
        throw refused(where, `"${field}" holds fractions, whose text an engine writes otherwise than the stages`);
    }
  }

  private equal(field: string, value: JsonValue | undefined, where: string): string {
    const kind = this.kind(field);
    if (value === undefined || value === null) return kind === 'none' ? 'TRUE' : `(${this.column(field)} IS NULL)`;
    if (kind === 'json') throw refused(where, `"${field}" holds JSON values, which the stages compare by content`);
    const fits =
      (kind === 'string' && typeof value === 'string') ||
      ((kind === 'integer' || kind === 'number') && typeof value === 'number') ||
      (kind === 'boolean' && typeof value === 'boolean');
    return fits ? `coalesce(${this.column(field)} = ${literal(value)}, FALSE)` : 'FALSE';
  }

  private ordered(field: string, op: string, value: JsonValue | undefined, where: string): string {
    const kind = this.kind(field);
    const column = this.column(field);
    const bound = toNumber(value ?? null);
    switch (kind) {
      case 'integer':
      case 'number':
        return bound === undefined ? 'FALSE' : `coalesce(${column} ${op} ${numberLiteral(bound)}, FALSE)`;
      case 'string': {
        const number = this.number(column);
        if (typeof value === 'number') return `coalesce(${number} ${op} ${numberLiteral(value)}, FALSE)`;
        if (typeof value !== 'string') return 'FALSE';
        const asText = `${column} ${op} ${quoteText(value)}`;
        if (bound === undefined) return `coalesce(${asText}, FALSE)`;
        return `coalesce(CASE WHEN ${number} IS NOT NULL THEN ${number} ${op} ${numberLiteral(bound)} ELSE ${asText} END, FALSE)`;
      }
      case 'boolean':
      case 'none':
        return 'FALSE';
      case 'json':
        throw refused(where, `"${field}" holds JSON values, which the stages order by kind`);
    }
  }

  predicate(p: Predicate, where: string): string {
    switch (p.op) {
      case 'eq':
        return this.equal(p.field, p.value, `${where}.value`);
      case 'neq':
        return `(NOT ${this.equal(p.field, p.value, `${where}.value`)})`;
      case 'in':
      case 'nin': {
        const options = Array.isArray(p.value) ? p.value : [];
        const any = options.length === 0 ? 'FALSE' : `(${options.map((option) => this.equal(p.field, option, `${where}.value`)).join(' OR ')})`;
        return p.op === 'in' ? any : `(NOT ${any})`;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return this.ordered(p.field, { gt: '>', gte: '>=', lt: '<', lte: '<=' }[p.op], p.value, `${where}.value`);
      case 'contains': {
        const text = this.text(p.field, `${where}.field`);
        const needle = stringForm(p.value);
        return p.caseInsensitive ? `contains(lower(${text}), ${quoteText(needle.toLowerCase())})` : `contains(${text}, ${quoteText(needle)})`;
      }
      case 'regex':
        return `regexp_matches(${this.text(p.field, `${where}.field`)}, ${quoteText(re2Pattern(stringForm(p.value), p.caseInsensitive, `${where}.value`))})`;
      case 'exists':
        return this.kind(p.field) === 'none' ? 'FALSE' : `(${this.column(p.field)} IS NOT NULL)`;
      case 'not_exists':
        return this.kind(p.field) === 'none' ? 'TRUE' : `(${this.column(p.field)} IS NULL)`;
    }
  }

  /** A sum in the rows' order, where the table has it: a sum of doubles depends on the order. */
  private sum(value: string): string {
    return this.query.row === undefined ? `sum(${value})` : `sum(${value} ORDER BY ${quoteName(this.query.row)})`;
  }

  metric(metric: Metric, where: string): { sql: string; kind: Kind } {
    const field = metric.field ?? '';
    switch (metric.op) {
      case 'count':
        return { sql: 'count(*)', kind: 'integer' };
      case 'sum':
        return { sql: finite(`coalesce(CAST(${this.sum(this.numeric(field, `${where}.field`))} AS DOUBLE), 0)`), kind: 'number' };
      case 'avg': {
        const value = this.numeric(field, `${where}.field`);
        return { sql: finite(`CAST(${this.sum(value)} AS DOUBLE) / count(${value})`), kind: 'number' };
      }
      case 'min':
      case 'max': {
        const kind = this.kind(field);
        if (kind === 'json') throw refused(`${where}.field`, `"${field}" holds JSON values, which the stages order by kind`);
        return { sql: `${metric.op}(${this.column(field)})`, kind };
      }
      case 'count_distinct': {
        const kind = this.kind(field);
        if (kind === 'json') throw refused(`${where}.field`, `"${field}" holds JSON values, which the stages compare by content`);
        return { sql: `count(DISTINCT ${this.column(field)})`, kind: 'integer' };
      }
    }
  }
}

/** A sum past the largest double is null, as in the stages. */
function finite(value: string): string {
  return `(CASE WHEN isfinite(${value}) THEN ${value} END)`;
}

function refused(where: string, why: string): SpecError {
  return new SpecError(`spec.${where}`, `${why}; an SQL engine cannot give the same answer: run it with --engine stages`);
}

/**
 * A pattern in the stages' syntax (Python's, read as JavaScript reads it) in RE2's, with the same
 * meaning: `.` not matching a line end of JavaScript's, `\s` and `\S` JavaScript's spaces.
 * Multi-line patterns, back-references and look-arounds have no RE2 form and are refused.
 */
export function re2Pattern(pattern: string, caseInsensitive: boolean, where: string): string {
  let source = pattern;
  let flags = caseInsensitive ? 'i' : '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    const letters = inline[1] ?? '';
    if (letters.includes('m')) throw refused(where, 'a multi-line pattern ((?m)) treats \\r as JavaScript does');
    if (letters.includes('x')) throw refused(where, 'verbose patterns ((?x)) are not supported');
    for (const letter of ['i', 's']) if (letters.includes(letter) && !flags.includes(letter)) flags += letter;
    source = source.slice(inline[0].length);
  }
  if (/\(\?(?:[=!]|<[=!]|P=)/.test(source) || /\\[1-9]/.test(source) || /\\k</.test(source)) {
    throw refused(where, 'back-references and look-arounds have no RE2 form');
  }
  const dotAll = flags.includes('s');
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1];
      i++;
      if (next === undefined) throw refused(where, 'the pattern ends in a lone backslash');
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S') {
        if (inClass) throw refused(where, '\\S inside a class');
        out += `[^${JS_SPACE}]`;
      } else if (next === 'Z') out += '\\z';
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 1, i + 5))) {
        out += `\\x{${source.slice(i + 1, i + 5)}}`;
        i += 4;
      } else if (next === 'p' || next === 'P') throw refused(where, `\\${next} is a letter in the stages' patterns and a Unicode class in RE2's`);
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      // JavaScript's [] matches nothing and [^] anything (RE2 would read ] as a member).
      const negated = source[i + 1] === '^';
      if (source[i + (negated ? 2 : 1)] === ']') {
        out += negated ? '[\\x{0}-\\x{10FFFF}]' : '[^\\x{0}-\\x{10FFFF}]';
        i += negated ? 2 : 1;
        continue;
      }
      inClass = true;
      out += c;
      continue;
    }
    out += c === '.' && !dotAll ? '[^\\n\\r\\x{2028}\\x{2029}]' : c;
  }
  return flags === '' ? out : `(?${flags})${out}`;
}

/** The SELECT of a query, and the columns it gives. */
export function compileSql(query: SqlQuery, dialect: Dialect = 'duckdb'): CompiledSql {
  void dialect;
  const c = new Compiler(query);
  const row = query.row === undefined ? undefined : quoteName(query.row);
  const conditions = query.where.map((p, i) => c.predicate(p, `where[${i}]`));
  const whereSql = conditions.length === 0 ? '' : `\nWHERE ${conditions.join('\n  AND ')}`;
  const from = `FROM ${quoteName(query.table)}`;
  let columns: SqlColumn[];
  let selectList: string[];
  let groupSql = '';
  let tieBreak: string | undefined;
  if (query.group) {
    const group = query.group;
    columns = [];
    selectList = [];
    const keys: string[] = [];
    group.groupBy.forEach((field, i) => {
      const kind = c.kind(field);
      if (kind === 'json') throw refused(`group_by[${i}]`, `"${field}" holds JSON values, which the stages group by content`);
      columns.push({ name: field, kind });
      selectList.push(`${c.column(field)} AS ${quoteName(field)}`);
      if (kind !== 'none') keys.push(c.column(field));
    });
    group.metrics.forEach((metric, i) => {
      const compiled = c.metric(metric, `metrics[${i}]`);
      columns.push({ name: metric.as, kind: compiled.kind });
      selectList.push(`${compiled.sql} AS ${quoteName(metric.as)}`);
    });
    if (keys.length > 0) groupSql = `\nGROUP BY ${keys.join(', ')}`;
    // Group fields no row has put every row in one group, as the stages do, and no rows in none.
    else if (group.groupBy.length > 0) groupSql = '\nHAVING count(*) > 0';
    if (row !== undefined && keys.length > 0) tieBreak = `min(${row})`;
  } else {
    columns = query.fields.map((field) => ({ name: field.name, kind: kindOf(field.type) }));
    selectList = columns.map((column) => quoteName(column.name));
    tieBreak = row;
  }
  const known = new Set(columns.map((column) => column.name));
  const order = query.sort.filter((key) => known.has(key.field)).map((key) => `${quoteName(key.field)} ${key.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  if (tieBreak !== undefined) order.push(tieBreak);
  const orderSql = order.length === 0 ? '' : `\nORDER BY ${order.join(', ')}`;
  const limitSql = query.limit > 0 ? `\nLIMIT ${query.limit}` : '';
  if (query.select !== undefined && row === undefined) {
    // A printed query gives the columns asked for; an engine's rows go on to the format stage, which selects.
    const byName = new Map(columns.map((column, i) => [column.name, selectList[i] as string]));
    selectList = query.select.map((name) => byName.get(name) ?? `NULL AS ${quoteName(name)}`);
  }
  return { sql: `SELECT ${selectList.join(',\n  ')}\n${from}${whereSql}${groupSql}${orderSql}${limitSql}`, columns };
}
