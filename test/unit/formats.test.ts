import { describe, expect, it } from 'vitest';
import type { Row } from '../../lib/jsonl/json.js';
import { formatStage, type FormatOptions } from '../../lib/stages/format.js';
import { displayWidth } from '../../lib/stages/formats/width.js';
import { ANSI_STYLE, NO_STYLE } from '../../lib/stages/formats/types.js';
import { readSort } from '../../lib/spec/validate.js';
import type { Format } from '../../lib/spec/types.js';
import { text } from '../helpers/stages.js';

const plain: FormatOptions = { style: NO_STYLE, width: 40, warn: () => undefined };

function render(rows: Row[], format: Format, extra: { select?: string[]; sort?: string[]; limit?: number } = {}, options = plain): Promise<string> {
  return text(formatStage({ select: extra.select, sort: readSort(extra.sort ?? [], 'sort'), limit: extra.limit ?? 0, format }, options), rows);
}

const groups: Row[] = [
  { tool: 'Bash', count: 12, avg: 3.14259 },
  { tool: 'mcp__gh__search', count: 3, avg: 0.0123456 },
  { tool: 'Read', count: 120, avg: null },
];

describe('displayWidth', () => {
  it('counts wide characters and emoji as two columns, marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
    expect(displayWidth('🇫🇷')).toBe(2);
    expect(displayWidth('é')).toBe(1);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('ｆｕｌｌ')).toBe(8);
  });
});

describe('table', () => {
  it('pads columns two spaces apart under a dash rule; numbers align right; fractions rounded', async () => {
    expect(await render(groups, 'table')).toBe(
      [
        'tool             count     avg',
        '---------------  -----  ------',
        'Bash                12    3.14',
        'mcp__gh__search      3  0.0123',
        'Read               120',
        '',
      ].join('\n'),
    );
  });
  it('lines up CJK and emoji by display width', async () => {
    const out = await render(
      [
        { name: '日本語', n: 1 },
        { name: 'abc', n: 22 },
        { name: '🚀 go', n: 333 },
      ],
      'table',
    );
    const rows = out.split('\n').filter((l) => l !== '');
    expect(rows.map(displayWidth)).toEqual([11, 11, 11, 11, 11]);
    expect(rows[2]).toBe('日本語    1');
    expect(rows[4]).toBe('🚀 go   333');
  });
  it('says (no results) for no rows, and escapes control characters in cells', async () => {
    expect(await render([], 'table')).toBe('(no results)\n');
    expect(await render([{ note: 'a\nb\t\u001b[31m' }], 'table')).toBe('note\n----------------\na\\nb\\t\\u001b[31m\n');
  });
  it('escapes a column name as its cells (the keys of a log name the columns of jsonl), measured as shown', async () => {
    expect(await render([{ 'we\u001bird\nkey': 1, v: 2 }], 'table')).toBe('we\\u001bird\\nkey  v\n----------------  -\n               1  2\n');
  });
  it('takes the columns from select, in its order, with every key of every row otherwise', async () => {
    expect(await render([{ a: 1 }, { b: 2 }], 'table')).toBe('a  b\n-  -\n1\n   2\n');
    expect(await render([{ a: 1, b: 2 }], 'table', { select: ['b', 'a'] })).toBe('b  a\n-  -\n2  1\n');
  });
  it('bolds the header only when styled', async () => {
    const out = await render([{ a: 1 }], 'table', {}, { ...plain, style: ANSI_STYLE });
    expect(out).toBe('\x1b[1ma\x1b[22m\n\x1b[2m-\x1b[22m\n1\n');
  });
});

describe('csv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180), and keeps every digit', async () => {
    const out = await render(
      [
        { a: 'plain', b: 'has, comma', c: 'say "hi"', d: 'two\nlines', e: 0.1 + 0.2, f: null },
        { a: 'x', b: { k: [1] }, c: true, d: '', e: 1e21, f: 'cr\rhere' },
      ],
      'csv',
    );
    expect(out).toBe('a,b,c,d,e,f\nplain,"has, comma","say ""hi""","two\nlines",0.30000000000000004,\nx,"{""k"":[1]}",true,,1e+21,"cr\rhere"\n');
  });
  it('warns once about a column the header did not have', async () => {
    const warnings: string[] = [];
    const out = await render([{ a: 1 }, { a: 2, b: 3 }, { a: 4, b: 5 }], 'csv', {}, { ...plain, warn: (m) => warnings.push(m) });
    expect(out).toBe('a\n1\n2\n4\n');
    expect(warnings).toEqual(['column "b" first appears in row 2, after the CSV header was written; it is left out (name the columns with --select)']);
  });
  it('writes the header alone for no rows when the columns are known', async () => {
    expect(await render([], 'csv', { select: ['a', 'b'] })).toBe('a,b\n');
    expect(await render([], 'csv')).toBe('');
  });
  it('quotes an empty field that is a whole record, which a blank line would not be', async () => {
    expect(await render([{ a: 1 }, { a: null }, { a: '' }, { a: 2 }], 'csv')).toBe('a\n1\n""\n""\n2\n');
    expect(await render([{ a: null, b: null }], 'csv')).toBe('a,b\n,\n');
  });
});

