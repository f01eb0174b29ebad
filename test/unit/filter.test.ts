import { describe, expect, it } from 'vitest';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import { filterStage } from '../../lib/stages/filter.js';
import { through } from '../helpers/stages.js';
import { readPredicate } from '../../lib/spec/predicate.js';

const rows: Row[] = [
  { n: 1, tokens: 1200, tool: 'Bash', day: '2026-01-01' },
  { n: 2, tokens: '300', tool: 'mcp__gh__search', day: '2026-01-02', cwd: '/a' },
  { n: 3, tokens: 'n/a', tool: 'MCP__x', day: '2026-01-10', cwd: null },
  { n: 4, tool: 'Read', meta: { lang: 'ts', files: 3 }, tags: ['a', 'b'] },
  { n: 5, tokens: 50, tool: 'Bash', flag: true, code: '42' },
];

async function keep(predicate: Record<string, JsonValue>): Promise<number[]> {
  const out = await through<Row>(filterStage({ where: [readPredicate(predicate, 'where[0]')] }), rows);
  return out.map((row) => row.n as number);
}

describe('where ops', () => {
  it('op defaults to eq, which does not convert types', async () => {
    expect(await keep({ field: 'tool', value: 'Bash' })).toEqual([1, 5]);
    expect(await keep({ field: 'code', op: 'eq', value: 42 })).toEqual([]);
    expect(await keep({ field: 'code', op: 'eq', value: '42' })).toEqual([5]);
    expect(await keep({ field: 'flag', op: 'eq', value: 1 })).toEqual([]);
  });
  it('eq null matches missing and null fields; neq is its complement', async () => {
    expect(await keep({ field: 'cwd', op: 'eq', value: null })).toEqual([1, 3, 4, 5]);
    expect(await keep({ field: 'cwd', op: 'neq', value: null })).toEqual([2]);
    expect(await keep({ field: 'tool', op: 'neq', value: 'Bash' })).toEqual([2, 3, 4]);
  });
  it('eq compares objects by content', async () => {
    expect(await keep({ field: 'meta', op: 'eq', value: { files: 3, lang: 'ts' } })).toEqual([4]);
    expect(await keep({ field: 'tags', op: 'eq', value: ['a', 'b'] })).toEqual([4]);
  });
  it('gt/gte/lt/lte compare numbers and numeric text as numbers', async () => {
    expect(await keep({ field: 'tokens', op: 'gt', value: 100 })).toEqual([1, 2]);
    expect(await keep({ field: 'tokens', op: 'gte', value: 300 })).toEqual([1, 2]);
    // Both sides text and one not a number: compared as text, "n/a" >= "300".
    expect(await keep({ field: 'tokens', op: 'gte', value: '300' })).toEqual([1, 2, 3]);
    expect(await keep({ field: 'tokens', op: 'lt', value: 300 })).toEqual([5]);
    expect(await keep({ field: 'tokens', op: 'lte', value: 300 })).toEqual([2, 5]);
  });
  it('gt/gte/lt/lte compare text as text, and never match a missing field or a mix', async () => {
    expect(await keep({ field: 'day', op: 'gte', value: '2026-01-02' })).toEqual([2, 3]);
    expect(await keep({ field: 'day', op: 'lt', value: '2026-01-02' })).toEqual([1]);
    // "n/a" is text, 100 a number: no order between them, so no match either way.
    expect(await keep({ field: 'tokens', op: 'lt', value: 1e9 })).toEqual([1, 2, 5]);
    expect(await keep({ field: 'meta', op: 'gt', value: 0 })).toEqual([]);
  });
  it('in / nin take a list; missing is null', async () => {
    expect(await keep({ field: 'tool', op: 'in', value: ['Read', 'Bash'] })).toEqual([1, 4, 5]);
    expect(await keep({ field: 'tool', op: 'nin', value: ['Read', 'Bash'] })).toEqual([2, 3]);
    expect(await keep({ field: 'cwd', op: 'in', value: [null] })).toEqual([1, 3, 4, 5]);
    expect(await keep({ field: 'tokens', op: 'in', value: [300] })).toEqual([]);
  });
  it('contains matches the text form; missing is the empty text', async () => {
    expect(await keep({ field: 'tool', op: 'contains', value: 'mcp' })).toEqual([2]);
    expect(await keep({ field: 'tool', op: 'contains', value: 'mcp', case_insensitive: true })).toEqual([2, 3]);
    expect(await keep({ field: 'tokens', op: 'contains', value: 20 })).toEqual([1]);
    expect(await keep({ field: 'tags', op: 'contains', value: '"b"' })).toEqual([4]);
    expect(await keep({ field: 'cwd', op: 'contains', value: '' })).toEqual([1, 2, 3, 4, 5]);
  });
  it('regex searches anywhere, with case_insensitive and Python inline flags', async () => {
    expect(await keep({ field: 'tool', op: 'regex', value: '^mcp__' })).toEqual([2]);
    expect(await keep({ field: 'tool', op: 'regex', value: '^mcp__', case_insensitive: true })).toEqual([2, 3]);
    expect(await keep({ field: 'tool', op: 'regex', value: '(?i)^mcp__' })).toEqual([2, 3]);
    // Python reads each group of flags at the start, one after another.
    expect(await keep({ field: 'tool', op: 'regex', value: '(?s)(?i)^mcp__' })).toEqual([2, 3]);
    expect(await keep({ field: 'day', op: 'regex', value: '-0(?P<d>[1-2])$' })).toEqual([1, 2]);
    expect(await keep({ field: 'meta.lang', op: 'regex', value: 't' })).toEqual([4]);
  });
  it('exists / not_exists: null counts as missing', async () => {
    expect(await keep({ field: 'cwd', op: 'exists' })).toEqual([2]);
    expect(await keep({ field: 'cwd', op: 'not_exists' })).toEqual([1, 3, 4, 5]);
    expect(await keep({ field: 'meta.files', op: 'exists' })).toEqual([4]);
  });
  it('all predicates must hold', async () => {
    const where = [readPredicate({ field: 'tool', value: 'Bash' }, 'where[0]'), readPredicate({ field: 'tokens', op: 'gt', value: 100 }, 'where[1]')];
    const out = await through<Row>(filterStage({ where }), rows);
    expect(out.map((r) => r.n)).toEqual([1]);
  });
  it('no predicates keeps every record, unchanged', async () => {
    expect(await through<Row>(filterStage({ where: [] }), rows)).toEqual(rows);
  });
});
