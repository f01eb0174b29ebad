/**
 * The stage path is the reference: a spec run on embedded DuckDB (lib/engines) must give its
 * output byte for byte. Random specs (fast-check) over the rows of the generated examples and the
 * shared fixtures: predicates of every op with values taken from the rows (so that they match
 * some), groupings with every metric, sorts and limits; each spec run both ways in-process, on a
 * real DuckDB, the outputs compared. The CLI runs every spec in specs/ both ways
 * (test/cli/engines.test.ts).
 */
import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../lib/base/errors.js';
import { findDataset } from '../../lib/datasets/registry.js';
import type { FieldInfo } from '../../lib/datasets/types.js';
import { declaredStage } from '../../lib/engines/declared.js';
import { duckdbStage } from '../../lib/engines/duckdb.js';
import { compileSql, re2Pattern } from '../../lib/engines/sql.js';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import type { GroupSpec, Metric, Predicate, SortKey, WhereOp } from '../../lib/spec/types.js';
import { METRIC_OPS, WHERE_OPS } from '../../lib/spec/types.js';
import { filterStage } from '../../lib/stages/filter.js';
import { formatStage } from '../../lib/stages/format.js';
import { NO_STYLE } from '../../lib/stages/formats/types.js';
import { groupStage } from '../../lib/stages/group.js';
import { jsonLines, run } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const INPUTS = [generatedSessions(), ...(hasFixtures ? [FIXTURES] : [])];
const DATASETS = ['usage', 'tool_calls', 'sessions', 'messages', 'token_deltas', 'skill_mentions'];

interface Case {
  where: Predicate[];
  group: GroupSpec | undefined;
  sort: SortKey[];
  limit: number;
  select: string[] | undefined;
}

async function text(rows: Row[], stages: Transform[]): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  await pipeline([Readable.from(rows, { objectMode: true }), ...stages, sink]);
  return out;
}

function formatOf(c: Case): ReturnType<typeof formatStage> {
  return formatStage({ select: c.select, sort: c.sort, limit: c.limit, format: 'jsonl' }, { style: NO_STYLE, width: 80, warn: () => undefined });
}

async function byStages(rows: Row[], c: Case): Promise<string> {
  const stages = [...(c.where.length > 0 ? [filterStage({ where: c.where })] : []), ...(c.group ? [groupStage(c.group)] : []), formatOf(c)];
  return text(rows, stages);
}

async function byDuckDB(rows: Row[], fields: FieldInfo[], table: string, c: Case): Promise<string> {
  const engine = await duckdbStage({ table, fields, where: c.where, group: c.group, sort: c.sort, limit: c.limit, select: c.select });
  return text(rows, [declaredStage(fields, new Map()), engine, formatOf(c)]);
}

/** What the rows hold, per field: the values to draw predicates from. */
function valuesOf(rows: Row[], field: string): JsonValue[] {
  const seen = new Map<string, JsonValue>();
  for (const row of rows) {
    const value = row[field];
    if (value !== undefined) seen.set(JSON.stringify(value), value);
    if (seen.size >= 40) break;
  }
  return [...seen.values()];
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function caseFor(rows: Row[], fields: FieldInfo[]): fc.Arbitrary<Case> {
  const plain = fields.filter((f) => f.type !== 'object' && f.type !== 'array' && f.type !== 'any');
  const texts = plain.filter((f) => f.type !== 'number');
  const name = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...plain.map((f) => f.name)) }, { weight: 1, arbitrary: fc.constant('no_such_field') });
  const sample = (field: string): fc.Arbitrary<JsonValue> => {
    const values = valuesOf(rows, field);
    const other = fc.oneof(
      fc.constant(null),
      fc.integer({ min: -5, max: 100000 }),
      fc.constantFrom('', '2026-11-03', '100', ' 7 ', 'abc', '1e3'),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    return values.length === 0 ? other : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: other });
  };
  const predicate: fc.Arbitrary<Predicate> = fc.constantFrom<WhereOp>(...WHERE_OPS).chain((op) => {
    const fieldArb = op === 'contains' || op === 'regex' ? fc.constantFrom(...texts.map((f) => f.name), 'no_such_field') : name;
    return fieldArb.chain((field): fc.Arbitrary<Predicate> => {
      const value = sample(field);
      switch (op) {
        case 'exists':
        case 'not_exists':
          return fc.constant({ field, op, value: undefined, caseInsensitive: false });
        case 'in':
        case 'nin':
          return fc.array(value, { maxLength: 4 }).map((list) => ({ field, op, value: list, caseInsensitive: false }));
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          return value.filter((v) => typeof v === 'number' || typeof v === 'string').map((v) => ({ field, op, value: v, caseInsensitive: false }));
        case 'contains':
          return fc.tuple(value, fc.nat(), fc.nat(), fc.boolean()).map(([v, a, b, ci]) => {
            const s = typeof v === 'string' ? v : v === null ? '' : String(v);
            const from = s.length === 0 ? 0 : a % s.length;
            return { field, op, value: s.slice(from, from + (b % 6)), caseInsensitive: ci };
          });
        case 'regex':
          return fc
            .tuple(
              value,
              fc.nat(),
              fc.constantFrom('^', '', '(?i)', '(?s)'),
              fc.constantFrom('', '$', '.*', '.', '\\d+', '[a-z]+', '\\s', '\\S+', '\\w*'),
              fc.boolean(),
            )
            .map(([v, a, head, tail, ci]) => {
              const s = typeof v === 'string' ? v : '';
              const piece = s.slice(a % Math.max(1, s.length), (a % Math.max(1, s.length)) + 4);
              return { field, op, value: `${head}${escapeRegex(head === '(?i)' ? piece.toUpperCase() : piece)}${tail}`, caseInsensitive: ci };
            });
        default:
          return value.map((v) => ({ field, op, value: v, caseInsensitive: false }));
      }
    });
  });
  const metric = (i: number): fc.Arbitrary<Metric> =>
    fc.tuple(fc.constantFrom(...METRIC_OPS), name).map(([op, field]) => ({ op, field: op === 'count' ? undefined : field, as: `m${i}` }));
  const group: fc.Arbitrary<GroupSpec | undefined> = fc.option(
    fc
      .tuple(fc.uniqueArray(fc.constantFrom(...texts.map((f) => f.name), 'no_such_field'), { maxLength: 2 }), fc.integer({ min: 1, max: 3 }))
      .chain(([groupBy, n]) => fc.tuple(...Array.from({ length: n }, (_, i) => metric(i))).map((metrics) => ({ groupBy, metrics }))),
    { freq: 2 },
  );
  return fc.tuple(fc.array(predicate, { maxLength: 3 }), group, fc.integer({ min: 0, max: 3 }), fc.boolean()).chain(([where, g, limitPick, selectSome]) => {
    const columns = g ? [...g.groupBy, ...g.metrics.map((m) => m.as)] : fields.map((f) => f.name);
    const sort = fc.uniqueArray(
      fc.tuple(fc.constantFrom(...columns, 'no_such_field'), fc.boolean()).map(([field, descending]) => ({ field, descending })),
      { maxLength: 2, selector: (key) => key.field },
    );
    const select = selectSome ? fc.subarray(columns, { minLength: 1 }).map((s) => s as string[] | undefined) : fc.constant(undefined);
    return fc.tuple(sort, select).map(([s, sel]) => ({ where, group: g, sort: s, limit: [0, 1, 3, 10][limitPick] as number, select: sel }));
  });
}

