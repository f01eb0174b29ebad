/**
 * Breaking a stale lock lets exactly one writer in: processes race to break the same stale lock
 * (left by a process that died) many times, some rounds with a breaker's own break file left
 * stale too, and no round ever has two writers inside at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockError, withLock } from '../../lib/storage/lock.js';
import { ROOT } from '../helpers/cli.js';

const ROUNDS = Number(process.env.SEQ_LOCK_ROUNDS ?? 80);
const STEP_MS = 35;

/** A pid that was a process of this machine and is no longer. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
}

async function race(racers: number): Promise<{ results: Array<{ entries: number; overlaps: number }>; left: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'seq-lock-race-'));
  const [holder, breaker] = [deadPid(), deadPid()];
  for (let round = 0; round < ROUNDS; round++) {
    const stale = JSON.stringify({ pid: holder, host: hostname(), since: Date.now() });
    writeFileSync(join(dir, `store-${round}.lock`), stale);
    // Every third round, a breaker of that lock died too, leaving its break file.
    if (round % 3 === 0) {
      const digest = createHash('sha1').update(stale).digest('hex').slice(0, 16);
      writeFileSync(join(dir, `store-${round}.lock.break-${digest}`), JSON.stringify({ pid: breaker, host: hostname(), since: Date.now() }));
    }
  }
  // Started well ahead of the first round: node and tsx take a while to load.
  const start = Date.now() + 1500;
  const outputs = await Promise.all(
    Array.from(
      { length: racers },
      () =>
        new Promise<string>((resolve, reject) => {
          // Each breaker pauses up to 3 ms between finding the stale lock and breaking it: the others move meanwhile.
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', join(ROOT, 'test/helpers/lock-racer.ts'), dir, String(ROUNDS), String(start), String(STEP_MS)],
            {
              cwd: ROOT,
              env: { ...process.env, SEQ_LOCK_BREAK_PAUSE_MS: '3' },
            },
          );
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('error', reject);
          child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(`racer exited ${status}: ${out}`))));
        }),
    ),
  );
  return {
    results: outputs.map((out) => JSON.parse(out) as { entries: number; overlaps: number }),
    left: readdirSync(dir).filter((name) => /\.(lock|tmp)$|\.break-/.test(name)),
  };
}

describe('breaking a stale lock', () => {
  it('a lock naming this very process (its pid reused since) is stale, and so is one far too old', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-lock-own-'));
    writeFileSync(join(dir, 'store.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
    expect(withLock(join(dir, 'store'), () => 'in', 500)).toBe('in');
    writeFileSync(join(dir, 'store.lock'), JSON.stringify({ pid: 1, host: hostname(), since: 0 }));
    utimesSync(join(dir, 'store.lock'), new Date(0), new Date(0));
    expect(withLock(join(dir, 'store'), () => 'in', 500)).toBe('in');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([2, 4])(
    '%i processes racing to break the same stale lock: one writer at a time, every one let in',
    async (racers) => {
      const { results, left } = await race(racers);
      expect(results.map((r) => r.overlaps)).toEqual(results.map(() => 0));
      expect(results.map((r) => r.entries)).toEqual(results.map(() => ROUNDS));
      // Every lock, break file and file written aside is gone.
      expect(left).toEqual([]);
    },
    60_000,
  );
});

describe('waiting for a lock', () => {
  /** A live process that holds `lock` for about 1.5 s, as one holder or as a queue of holders taking turns (a new text every 0.2 s). */
  function holder(lock: string, queue: boolean): Promise<void> {
    const script = `for i in 1 2 3 4 5 6 7; do printf '{"pid":%d,"host":"%s","since":0,"nonce":"%s"}' $$ "$2" "${queue ? '$i' : 'one'}" > "$1.tmp"; mv "$1.tmp" "$1"; sleep 0.2; done; rm -f "$1"`;
    const child = spawn('sh', ['-c', script, 'sh', lock, hostname()]);
    return new Promise((resolve) => child.on('spawn', () => resolve()));
  }
  function taken(lock: string): void {
    while (!existsSync(lock)) spawnSync('sleep', ['0.02']);
  }

  it('waits out a queue of holders that each take their turn, however long the queue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-lock-queue-'));
    await holder(join(dir, 'store.lock'), true);
    taken(join(dir, 'store.lock'));
    const start = Date.now();
    expect(withLock(join(dir, 'store'), () => 'in', 600)).toBe('in');
    expect(Date.now() - start).toBeGreaterThan(700);
  });

  it('is one lock for every path to a file: a link to it takes the lock beside the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-lock-link-'));
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(join(dir, 'dotfiles', 'store'), '');
    symlinkSync('dotfiles/store', join(dir, 'store'));
    await holder(join(dir, 'dotfiles', 'store.lock'), false);
    taken(join(dir, 'dotfiles', 'store.lock'));
    expect(() => withLock(join(dir, 'store'), () => 'in', 400)).toThrow(LockError);
  });

  it('gives up on one holder that keeps it longer than the wait', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-lock-held-'));
    await holder(join(dir, 'store.lock'), false);
    taken(join(dir, 'store.lock'));
    expect(() => withLock(join(dir, 'store'), () => 'in', 400)).toThrow(LockError);
  });
});
