/** The digest the cache's keys and walks are told apart by (lib/base/hash128.ts): MurmurHash3 x86_128, as its reference gives it. */
import { describe, expect, it } from 'vitest';
import { hash128, textHash128 } from '../../lib/base/hash128.js';

// From the reference implementation (as the murmurhash3js package gives it: the four 32-bit words in order, in hex).
const VECTORS: Array<[string, number, string]> = [
  ['', 0, '00000000000000000000000000000000'],
  ['', 42, 'af6d2cb695c80cba95c80cba95c80cba'],
  ['a', 0, 'a794933c5556b01b5556b01b5556b01b'],
  ['hello', 0, '2b2444a0db91def79adb31b69adb31b6'],
  ['hello', 42, '9c4f9a01053404f6886f9b95886f9b95'],
  ['The quick brown fox jumps over the lazy dog', 0, '2f1583c3ecee2c675d7bf66ce5e91d2c'],
  ['The quick brown fox jumps over the lazy dog', 42, 'b0c69c19b1fd95c704c746bdb64fcfec'],
  ['abcdefghijklmnopq', 0, '0445a4d364515c6fd96ddc2a1d11079d'],
];

describe('hash128', () => {
  it.each(VECTORS)('of %j with seed %i is the reference digest', (text, seed, digest) => {
    expect(hash128(Buffer.from(text), seed)).toBe(digest);
  });

  it('reads bytes where they start, in an array of their own or a view into another', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    for (let shift = 0; shift < 8; shift++) {
      const bytes = Buffer.from(`${'x'.repeat(shift)}${text}`).subarray(shift);
      expect(hash128(bytes)).toBe('2f1583c3ecee2c675d7bf66ce5e91d2c');
    }
  });

  it('of a megabyte and more, as the reference digest', () => {
    const bytes = new Uint8Array(1_200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number((BigInt(i) * 2654435761n) & 0xffffffffn) >>> 24;
    expect(hash128(bytes)).toBe('3b87d06224e262c52a323f5bbc66ae1f');
  });

  it('of a text and bytes after it, as of their bytes together', () => {
    const more = Uint8Array.of(1, 2, 3, 250, 251);
    expect(textHash128('héllo', more)).toBe(hash128(Buffer.concat([Buffer.from('héllo'), more])));
    expect(textHash128('héllo')).toBe(hash128(Buffer.from('héllo')));
  });
});