describe('the duckdb engine gives the stages’ output byte for byte', () => {
  for (const name of DATASETS) {
    it(`${name}: random specs`, async () => {
      const dataset = findDataset(name);
      const fields = dataset?.rowFields?.({}) ?? dataset?.fields ?? [];
      const rows = jsonLines(run('seq', ['export', '--dataset', name, ...INPUTS]).stdout) as Row[];
      expect(rows.length).toBeGreaterThan(10);
      let compared = 0;
      await fc.assert(
        fc.asyncProperty(caseFor(rows, fields), async (c) => {
          try {
            compileSql({ table: name, fields, ...c, row: '__seq_row' });
          } catch (error) {
            if (error instanceof SpecError) return; // refused, with its reason (tested below)
            throw error;
          }
          const reference = await byStages(rows, c);
          expect(await byDuckDB(rows, fields, name, c)).toBe(reference);
          compared++;
        }),
        { numRuns: Number(process.env.SEQ_ENGINE_RUNS ?? 60) },
      );
      expect(compared).toBeGreaterThan(Number(process.env.SEQ_ENGINE_RUNS ?? 60) * 0.75);
    }, 120_000);
  }
});

describe('what an SQL engine cannot do the stages’ way is refused, with the place in the spec', () => {
  const fields = findDataset('runs')?.fields ?? [];
  const refusals: Array<[Predicate, RegExp]> = [
    [{ field: 'issues', op: 'eq', value: [7], caseInsensitive: false }, /spec\.where\[0\]\.value: "issues" holds JSON values/],
    [{ field: 'duration', op: 'contains', value: '3', caseInsensitive: false }, /spec\.where\[0\]\.field: "duration" holds fractions/],
    [{ field: 'model', op: 'regex', value: '(a)\\1', caseInsensitive: false }, /back-references and look-arounds/],
    [{ field: 'model', op: 'regex', value: '(?m)^a', caseInsensitive: false }, /multi-line pattern/],
    [{ field: 'model', op: 'regex', value: '\\p{L}', caseInsensitive: false }, /a letter in the stages' patterns/],
  ];
  it.each(refusals)('%j', (predicate, message) => {
    expect(() => compileSql({ table: 'runs', fields, where: [predicate], group: undefined, sort: [], limit: 0, select: undefined })).toThrow(message);
  });

  it("translates the stages' pattern syntax into RE2's", () => {
    expect(re2Pattern('a.b', false, 'x')).toBe('a[^\\n\\r\\x{2028}\\x{2029}]b');
    expect(re2Pattern('(?s)a.b', false, 'x')).toBe('(?s)a.b');
    expect(re2Pattern('(?P<word>\\w+)\\Z', true, 'x')).toBe('(?i)(?P<word>\\w+)\\z');
    expect(re2Pattern('[]x[^]', false, 'x')).toBe('[^\\x{0}-\\x{10FFFF}]x[\\x{0}-\\x{10FFFF}]');
    expect(re2Pattern('\\u00e9', false, 'x')).toBe('\\x{00e9}');
  });
});
