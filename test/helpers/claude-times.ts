/** A Claude Code config folder whose one transcript has requests at given times (blocks, status line). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Claude Code config folder with one transcript of requests at these times. */
export function claudeHome(times: string[]): string {
  const home = mkdtempSync(join(tmpdir(), 'seq-blocks-'));
  mkdirSync(join(home, 'projects/p'), { recursive: true });
  const lines = times.map((timestamp, i) =>
    JSON.stringify({
      type: 'assistant',
      sessionId: 's1',
      requestId: `req_${i}`,
      uuid: `u${i}`,
      timestamp,
      version: '2.1.0',
      cwd: '/w',
      message: {
        id: `msg_${i}`,
        role: 'assistant',
        model: i % 2 === 0 ? 'claude-opus-4-6' : 'claude-sonnet-4-5-20250929',
        content: [],
        usage: { input_tokens: 100 + i, output_tokens: 50 * i, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000 * i },
      },
    }),
  );
  writeFileSync(join(home, 'projects/p/s1.jsonl'), `${lines.join('\n')}\n`);
  return home;
}

// An hour's floor; 14:05 is over five hours from 09:00; 21:00 comes after a pause of over five
// hours; 02:00:00 is five hours from 21:00 exactly (the same block), 02:00:01 more (the next).
export const TIMES = [
  '2026-10-01T09:10:00.000Z',
  '2026-10-01T09:50:00.000Z',
  '2026-10-01T11:30:00.000Z',
  '2026-10-01T14:05:00.000Z',
  '2026-10-01T14:30:00.000Z',
  '2026-10-01T21:00:00.000Z',
  '2026-10-02T01:59:00.000Z',
  '2026-10-02T02:00:00.000Z',
  '2026-10-02T02:00:01.000Z',
];
