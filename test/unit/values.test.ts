import { describe, expect, it } from 'vitest';
import { fieldGetter } from '../../lib/stages/fields.js';
import { compareValues, stringForm, toNumber, valueKey, valuesEqual } from '../../lib/jsonl/values.js';

describe('toNumber', () => {
  it('reads numbers and numeric text, nothing else', () => {
    expect(toNumber(42)).toBe(42);
    expect(toNumber('42')).toBe(42);
    expect(toNumber(' 1.5e3 ')).toBe(1500);
    expect(toNumber('-.5')).toBe(-0.5);
    expect(toNumber('1,000')).toBeUndefined();
    expect(toNumber('n/a')).toBeUndefined();
    expect(toNumber('')).toBeUndefined();
    expect(toNumber(true)).toBeUndefined();
    expect(toNumber(null)).toBeUndefined();
    expect(toNumber(undefined)).toBeUndefined();
  });
});

describe('valuesEqual', () => {
  it('does not convert types', () => {
    expect(valuesEqual(1, 1)).toBe(true);
    expect(valuesEqual(1, '1')).toBe(false);
    expect(valuesEqual(true, 1)).toBe(false);
    expect(valuesEqual('a', 'a')).toBe(true);
  });
  it('treats missing as null and compares structures by content', () => {
    expect(valuesEqual(undefined, null)).toBe(true);
    expect(valuesEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual([1, 2], [2, 1])).toBe(false);
    expect(valuesEqual([], {})).toBe(false);
  });
});

describe('valueKey', () => {
  it('separates types and joins equal structures', () => {
    expect(valueKey(1)).not.toBe(valueKey('1'));
    expect(valueKey(null)).toBe(valueKey(undefined));
    expect(valueKey({ a: 1, b: 2 })).toBe(valueKey({ b: 2, a: 1 }));
  });
});

describe('compareValues', () => {
  it('orders numbers numerically and text by code units', () => {
    expect(compareValues(9, 10)).toBeLessThan(0);
    expect(compareValues('10', '9')).toBeLessThan(0);
    expect(compareValues('B', 'a')).toBeLessThan(0);
  });
  it('orders mixed kinds without throwing: booleans, numbers, text, lists, objects', () => {
    const mixed = [{ a: 1 }, 'x', [1], 3, false, 'a', 1];
    expect([...mixed].sort(compareValues)).toEqual([false, 1, 3, 'a', 'x', [1], { a: 1 }]);
  });
});

describe('stringForm', () => {
  it('is the text a predicate matches', () => {
    expect(stringForm(undefined)).toBe('');
    expect(stringForm(null)).toBe('');
    expect(stringForm(12.5)).toBe('12.5');
    expect(stringForm(true)).toBe('true');
    expect(stringForm(['a', 1])).toBe('["a",1]');
  });
});

describe('fieldGetter', () => {
  const row = { a: { b: { c: 3 } }, 'x.y': 'literal', list: [{ n: 'first' }], x: { y: 'nested' } };
  it('walks dotted paths through objects and arrays', () => {
    expect(fieldGetter('a.b.c')(row)).toBe(3);
    expect(fieldGetter('list.0.n')(row)).toBe('first');
    expect(fieldGetter('a.missing.c')(row)).toBeUndefined();
    expect(fieldGetter('list.x')(row)).toBeUndefined();
  });
  it('prefers a key that is the dotted name itself', () => {
    expect(fieldGetter('x.y')(row)).toBe('literal');
  });
  it('never finds inherited properties', () => {
    expect(fieldGetter('constructor')({})).toBeUndefined();
    expect(fieldGetter('a.toString')({ a: {} })).toBeUndefined();
  });
});
