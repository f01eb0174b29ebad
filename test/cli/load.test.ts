/**
 * Load (`make stress` only, SEQ_STRESS=1): 100,000 small session files scan without running out
 * of file descriptors (under ulimit -n 256), in under 150 MB and within 30 MB of 10,000 files;
 * a 2 GB transcript scans in under 150 MB; each without the cache, filling it and from it.
 * Peak memory is the maximum resident set, by GNU time.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { env, tempFiles } from '../helpers/cli.js';

const STRESS = process.env.SEQ_STRESS === '1';
const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

/** Runs a command under GNU time: its status, output, and peak memory in MB. */
function measured(command: string, cwd: string): { status: number | null; stdout: string; stderr: string; peakMb: number } {
  const r = spawnSync('bash', ['-c', `/usr/bin/time -f '%M' -o peak.txt ${command}`], { cwd, env: env(), encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, peakMb: Number(readFileSync(join(cwd, 'peak.txt'), 'utf8').trim().split('\n').pop()) / 1024 };
}

function claudeLine(session: string, i: number): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    sessionId: session,
    type: 'assistant',
    uuid: `u${i}`,
    timestamp: '2026-11-01T10:00:00.000Z',
    requestId: `req_${session}_${i}`,
    message: {
      id: `msg_${session}_${i}`,
      model: 'claude-opus-4-6',
      role: 'assistant',
      content: [{ type: 'text', text: 'x'.repeat(200) }],
      usage: { input_tokens: 3, output_tokens: 5, cache_read_input_tokens: 7, cache_creation_input_tokens: 11 },
    },
  });
}

describe.skipIf(!STRESS || !hasTime)('load (make stress only)', () => {
  it('100,000 small session files: all read, no descriptor runs out, memory flat with the number of files, with and without the cache', () => {
    const dir = tempFiles({});
    const write = (root: string, count: number): void => {
      for (let i = 0; i < count; i++) {
        const folder = join(root, `p${i % 100}`);
        if (i < 100) mkdirSync(folder, { recursive: true });
        const fd = openSync(join(folder, `s${i}.jsonl`), 'w');
        // The same two responses in every file (as resumed sessions copy them): what grows with
        // the number of files is then the files' own cost, not the kept request keys.
        writeSync(fd, `${claudeLine('s', 0)}\n${claudeLine('s', 1)}\n`);
        closeSync(fd);
      }
    };
    write(join(dir, 'small'), 10_000);
    write(join(dir, 'large'), 100_000);
    // Absolute roots, as the default ones are; a cache of its own, filled by the first scan, used by the second.
    const query = (root: string, options: string): string =>
      `seq query --dataset usage --metric count --metric sum:total_tokens:t --format jsonl ${options} ${join(dir, root)}`;
    const peaks: string[] = [];
    // In one thread, and on a reading thread from the first file (by default threads start at
    // 16 MB: the 100,000 files would have one and the 10,000 not, and a thread costs 20-25 MB).
    for (const [threads, run] of [
      ['0', 'one thread'],
      ['1', 'a reading thread'],
    ] as const) {
      const cache = `XDG_CACHE_HOME=${join(dir, `cache-${threads}`)} SEQ_THREADS=${threads}`;
      for (const [stage, options] of [
        ['without the cache', '--no-cache'],
        ['filling the cache', ''],
        ['from the cache', ''],
      ] as const) {
        const label = `${run}, ${stage}`;
        const small = measured(`env ${cache} ${query('small', options)}`, dir);
        const large = measured(`env ${cache} bash -c 'ulimit -n 256; ${query('large', options)}'`, dir);
        for (const r of [small, large]) {
          expect(r.stderr).toBe('');
          expect(r.status).toBe(0);
          expect(r.stdout).toBe('{"count":2,"t":52}\n');
        }
        peaks.push(`${label}: ${small.peakMb.toFixed(0)} MB for 10,000 files, ${large.peakMb.toFixed(0)} MB for 100,000`);
        // The walk lists files as the scan goes and the cache's index is read and written as a
        // stream: the heap left at the end is the same 6 MB for both. What differs is garbage
        // that V8 collects later in a longer run (10 to 18 MB when measured).
        expect(large.peakMb, peaks.join('; ')).toBeLessThan(150);
        expect(large.peakMb - small.peakMb, peaks.join('; ')).toBeLessThan(30);
      }
    }
    console.log(peaks.join('\n'));
  }, 900_000);

  it('a 2 GB transcript scans in bounded memory', () => {
    const dir = tempFiles({});
    // One response's lines over and over (Claude rewrites history this way on resume): 2 GB to
    // read, the same few keys to keep, so memory must not follow the size.
    const block = `${Array.from({ length: 50 }, (_, i) => claudeLine('big', i)).join('\n')}\n`;
    const fd = openSync(join(dir, 'big.jsonl'), 'w');
    const chunk = block.repeat(Math.ceil((8 << 20) / block.length));
    for (let written = 0; written < 2 * 1024 ** 3; written += chunk.length) writeSync(fd, chunk);
    closeSync(fd);
    const peaks: string[] = [];
    // Without the cache, filling it, and from it.
    for (const [label, options] of [
      ['without the cache', '--no-cache'],
      ['filling the cache', ''],
      ['from the cache', ''],
    ] as const) {
      const r = measured(`env XDG_CACHE_HOME=${join(dir, 'cache')} seq query --dataset usage --metric count --format jsonl ${options} big.jsonl`, dir);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('{"count":50}\n');
      peaks.push(`${label}: ${r.peakMb.toFixed(0)} MB`);
      expect(r.peakMb, peaks.join('; ')).toBeLessThan(150);
    }
    console.log(`a 2 GB transcript: ${peaks.join('; ')}`);
  }, 900_000);
});
