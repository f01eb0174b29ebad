/**
 * Properties of the stages over generated records and specs (fast-check): each runs thousands
 * of cases in process. A failing case is shrunk and printed with its seed; keep it as a test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import type { Predicate, SortKey } from '../../lib/spec/types.js';
import { compileWhere } from '../../lib/stages/filter.js';
import { formatRows, type FormatOptions } from '../../lib/stages/format.js';
import { NO_STYLE } from '../../lib/stages/formats/types.js';
import { Grouping } from '../../lib/stages/group.js';
import { rowOrder } from '../../lib/stages/sort.js';
import { shapeRows } from '../../lib/stages/shape.js';
import { readPredicate } from '../../lib/spec/predicate.js';

const RUNS = 5000;
const FIELDS = ['a', 'b', 'n'] as const;

/** A value of a field: small sets, so that groups, ties and equal keys happen often. */
const value: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom('x', 'y', 'z', 'xy', '', 'Ünï', 'a,b', 'say "hi"', 'two\nlines'),
  fc.constant(null),
  fc.boolean(),
);

/** A record: each field present or not (missing is not null). */
const record: fc.Arbitrary<Row> = fc.record({ a: value, b: value, n: fc.integer({ min: -1000, max: 1000 }) }, { requiredKeys: [] }) as fc.Arbitrary<Row>;
const records = fc.array(record, { maxLength: 40 });

const predicate: fc.Arbitrary<Predicate> = fc
  .record({
    field: fc.constantFrom(...FIELDS),
    op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'regex', 'exists', 'not_exists'),
    value,
    list: fc.array(value, { maxLength: 3 }),
    caseInsensitive: fc.boolean(),
  })
  .map(({ field, op, value: v, list, caseInsensitive }) => {
    const raw: Record<string, JsonValue> = { field, op };
    // Each op with a value its validator accepts (the others are spec errors, tested elsewhere).
    const scalar = typeof v === 'number' || typeof v === 'string' ? v : 0;
    if (op === 'in' || op === 'nin') raw.value = list;
    else if (op === 'regex') raw.value = typeof v === 'string' ? v.replace(/[^a-z]/gi, '') || 'x' : 'x';
    else if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') raw.value = scalar;
    else if (op === 'contains') raw.value = v === null ? 'x' : v;
    else if (op !== 'exists' && op !== 'not_exists') raw.value = v;
    if (op === 'regex' || op === 'contains') raw.case_insensitive = caseInsensitive;
    return readPredicate(raw, 'where');
  });

const sortKeys: fc.Arbitrary<SortKey[]> = fc.array(fc.record({ field: fc.constantFrom(...FIELDS), descending: fc.boolean() }), { minLength: 1, maxLength: 3 });

const options: FormatOptions = { style: NO_STYLE, width: 80, warn: () => undefined };

function group(rows: Row[], by: string[], metrics: Array<{ op: 'count' | 'sum'; field?: string; as: string }>): Row[] {
  const grouping = new Grouping({ groupBy: by, metrics: metrics.map((m) => ({ op: m.op, field: m.field, as: m.as })) });
  for (const row of rows) grouping.add(row);
  return [...grouping.rows()];
}

/** RFC 4180, enough for what the CSV formatter writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

describe('properties of the stages', () => {
  it('filtering by two predicates is filtering by one, then by the other', () => {
    fc.assert(
      fc.property(records, predicate, predicate, (rows, p, q) => {
        const both = rows.filter(compileWhere([p, q]));
        const oneThenOther = rows.filter(compileWhere([p])).filter(compileWhere([q]));
        expect(both).toEqual(oneThenOther);
      }),
      { numRuns: RUNS },
    );
  });

  it('the counts of a grouping add up to the rows grouped; sums over groups add up to the sum over all', () => {
    fc.assert(
      fc.property(records, predicate, fc.subarray([...FIELDS.slice(0, 2)]), (rows, p, by) => {
        const kept = rows.filter(compileWhere([p]));
        const groups = group(kept, by, [
          { op: 'count', as: 'count' },
          { op: 'sum', field: 'n', as: 'total' },
        ]);
        expect(groups.reduce((s, g) => s + (g.count as number), 0)).toBe(kept.length);
        const all = group(kept, [], [{ op: 'sum', field: 'n', as: 'total' }])[0]?.total;
        expect(groups.reduce((s, g) => s + (g.total as number), 0)).toBe(all);
        // One row per distinct key.
        expect(new Set(groups.map((g) => JSON.stringify(by.map((f) => g[f])))).size).toBe(groups.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('sort is stable and puts missing values last, in either direction', () => {
    fc.assert(
      fc.property(records, sortKeys, (rows, keys) => {
        const tagged = rows.map((row, i) => ({ ...row, i }));
        const sorted = shapeRows(tagged, { select: undefined, sort: keys, limit: 0 });
        const order = rowOrder(keys);
        for (let k = 1; k < sorted.length; k++) {
          const previous = sorted[k - 1] as Row;
          const current = sorted[k] as Row;
          const c = order(previous, current);
          expect(c).toBeLessThanOrEqual(0);
          if (c === 0) expect(previous.i as number).toBeLessThan(current.i as number);
        }
        const first = keys[0] as SortKey;
        const missingAt = sorted.findIndex((r) => r[first.field] === undefined || r[first.field] === null);
        if (missingAt >= 0) for (const r of sorted.slice(missingAt)) expect(r[first.field] ?? null).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it('limit with sort (top-k) is sorting everything, then cutting', () => {
    fc.assert(
      fc.property(records, sortKeys, fc.integer({ min: 1, max: 45 }), (rows, keys, limit) => {
        const tagged = rows.map((row, i) => ({ ...row, i }));
        const top = shapeRows(tagged, { select: undefined, sort: keys, limit });
        const all = shapeRows(tagged, { select: undefined, sort: keys, limit: 0 });
        expect(top).toEqual(all.slice(0, limit));
      }),
      { numRuns: RUNS },
    );
  });

  it('CSV output parses back to the same rows', () => {
    fc.assert(
      fc.property(records, (rows) => {
        const columns = [...FIELDS];
        const text = formatRows(rows, 'csv', columns, options);
        const parsed = parseCsv(text);
        expect(parsed[0]).toEqual(columns);
        const cell = (v: JsonValue | undefined): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
        expect(parsed.slice(1)).toEqual(rows.map((row) => columns.map((c) => cell(row[c]))));
      }),
      { numRuns: RUNS },
    );
  });
});
