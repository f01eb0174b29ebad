/** Lengths and cuts in characters: an emoji is one, and no cut leaves half of one. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, codePointPrefix } from '../../lib/base/code-points.js';
import { tableValues } from '../../lib/engines/clickhouse.js';

describe('code points', () => {
  it('count and cut as Python counts and slices, for any text (lone halves of pairs too)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(40), (text, n) => {
        const points = Array.from(text);
        expect(codePointLength(text)).toBe(points.length);
        expect(codePointPrefix(text, n)).toBe(points.slice(0, n).join(''));
      }),
    );
  });

  it('never end a cut inside an emoji', () => {
    const text = `${'x'.repeat(239)}😀 after`;
    expect(codePointPrefix(text, 240)).toBe(`${'x'.repeat(239)}😀`);
    expect(codePointLength('fix it 😀')).toBe(8);
  });
});

describe('rows sent to ClickHouse', () => {
  it('text with half of a pair goes with U+FFFD in its place, in plain and JSON columns', () => {
    const fields = [
      { name: 'text', type: 'string', description: '' },
      { name: 'models', type: 'array', description: '' },
    ] as const;
    expect(tableValues({ text: 'cut \ud83d', models: ['a\ude00'] }, fields)).toEqual(['cut \ufffd', '["a\ufffd"]']);
    expect(tableValues({ text: 'whole 😀', models: 'plain' }, fields)).toEqual(['whole 😀', '"plain"']);
  });
});
