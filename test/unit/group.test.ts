import { describe, expect, it } from 'vitest';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import { groupStage } from '../../lib/stages/group.js';
import { readGroup, readMetric } from '../../lib/spec/validate.js';
import { through } from '../helpers/stages.js';

const rows: Row[] = [
  { tool: 'Bash', tokens: 10, model: 'a', day: 'd1' },
  { tool: 'Read', tokens: '5', model: 'b', day: 'd1' },
  { tool: 'Bash', tokens: 'n/a', model: 'a', day: 'd2' },
  { tool: 'Bash', tokens: 7.5, model: 'c', day: 'd2' },
  { tool: 'Read', model: 'b', day: 'd2' },
  { tokens: 1, model: 1, day: 'd3' },
  { tool: null, tokens: 2, model: '1', day: 'd3' },
];

async function group(by: string[], metrics: Array<Record<string, JsonValue>>, input = rows): Promise<Row[]> {
  const spec = readGroup(
    by,
    metrics.map((m, i) => readMetric(m, `metrics[${i}]`)),
    'group_by',
    'metrics',
  );
  return through<Row>(groupStage(spec), input);
}

describe('seq-group metrics', () => {
  it('count is the default, with alias count; groups come in first-seen order; missing groups as null', async () => {
    expect(await group(['tool'], [])).toEqual([
      { tool: 'Bash', count: 3 },
      { tool: 'Read', count: 2 },
      { tool: null, count: 2 },
    ]);
  });
  it('sum and avg take numbers and numeric text, skip the rest', async () => {
    expect(
      await group(
        ['tool'],
        [
          { op: 'sum', field: 'tokens' },
          { op: 'avg', field: 'tokens' },
        ],
      ),
    ).toEqual([
      { tool: 'Bash', sum_tokens: 17.5, avg_tokens: 8.75 },
      { tool: 'Read', sum_tokens: 5, avg_tokens: 5 },
      { tool: null, sum_tokens: 3, avg_tokens: 1.5 },
    ]);
  });
  it('sum_strict is the sum where every row has a number, else null', async () => {
    expect(await group(['tool'], [{ op: 'sum_strict', field: 'tokens', as: 'total' }])).toEqual([
      { tool: 'Bash', total: null },
      { tool: 'Read', total: null },
      { tool: null, total: 3 },
    ]);
    expect(await group([], [{ op: 'sum_strict', field: 'tokens', as: 'total' }], [])).toEqual([{ total: 0 }]);
  });
  it('count counts rows even where the field is missing; the others skip missing values', async () => {
    // min and max compare raw values in one total order: numbers before any text ("5" is text).
    expect(
      await group(
        ['day'],
        [
          { op: 'count', field: 'tokens', as: 'n' },
          { op: 'min', field: 'tokens' },
          { op: 'max', field: 'tokens' },
        ],
      ),
    ).toEqual([
      { day: 'd1', n: 2, min_tokens: 10, max_tokens: '5' },
      { day: 'd2', n: 3, min_tokens: 7.5, max_tokens: 'n/a' },
      { day: 'd3', n: 2, min_tokens: 1, max_tokens: 2 },
    ]);
  });
  it('avg, min and max of nothing are null; sum of nothing is 0', async () => {
    expect(
      await group(
        ['tool'],
        [
          { op: 'avg', field: 'x' },
          { op: 'min', field: 'x' },
          { op: 'sum', field: 'x' },
        ],
        [{ tool: 'a' }],
      ),
    ).toEqual([{ tool: 'a', avg_x: null, min_x: null, sum_x: 0 }]);
  });
  it('count_distinct tells types apart and skips missing values', async () => {
    expect(await group(['day'], [{ op: 'count_distinct', field: 'model', as: 'models' }])).toEqual([
      { day: 'd1', models: 2 },
      { day: 'd2', models: 3 },
      { day: 'd3', models: 2 },
    ]);
  });
  it('groups by several fields and by dotted paths; the row keys are the names as written', async () => {
    const input: Row[] = [
      { m: { lang: 'ts' }, s: 'x' },
      { m: { lang: 'ts' }, s: 'y' },
      { m: { lang: 'ts' }, s: 'x' },
      { m: {}, s: 'x' },
    ];
    expect(await group(['m.lang', 's'], [], [])).toEqual([]);
    expect(await group(['m.lang', 's'], [], input)).toEqual([
      { 'm.lang': 'ts', s: 'x', count: 2 },
      { 'm.lang': 'ts', s: 'y', count: 1 },
      { 'm.lang': null, s: 'x', count: 1 },
    ]);
  });
  it('text cannot forge the key of another group', async () => {
    const input: Row[] = [
      { a: 'x\u0000sy', b: 'z' },
      { a: 'x', b: 'y\u0000sz' },
    ];
    expect(await group(['a', 'b'], [], input)).toHaveLength(2);
  });
  it('without group fields there is one row of totals, even for no input', async () => {
    expect(await group([], [{ op: 'sum', field: 'tokens' }, { op: 'count' }])).toEqual([{ sum_tokens: 25.5, count: 7 }]);
    expect(await group([], [{ op: 'sum', field: 'tokens' }, { op: 'count' }], [])).toEqual([{ sum_tokens: 0, count: 0 }]);
  });
});
