/**
 * The keys a push gives rows: nothing that stays on the machine goes into them (a digest of a
 * text or path could be checked against a guess), and a row keeps its key from one push to the next.
 */
import { describe, expect, it } from 'vitest';
import { findDataset } from '../../lib/datasets/registry.js';
import type { FieldInfo } from '../../lib/datasets/types.js';
import { RowKeys } from '../../lib/engines/push.js';
import type { Row } from '../../lib/jsonl/json.js';

const messages = findDataset('messages');
const FIELDS = (messages?.fields ?? []) as FieldInfo[];
const row = (over: Row): Row => ({
  source: 'claude',
  session_id: 's1',
  path: '/home/alice/.claude/projects/secret/s1.jsonl',
  timestamp: '2026-03-01T10:00:00.000Z',
  day: '2026-03-01',
  week: '2026-W09',
  month: '2026-03',
  role: 'user',
  text: 'my secret plan',
  text_len: 14,
  ...over,
});
const keyOf = (r: Row): string => new RowKeys(FIELDS, messages?.identity).key(r).key;

describe('the key of a pushed row', () => {
  it('holds no text, path or time-zone bucket: rows that differ only in them have one key', () => {
    const base = keyOf(row({}));
    expect(keyOf(row({ text: 'another secret' }))).toBe(base);
    expect(keyOf(row({ path: '/elsewhere/s1.jsonl' }))).toBe(base);
    expect(keyOf(row({ day: '2026-02-28', week: '2026-W08', month: '2026-02' }))).toBe(base);
    expect(keyOf(row({ role: 'assistant' }))).not.toBe(base);
  });

  it("counts a session named by the row's path as none", () => {
    const path = '/home/alice/secret/s1.jsonl';
    expect(keyOf(row({ path, session_id: path }))).toBe(keyOf(row({ path, session_id: null })));
    expect(new RowKeys(FIELDS, undefined).key(row({ path, session_id: path })).session).toBe('-');
  });

  it('tells rows alike apart by their count, the same in every push', () => {
    const keys = new RowKeys(FIELDS, messages?.identity);
    const again = new RowKeys(FIELDS, messages?.identity);
    const first = [keys.key(row({})).key, keys.key(row({ text: 'b' })).key];
    expect(first[0]).not.toBe(first[1]);
    expect([again.key(row({})).key, again.key(row({ text: 'b' })).key]).toEqual(first);
  });

  it("keys a request by its identity, and versions it by its dataset's version field", () => {
    const usage = findDataset('usage');
    const fields = (usage?.fields ?? []) as FieldInfo[];
    const request = (total: number): Row => ({ source: 'claude', session_id: 's1', request_id: 'req_1', total_tokens: total, output_tokens: total - 10 });
    const a = new RowKeys(fields, usage?.identity).key(request(15));
    const b = new RowKeys(fields, usage?.identity).key(request(410));
    expect(b.key).toBe(a.key);
    expect([a.version, b.version]).toEqual([15, 410]);
  });
});
