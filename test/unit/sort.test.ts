import { describe, expect, it } from 'vitest';
import type { Row } from '../../lib/jsonl/json.js';
import { readSort } from '../../lib/spec/validate.js';
import { rowOrder, TopRows } from '../../lib/stages/sort.js';
import { shapeRows } from '../../lib/stages/shape.js';

const rows: Row[] = [
  { id: 1, n: 5, s: 'b' },
  { id: 2, n: null, s: 'a' },
  { id: 3, n: 5, s: 'a' },
  { id: 4, s: 'c' },
  { id: 5, n: 10, s: 'a' },
  { id: 6, n: -1, s: 'b' },
  { id: 7, n: 5, s: 'b' },
];

const ids = (list: Row[]): unknown[] => list.map((r) => r.id);

describe('sort', () => {
  it('ascends, keeps missing values last, and is stable', () => {
    expect(ids([...rows].sort(rowOrder(readSort('n', 'sort'))))).toEqual([6, 1, 3, 7, 5, 2, 4]);
  });
  it('descends with -, and still keeps missing values last', () => {
    expect(ids([...rows].sort(rowOrder(readSort('-n', 'sort'))))).toEqual([5, 1, 3, 7, 6, 2, 4]);
  });
  it('applies several keys, the first deciding first', () => {
    expect(ids([...rows].sort(rowOrder(readSort(['-n', 's'], 'sort'))))).toEqual([5, 3, 1, 7, 6, 2, 4]);
    expect(ids([...rows].sort(rowOrder(readSort(['s', '-id'], 'sort'))))).toEqual([5, 3, 2, 7, 6, 1, 4]);
  });
});

describe('TopRows (sort with limit, in bounded memory)', () => {
  it('equals sorting everything, then cutting, for every limit', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const data: Row[] = Array.from({ length: 500 }, (_, id) => ({ id, a: random() % 7, b: random() % 3 === 0 ? null : random() % 11 }));
    for (const spec of [['a'], ['-a', 'b'], ['-b'], ['b', '-a']]) {
      const order = rowOrder(readSort(spec, 'sort'));
      const sorted = [...data].sort(order);
      for (const limit of [1, 2, 10, 99, 500, 1000]) {
        const top = new TopRows(order, limit);
        for (const row of data) top.offer(row);
        expect(ids(top.rows())).toEqual(ids(sorted.slice(0, limit)));
      }
    }
  });
});

describe('sorting a history', () => {
  it('sorts half a million rows (more than a call can take as arguments)', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 500_000; i++) rows.push({ n: (i * 7919) % 500_000 });
    const sorted = shapeRows(rows, { select: undefined, sort: readSort(['n'], 'sort'), limit: 0 });
    expect(sorted.length).toBe(500_000);
    expect(sorted[0]).toEqual({ n: 0 });
    expect(sorted[499_999]).toEqual({ n: 499_999 });
  });
});
