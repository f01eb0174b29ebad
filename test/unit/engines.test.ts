/**
 * The stage path is the reference: a spec run on embedded DuckDB (lib/engines), or its ClickHouse
 * SQL run on ClickHouse's engine in-process (the npm package chdb), must give its output byte for
 * byte. Random specs (fast-check) over the rows of the generated examples and the shared
 * fixtures: predicates of every op with values taken from the rows (so that they match some),
 * groupings with every metric, sorts and limits; each spec run every way in-process, the outputs
 * compared. The CLI runs every spec in specs/ both ways (test/cli/engines.test.ts).
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
import { re2Pattern } from '../../lib/engines/re2.js';
import { COLUMN_TYPES, compileSql, quoteName } from '../../lib/engines/sql.js';
import { resultRow, SELECT_SETTINGS, tableValues } from '../../lib/engines/clickhouse.js';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import type { GroupSpec, Metric, Predicate, SortKey, WhereOp } from '../../lib/spec/types.js';
import { METRIC_OPS, WHERE_OPS } from '../../lib/spec/types.js';
import { filterStage } from '../../lib/stages/filter.js';
import { formatStage } from '../../lib/stages/format.js';
import { NO_STYLE } from '../../lib/stages/formats/types.js';
import { groupStage } from '../../lib/stages/group.js';
import { chdbSession, requireChdb, type ChdbSession } from '../helpers/chdb.js';
import { jsonLines, run } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const INPUTS = [generatedSessions(), ...(hasFixtures ? [FIXTURES] : [])];
const withChdb = requireChdb();
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

/** A ClickHouse session holding the rows as the table of their dataset, numbered in their order. */
function clickhouseTable(rows: Row[], fields: FieldInfo[], table: string): ChdbSession {
  const session = chdbSession();
  const columns = [...fields.map((f) => `${quoteName(f.name)} ${COLUMN_TYPES.clickhouse[f.type]}`), `${quoteName(ROW)} Int64`];
  session.query(`CREATE TABLE ${quoteName(table)} (${columns.join(', ')}) ENGINE = Memory`);
  const lines = rows.map((row, i) => JSON.stringify([...tableValues(row, fields), i]));
  session.query(`INSERT INTO ${quoteName(table)} FORMAT JSONCompactEachRow\n${lines.join('\n')}\n`);
  return session;
}

const ROW = '__seq_row';

async function byClickHouse(session: ChdbSession, fields: FieldInfo[], table: string, c: Case): Promise<string> {
  const compiled = compileSql({ table, fields, ...c, row: ROW }, 'clickhouse');
  const out = session.query(`${compiled.sql}\n${SELECT_SETTINGS}`, 'JSONEachRow');
  const rows = out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => resultRow(JSON.parse(line) as Record<string, JsonValue>, compiled.columns));
  return text(rows, [formatOf(c)]);
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
  const name = fc.constantFrom(...plain.map((f) => f.name));
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
    const fieldArb = op === 'contains' || op === 'regex' ? fc.constantFrom(...texts.map((f) => f.name)) : name;
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
      .tuple(fc.uniqueArray(fc.constantFrom(...texts.map((f) => f.name)), { maxLength: 2 }), fc.integer({ min: 1, max: 3 }))
      .chain(([groupBy, n]) => fc.tuple(...Array.from({ length: n }, (_, i) => metric(i))).map((metrics) => ({ groupBy, metrics }))),
    { freq: 2 },
  );
  return fc.tuple(fc.array(predicate, { maxLength: 3 }), group, fc.integer({ min: 0, max: 3 }), fc.boolean()).chain(([where, g, limitPick, selectSome]) => {
    const columns = g ? [...g.groupBy, ...g.metrics.map((m) => m.as)] : fields.map((f) => f.name);
    const sort = fc.uniqueArray(
      fc.tuple(fc.constantFrom(...columns, ...(g ? ['no_such_field'] : [])), fc.boolean()).map(([field, descending]) => ({ field, descending })),
      { maxLength: 2, selector: (key) => key.field },
    );
    const select = selectSome ? fc.subarray(columns, { minLength: 1 }).map((s) => s as string[] | undefined) : fc.constant(undefined);
    return fc.tuple(sort, select).map(([s, sel]) => ({ where, group: g, sort: s, limit: [0, 1, 3, 10][limitPick] as number, select: sel }));
  });
}

