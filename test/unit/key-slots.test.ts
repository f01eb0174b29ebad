import { describe, expect, it } from 'vitest';
import { KeySlots } from '../../lib/datasets/key-slots.js';

describe('KeySlots', () => {
  it('numbers keys in the order first seen and finds each again, across table growth and blocks', () => {
    const slots = new KeySlots();
    const keys = Array.from({ length: 50_000 }, (_, i) => `msg_01${(i * 7919).toString(36)}\u0000req_${i}`);
    for (const [i, key] of keys.entries()) expect(slots.intern(key)).toEqual({ number: i, added: true });
    for (const [i, key] of keys.entries()) expect(slots.intern(key)).toEqual({ number: i, added: false });
    expect(slots.key(49_999)).toBe(keys[49_999]);
    expect(slots.intern('msg_01\u0000req_')).toEqual({ number: 50_000, added: true });
  });

  it('keeps keys that are not ASCII, long ones, and ones that differ only in their last byte', () => {
    const slots = new KeySlots();
    const odd = ['\ud800\u0000a', '\udc00\u0000a', '\ufffd\u0000a', 'é\u0000ü', '日本\u0000語', 'x'.repeat(5000), `${'x'.repeat(4999)}y`, ''];
    for (const key of odd) slots.intern(key);
    odd.forEach((key, i) => {
      expect(slots.intern(key)).toEqual({ number: i, added: false });
      expect(slots.key(i)).toBe(key);
    });
  });
});
