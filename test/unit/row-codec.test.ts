/**
 * The columns of a kept table (lib/cache/row-codec.ts): any rows round-trip, key order and
 * values exact (-0, large and fractional numbers, texts of any characters; nested values as JSON), with
 * every field or with only some; a damaged body is refused, never read as other rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue, Row } from '../../lib/jsonl/json.js';
import { type EncodedBlock, RowDecoder, RowEncoder, type RowsLayout } from '../../lib/cache/row-codec.js';

const text = fc.oneof(
  fc.constantFrom('', 'a', 'claude', 'codex', '2026-01-01', 'Ünï', '__proto__', 'two\nlines', '\u0000', '\ud800', 'a\udc00b', '😀'),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);
const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 52, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 60, 1e300, -1e-300, 0.1, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const leaf: fc.Arbitrary<JsonValue> = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const nested: fc.Arbitrary<JsonValue> = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), leaf, { maxKeys: 3 }));
const KEYS = ['source', 'session_id', 'path', 'day', 'total_tokens', 'x.y', '__proto__', 'é'];
const row: fc.Arbitrary<Row> = fc.array(fc.tuple(fc.constantFrom(...KEYS), nested), { maxLength: KEYS.length }).map((pairs) => {
  const out: Row = {};
  for (const [key, value] of pairs) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
});

/** Rows through the encoder, block by block, and back. */
function encode(rows: Row[]): { layout: RowsLayout; blocks: Buffer[][] } {
  const encoder = new RowEncoder();
  const blocks: Buffer[][] = [];
  const keep = (block: EncodedBlock | undefined): void => {
    // Copied: the next block is written over it.
    if (block !== undefined) blocks.push(block.map((chunks) => Buffer.from(Buffer.concat(chunks))));
  };
  for (const r of rows) keep(encoder.add(r));
  keep(encoder.flush());
  return { layout: JSON.parse(JSON.stringify(encoder.layout())) as RowsLayout, blocks };
}

function decode(layout: RowsLayout, blocks: Buffer[][], only?: ReadonlySet<string>): Row[] {
  const decoder = new RowDecoder(layout, (block, part) => blocks[block]?.[part] ?? Buffer.alloc(0), only);
  const out: Row[] = [];
  for (let next = decoder.next(); next !== undefined; next = decoder.next()) out.push(next);
  return out;
}

function roundTrip(rows: Row[], only?: ReadonlySet<string>): Row[] {
  const { layout, blocks } = encode(rows);
  return decode(layout, blocks, only);
}

/** Keys in order and values exactly (Object.is: -0 is not 0). */
function exact(a: Row[], b: Row[]): void {
  expect(b.map((r) => Object.keys(r))).toEqual(a.map((r) => Object.keys(r)));
  a.forEach((r, i) => {
    for (const key of Object.keys(r)) {
      const x = r[key];
      const y = (b[i] as Row)[key];
      // A nested value is kept as its JSON: what the stages read of it, and print.
      if (typeof x === 'object' && x !== null) expect(JSON.stringify(y)).toBe(JSON.stringify(x));
      else expect(Object.is(x, y)).toBe(true);
    }
    expect(Object.getPrototypeOf(b[i])).toBe(Object.prototype);
  });
}

describe('rows in columns', () => {
  it('any rows come back as they went in', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => exact(rows, roundTrip(rows))),
      { numRuns: 2000 },
    );
  });

  it('with only some fields: those, in their order, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.subarray(KEYS), (rows, keys) => {
        const only = new Set(keys);
        const expected = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => only.has(key))) as Row);
        exact(expected, roundTrip(rows, only));
      }),
      { numRuns: 1000 },
    );
  });

  it('many rows sharing texts, and many that do not', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 200_000; i++) rows.push({ day: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, id: `req_${i}`, n: i * 3, f: i / 7 });
    const back = roundTrip(rows);
    expect(back.length).toBe(rows.length);
    expect(back[123_456]).toEqual(rows[123_456]);
    expect(back[199_999]).toEqual(rows[199_999]);
  });

  it('a damaged column is refused, never read as other rows', () => {
    const { layout, blocks } = encode([
      { a: 'x', b: 1 },
      { a: 'y', b: 2 },
    ]);
    const changed = (part: number, change: (bytes: Buffer) => Buffer): Buffer[][] =>
      blocks.map((block) => block.map((bytes, i) => (i === part ? change(Buffer.from(bytes)) : bytes)));
    expect(() =>
      decode(
        layout,
        changed(1, (bytes) => bytes.subarray(1)),
      ),
    ).toThrow(/damaged/);
    expect(() =>
      decode(
        layout,
        changed(1, (bytes) => {
          bytes[0] = 200; // a tag no column writes
          return bytes;
        }),
      ),
    ).toThrow(/damaged/);
    expect(() =>
      decode(
        layout,
        changed(2, (bytes) => Buffer.concat([bytes, Buffer.from([3, 2])])),
      ),
    ).toThrow(/damaged/);
  });

  it('shapes are told apart whatever their keys', () => {
    const rows: Row[] = [{ '': 1 }, {}, { 'a\u0000b': 1 }, { a: 1, b: 2 }, { 'a,b': 3 }, { a: 4 }];
    exact(rows, roundTrip(rows));
  });

  it('rows over many blocks, fields that come and go, and none at all', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 40_000; i++) rows.push(i % 3 === 0 ? { n: i } : i > 30_000 ? { late: `l${i % 7}`, n: i } : { n: i, s: 's' });
    exact(rows, roundTrip(rows));
    expect(roundTrip([])).toEqual([]);
    expect(encode(rows).blocks.length).toBeGreaterThan(2);
  });
});