describe('DuckDB and ClickHouse give the stages’ output byte for byte', () => {
  for (const name of DATASETS) {
    it(`${name}: random specs`, async () => {
      const dataset = findDataset(name);
      const fields = dataset?.rowFields?.({}) ?? dataset?.fields ?? [];
      const rows = jsonLines(run('seq', ['export', '--dataset', name, ...INPUTS]).stdout) as Row[];
      expect(rows.length).toBeGreaterThan(10);
      const clickhouse = withChdb ? clickhouseTable(rows, fields, name) : undefined;
      let compared = 0;
      try {
        await fc.assert(
          fc.asyncProperty(caseFor(rows, fields), async (c) => {
            try {
              compileSql({ table: name, fields, ...c, row: ROW });
            } catch (error) {
              if (error instanceof SpecError) return; // refused, with its reason (tested below)
              throw error;
            }
            const reference = await byStages(rows, c);
            expect(await byDuckDB(rows, fields, name, c)).toBe(reference);
            if (clickhouse) expect(await byClickHouse(clickhouse, fields, name, c)).toBe(reference);
            compared++;
          }),
          { numRuns: Number(process.env.SEQ_ENGINE_RUNS ?? 60) },
        );
      } finally {
        clickhouse?.close();
      }
      expect(compared).toBeGreaterThan(Number(process.env.SEQ_ENGINE_RUNS ?? 60) * 0.75);
    }, 120_000);
  }
});

/** A spec run every way over hand-made rows: the stages' output, and each engine's. */
async function everyWay(fields: FieldInfo[], rows: Row[], c: Case): Promise<{ stages: string; duckdb: string; clickhouse: string | undefined }> {
  const stages = await byStages(rows, c);
  const duckdb = await byDuckDB(rows, fields, 't', c);
  let clickhouse: string | undefined;
  if (withChdb) {
    const session = clickhouseTable(rows, fields, 't');
    try {
      clickhouse = await byClickHouse(session, fields, 't', c);
    } finally {
      session.close();
    }
  }
  return { stages, duckdb, clickhouse };
}

describe('cases found in review, every way', () => {
  const only = (where: Predicate[]): Case => ({ where, group: undefined, sort: [], limit: 0, select: ['s'] });
  const S: FieldInfo[] = [{ name: 's', type: 'string', description: '' }];
  const strings = ['a', 'z', 'A', 'x', 'xx', 'x'.repeat(41), '\u0007', '\u0001', '\u0000', 'a]', '[', 'p', 'ab', '😀', 'x😀y', '\b', 'i-z', '-', ' ', 'Q', 'e'];
  const rows = strings.map((s) => ({ s }));
  it.each([
    ['\\a'],
    ['\\z'],
    ['\\Q'],
    ['\\e'],
    ['\\x{41}'],
    ['\\x41'],
    ['\\ud83d\\ude00'],
    ['[[:alpha:]]'],
    ['[\\b]'],
    ['[\\s-z]'],
    ['[a-\\s]'],
    ['(?<w>x)'],
    ['(?P<w>x)'],
    ['\\cA'],
    ['\\0'],
    ['\\😀'],
    ['^\\Ax\\Z'],
  ])('the pattern %s', async (pattern) => {
    const out = await everyWay(S, rows, only([{ field: 's', op: 'regex', value: pattern, caseInsensitive: false }]));
    expect(out.duckdb).toBe(out.stages);
    if (out.clickhouse !== undefined) expect(out.clickhouse).toBe(out.stages);
  });

  it('sums and averages of integers past 2^53 round as the stages round them', async () => {
    const fields: FieldInfo[] = [{ name: 'i', type: 'integer', description: '' }];
    const big = [{ i: 9007199254740991 }, { i: 2 }, { i: 1 }];
    const out = await everyWay(fields, big, {
      where: [],
      group: {
        groupBy: [],
        metrics: [
          { op: 'sum', field: 'i', as: 's' },
          { op: 'avg', field: 'i', as: 'a' },
        ],
      },
      sort: [],
      limit: 0,
      select: undefined,
    });
    expect(out.stages).toBe('{"s":9007199254740992,"a":3002399751580330.5}\n');
    expect(out.duckdb).toBe(out.stages);
    if (out.clickhouse !== undefined) expect(out.clickhouse).toBe(out.stages);
  });
});

