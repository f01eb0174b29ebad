import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldInfo } from '../../lib/datasets/types.js';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import { declaredStage, mismatchWarnings, ofType } from '../../lib/engines/declared.js';

async function declared(fields: FieldInfo[], rows: Row[]): Promise<{ out: Row[]; warnings: string[] }> {
  const mismatched = new Map<string, number>();
  const out: Row[] = [];
  const sink = new Writable({
    objectMode: true,
    write(row: Row, _encoding, callback) {
      out.push({ ...row });
      callback();
    },
  });
  await pipeline(Readable.from(rows, { objectMode: true }), declaredStage(fields, mismatched), sink);
  return { out, warnings: mismatchWarnings(fields, mismatched) };
}

const FIELDS: FieldInfo[] = [
  { name: 'n', type: 'integer', description: '' },
  { name: 'x', type: 'number', description: '' },
  { name: 's', type: 'string', description: '' },
  { name: 'b', type: 'boolean', description: '' },
  { name: 'a', type: 'array', description: '' },
  { name: 'o', type: 'object', description: '' },
  { name: 'j', type: 'any', description: '' },
];

describe('the declared stage', () => {
  it('gives every declared field in order, missing as null, other keys dropped, each value of its type', async () => {
    const { out, warnings } = await declared(FIELDS, [
      { extra: 1, j: 'x', o: { k: [1] }, a: [1, 'a'], b: false, s: '', x: 1.5, n: 2 ** 53 - 1 },
      { n: null },
      { n: 1.5, x: '3', s: 4, b: 'true', a: {}, o: [], j: null },
      { n: 2 ** 53, x: 7 },
    ]);
    expect(out.map((row) => Object.keys(row))).toEqual(out.map(() => FIELDS.map((f) => f.name)));
    expect(out[0]).toEqual({ n: 2 ** 53 - 1, x: 1.5, s: '', b: false, a: [1, 'a'], o: { k: [1] }, j: 'x' });
    expect(out[1]).toEqual({ n: null, x: null, s: null, b: null, a: null, o: null, j: null });
    expect(out[2]).toEqual({ n: null, x: null, s: null, b: null, a: null, o: null, j: null });
    expect(out[3]).toEqual({ n: null, x: 7, s: null, b: null, a: null, o: null, j: null });
    expect(warnings).toEqual([
      '2 values of "n" were not of its declared type (integer) and were written as null',
      '1 value of "x" was not of its declared type (number) and was written as null',
      '1 value of "s" was not of its declared type (string) and was written as null',
      '1 value of "b" was not of its declared type (boolean) and was written as null',
      '1 value of "a" was not of its declared type (array) and was written as null',
      '1 value of "o" was not of its declared type (object) and was written as null',
    ]);
  });

  it('a value passes exactly when it is of the type (any: always)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const v = value as JsonValue;
        if (v === null) return;
        expect(ofType(v, 'any')).toBe(true);
        expect(ofType(v, 'string')).toBe(typeof v === 'string');
        expect(ofType(v, 'boolean')).toBe(typeof v === 'boolean');
        expect(ofType(v, 'array')).toBe(Array.isArray(v));
        expect(ofType(v, 'object')).toBe(typeof v === 'object' && !Array.isArray(v));
        expect(ofType(v, 'number')).toBe(typeof v === 'number');
        expect(ofType(v, 'integer')).toBe(typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER);
      }),
    );
  });
});