describe('json and jsonl', () => {
  it('json is one indented array; empty is []', async () => {
    expect(await render([{ a: 1, b: [1, 2] }, { a: 2 }], 'json')).toBe(
      '[\n  {\n    "a": 1,\n    "b": [\n      1,\n      2\n    ]\n  },\n  {\n    "a": 2\n  }\n]\n',
    );
    expect(JSON.parse(await render(groups, 'json'))).toEqual(groups);
    expect(await render([], 'json')).toBe('[]\n');
  });
  it('jsonl is one object per line; select makes missing fields null', async () => {
    expect(await render([{ a: 1, b: 2 }, { b: 3 }], 'jsonl', { select: ['b', 'a'] })).toBe('{"b":2,"a":1}\n{"b":3,"a":null}\n');
    expect(await render([], 'jsonl')).toBe('');
  });
  it('keep the select order where a name is a number, which JavaScript would put first', async () => {
    const rows = [{ name: 'x', 2024: 5, nested: { 10: [1] } }];
    expect(await render(rows, 'jsonl', { select: ['name', '2024', 'nested'] })).toBe('{"name":"x","2024":5,"nested":{"10":[1]}}\n');
    const json = await render(rows, 'json', { select: ['name', '2024', 'nested'] });
    expect(json).toBe('[\n  {\n    "name": "x",\n    "2024": 5,\n    "nested": {\n      "10": [\n        1\n      ]\n    }\n  }\n]\n');
    expect(JSON.parse(json)).toEqual(rows);
  });
});

describe('markdown', () => {
  it('is a padded GitHub table, numbers right-aligned, pipes and line breaks escaped', async () => {
    expect(
      await render(
        [
          { tool: 'a|b', n: 5 },
          { tool: 'two\nlines', n: 10 },
        ],
        'markdown',
      ),
    ).toBe(['| tool         |   n |', '| ------------ | --: |', '| a\\|b         |   5 |', '| two<br>lines |  10 |', ''].join('\n'));
    expect(await render([], 'markdown')).toBe('(no results)\n');
  });
  it('escapes backslashes, so that a cell renders as its text', async () => {
    expect(await render([{ cmd: 'grep "TODO\\|FIXME" a\\.b' }], 'markdown')).toBe(
      ['| cmd                        |', '| -------------------------- |', '| grep "TODO\\\\\\|FIXME" a\\\\.b |', ''].join('\n'),
    );
  });
});

describe('chart', () => {
  it('draws bars scaled to the largest value, fitted to the width', async () => {
    const out = await render(
      [
        { day: 'mon', tokens: 100 },
        { day: 'tue', tokens: 50 },
        { day: 'wed', tokens: 0 },
        { day: 'thu', tokens: 12.5 },
      ],
      'chart',
    );
    const lines = out.split('\n').filter((l) => l !== '');
    expect(lines.map(displayWidth)).toEqual([40, 40, 40, 40]);
    // 40 columns: label 3, two spaces, bar 30, a space, values 4 wide.
    expect(lines[0]).toBe(`mon  ${'█'.repeat(30)}  100`);
    expect(lines[1]).toBe(`tue  ${'█'.repeat(15)}${' '.repeat(15)}   50`);
    expect(lines[2]).toBe(`wed  ${' '.repeat(30)}    0`);
    expect(lines[3]).toBe(`thu  ███▊${' '.repeat(26)} 12.5`);
  });
  it('fits the width whatever its values and labels: the label gives way first, the value is whole', async () => {
    const rows = [
      { label: 'a', n: 123456789012 },
      { label: 'a label much longer than the chart has room for', n: 5 },
    ];
    for (const width of [20, 30, 40, 80]) {
      const lines = (await render(rows, 'chart', {}, { ...plain, width })).split('\n').filter((l) => l !== '');
      expect(lines.map(displayWidth)).toEqual([width, width]);
      expect(lines[0]).toMatch(/█ 123456789012$/);
    }
  });
  it('draws a missing value as no bar and no number, not as 0', async () => {
    const lines = (await render([{ model: 'a', usd: 0.5 }, { model: 'b', usd: null }, { model: 'c' }], 'chart')).split('\n');
    expect(lines[0]).toMatch(/^a {2}█+ 0\.5$/);
    expect(lines[1]).toBe('b'.padEnd(40));
    expect(lines[2]).toBe('c'.padEnd(40));
  });
  it('joins the other columns into the label and colours bars when styled', async () => {
    const out = await render([{ day: 'mon', source: 'codex', n: 1 }], 'chart', {}, { ...plain, style: ANSI_STYLE });
    expect(out).toContain('mon codex  \x1b[36m');
  });
  it('refuses rows with no column of numbers', async () => {
    await expect(render([{ a: 'x' }], 'chart')).rejects.toThrow('chart needs a column of numbers to draw; the columns are a');
  });
});

describe('select, sort and limit', () => {
  const rows: Row[] = Array.from({ length: 20 }, (_, i) => ({ i, k: i % 3, name: `r${i}` }));
  it('limit without sort keeps the first rows', async () => {
    expect(await render(rows, 'jsonl', { select: ['i'], limit: 3 })).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
  });
  it('sort then limit keeps the top rows, ties in input order; select may leave out the sort field', async () => {
    expect(await render(rows, 'jsonl', { select: ['name'], sort: ['-k', 'i'], limit: 4 })).toBe(
      '{"name":"r2"}\n{"name":"r5"}\n{"name":"r8"}\n{"name":"r11"}\n',
    );
  });
});
