/**
 * seq-record killed with SIGKILL at random moments, many times, with others recording at the
 * same time: the store must always parse, and hold every run whose recording said it was stored
 * (exit 0); locks left by the killed are recovered. `make stress` runs it ten times longer.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, env, tempFiles } from '../helpers/cli.js';

const KILLS = Number(process.env.SEQ_STRESS_KILLS ?? 120);
const AT_ONCE = 8;

/** A deterministic sequence of delays, so that a failure can be replayed. */
function delays(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % 160;
  };
}

function record(dir: string, id: string, killAfterMs: number | undefined): Promise<{ id: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(join(BIN, 'seq-record'), ['run', '-q', '--id', id, '--issues', '1', '--outcome', 'success'], {
      cwd: dir,
      env: env(),
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (status) => {
      if (timer) clearTimeout(timer);
      resolve({ id, status });
    });
  });
}

describe('the run store under SIGKILL', () => {
  it(`stays whole and keeps every run reported stored, through ${KILLS} kills`, async () => {
    const dir = tempFiles({});
    const next = delays(20261121);
    const results: Array<{ id: string; status: number | null }> = [];
    for (let round = 0; round * AT_ONCE < KILLS; round++) {
      const batch = Array.from({ length: AT_ONCE }, (_, i) => {
        const n = round * AT_ONCE + i;
        const id = `${n.toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`;
        // Most are killed somewhere between start-up and the write; one in four is left to finish.
        return record(dir, id, n % 4 === 0 ? undefined : 40 + next());
      });
      results.push(...(await Promise.all(batch)));
      const store = JSON.parse(readFileSync(join(dir, '.seq/metrics.json'), 'utf8')) as { version: number; runs: Array<{ id: string }> };
      expect(store.version).toBe(1);
      const stored = new Set(store.runs.map((r) => r.id));
      for (const r of results) if (r.status === 0) expect(stored.has(r.id), r.id).toBe(true);
      expect(stored.size).toBe(store.runs.length);
    }
    // Some were killed, some finished; the unkilled always finish even after others died holding the lock.
    expect(results.filter((r) => r.status === 0).length).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
    expect(results.some((r) => r.status === null)).toBe(true);
  }, 600_000);
});
