import { describe, expect, it } from 'vitest';
import { KeySlots } from '../../lib/datasets/key-slots.js';

describe('KeySlots', () => {
  it('numbers keys in the order first seen and finds each again, across table growth and blocks', () => {
    const slots = new KeySlots();
    const keys = Array.from({ length: 50_000 }, (_, i) => `msg_01${(i * 7919).toString(36)}\u0000req_${i}`);
    for (const [i, key] of keys.entries()) {
      expect(slots.find(key)).toBeUndefined();
      expect(slots.add(key)).toBe(i);
    }
    for (const [i, key] of keys.entries()) expect(slots.find(key)).toBe(i);
    expect(slots.key(49_999)).toBe(keys[49_999]);
    expect(slots.find('msg_01\u0000req_')).toBeUndefined();
  });

  it('keeps keys that are not ASCII, long ones, and ones that differ only in their last byte', () => {
    const slots = new KeySlots();
    const odd = ['\ud800\u0000a', '\udc00\u0000a', '\ufffd\u0000a', 'é\u0000ü', '日本\u0000語', 'x'.repeat(5000), `${'x'.repeat(4999)}y`, ''];
    for (const key of odd) slots.add(key);
    odd.forEach((key, i) => {
      expect(slots.find(key)).toBe(i);
      expect(slots.key(i)).toBe(key);
    });
  });
});
