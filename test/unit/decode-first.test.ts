/** The hint a scan gives its readers (sources/common/decode-first.ts): few bytes to read are decoded whole, many are walked. */
import { afterEach, describe, expect, it } from 'vitest';
import { aboutToRead, decodedFirst } from '../../lib/sources/common/decode-first.js';

describe('a scan about to read', () => {
  afterEach(() => aboutToRead(0));

  it('a few bytes has its readers decode lines whole until they are read', () => {
    aboutToRead(1000);
    expect(decodedFirst(600)).toBe(true);
    expect(decodedFirst(600)).toBe(true);
    expect(decodedFirst(1)).toBe(false);
  });

  it('many bytes, or none said, has every line walked', () => {
    expect(decodedFirst(100)).toBe(false);
    aboutToRead(64 << 20);
    expect(decodedFirst(100)).toBe(false);
  });
});