describe('what an SQL engine cannot do the stages’ way is refused, with the place in the spec', () => {
  const fields = findDataset('runs')?.fields ?? [];
  const refusals: Array<[Predicate, RegExp]> = [
    [{ field: 'no_such_field', op: 'exists', value: undefined, caseInsensitive: false }, /spec\.where\[0\]\.field: "no_such_field" is no column of runs/],
    [{ field: 'metrics.filesChanged', op: 'gt', value: 3, caseInsensitive: false }, /"metrics\.filesChanged" is no column of runs/],
    [{ field: 'model', op: 'regex', value: 'a\\B', caseInsensitive: false }, /\\B matches inside a character/],
    [{ field: 'model', op: 'regex', value: '\\ud83d', caseInsensitive: false }, /half a character/],
    [{ field: 'model', op: 'regex', value: 'x{1001}', caseInsensitive: false }, /at most 1000 times/],
    [{ field: 'issues', op: 'eq', value: [7], caseInsensitive: false }, /spec\.where\[0\]\.field: "issues" holds JSON values/],
    [{ field: 'duration', op: 'contains', value: '3', caseInsensitive: false }, /spec\.where\[0\]\.field: "duration" holds fractions/],
    [{ field: 'model', op: 'regex', value: '(a)\\1', caseInsensitive: false }, /back-references have no RE2 form/],
    [{ field: 'model', op: 'regex', value: '(?m)^a', caseInsensitive: false }, /multi-line pattern/],
  ];
  it.each(refusals)('%j', (predicate, message) => {
    expect(() => compileSql({ table: 'runs', fields, where: [predicate], group: undefined, sort: [], limit: 0, select: undefined })).toThrow(message);
  });

  it('refuses a sort on a JSON column', () => {
    expect(() =>
      compileSql({ table: 'runs', fields, where: [], group: undefined, sort: [{ field: 'metrics', descending: false }], limit: 1, select: undefined }),
    ).toThrow(/spec\.sort\[0\]: "metrics" holds JSON values/);
  });

  it("translates the stages' pattern syntax into RE2's", () => {
    expect(re2Pattern('a.b', false, 'x')).toBe('a[^\\n\\r\\x{2028}\\x{2029}]b');
    expect(re2Pattern('(?s)a.b', false, 'x')).toBe('(?s)a.b');
    expect(re2Pattern('(?i)(?s)a.b', false, 'x')).toBe('(?is)a.b');
    expect(re2Pattern('(?P<word>\\w+)\\Z', true, 'x')).toBe('(?i)(\\w+)\\z');
    expect(re2Pattern('(?<$x>a)', false, 'x')).toBe('(a)');
    expect(re2Pattern('\\012\\08[\\01]\\0', false, 'x')).toBe('\\x{a}\\x{0}8[\\x{1}]\\x{0}');
    expect(re2Pattern('[]x[^]', false, 'x')).toBe('[^\\x{0}-\\x{10FFFF}]x[\\x{0}-\\x{10FFFF}]');
    expect(re2Pattern('\\u00e9', false, 'x')).toBe('\\x{e9}');
    expect(re2Pattern('\\a\\z[[:x]', false, 'x')).toBe('az[\\[:x]');
  });
});
