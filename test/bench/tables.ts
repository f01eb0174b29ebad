/**
 * Kept tables (docs/cache.md) as the history grows: tokens per day over generated corpora of
 * half, once and twice the bench's size, cold (`--no-cache`), warm (nothing changed since the
 * cache was filled), after appending 1 MB to one transcript and after a session's transcript
 * was added, interleaved run by run; each answer checked equal to the cold one first.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compare, fmt, peakMb, ROOT, sizeOf, stats, timed, type Timing } from './measure.js';

/** The Claude transcripts under a folder (not subagents'), in walk order. */
function transcripts(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...transcripts(path));
    else if (entry.name.endsWith('.jsonl') && !entry.name.startsWith('agent-')) out.push(path);
  }
  return out;
}

let appended = 0;

/** Appends about 1 MB to a transcript: its own assistant lines again, as new requests (new message and request ids). */
function appendMegabyte(path: string): void {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"assistant"'));
  let text = '';
  for (let i = 0; text.length < 1 << 20; i++) {
    appended++;
    const line = lines[i % lines.length] as string;
    text += `${line.replace(/"id":"msg_/, `"id":"msg_more${appended}_`).replace(/"requestId":"req_/, `"requestId":"req_more${appended}_`)}\n`;
  }
  appendFileSync(path, text);
}

/** A transcript of a session begun since: a copy of one with ids of its own, beside it. */
function addSession(path: string, n: number): void {
  const text = readFileSync(path, 'utf8').replace(/"(id|requestId|uuid|parentUuid|sessionId|tool_use_id)":"/g, `"$1":"begun${n}-`);
  writeFileSync(join(dirname(path), `00000000-0000-7000-8000-${String(n).padStart(12, '0')}.jsonl`), text);
}

const ratio = (a: Timing, b: Timing): string => `${(a.median / b.median).toFixed(2)}x`;

export function tablesBench(sessions: number, runs: number): void {
  console.log(`\nKept tables: tokens per day as the history grows (both agents), ${runs} runs each, interleaved`);
  for (const count of [Math.round(sessions / 2), sessions, sessions * 2]) {
    const dir = mkdtempSync(join(tmpdir(), 'seq-bench-tables-'));
    const cache = mkdtempSync(join(tmpdir(), 'seq-bench-tables-cache-'));
    try {
      spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', dir, '--sessions', String(count), '--seed', '3'], {
        stdio: 'ignore',
      });
      const mb = sizeOf(dir);
      const query = `seq query --dataset usage --by day --metric sum:total_tokens:tokens --sort day --format jsonl ${dir}`;
      const cached = `XDG_CACHE_HOME=${cache} ${query}`;
      const cold = `${query} --no-cache`;
      const truth = timed(cold).stdout;
      const fill = timed(cached);
      if (fill.stdout !== truth) throw new Error('the cached scan disagrees with the cold one');
      const times = compare({ cold, warm: cached }, runs);
      const warm = times.warm as Timing;
      const coldTime = times.cold as Timing;
      // One transcript grows by 1 MB before each timed run (the append is not timed).
      const all = transcripts(join(dir, 'claude'));
      const growing = all[Math.floor(all.length / 2)] as string;
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        appendMegabyte(growing);
        samples.push(timed(cached).ms);
      }
      if (timed(cached).stdout !== timed(cold).stdout) throw new Error('after appending, the cached scan disagrees with a cold one');
      const grown = stats(samples);
      // A session begun before each timed run (the copy is not timed).
      const begun: number[] = [];
      for (let i = 0; i < runs; i++) {
        addSession(all[Math.floor(all.length / 3)] as string, i);
        begun.push(timed(cached).ms);
      }
      if (timed(cached).stdout !== timed(cold).stdout) throw new Error('after adding a session, the cached scan disagrees with a cold one');
      const added = stats(begun);
      console.log(`  ${mb.toFixed(0)} MB, ${count.toLocaleString('en')} sessions`);
      console.log(`    cold (--no-cache)              ${fmt(coldTime)}`);
      console.log(`    cache filled (first run)       ${fill.ms.toFixed(0)} ms, ${(fill.ms / coldTime.median).toFixed(2)}x of cold`);
      console.log(
        `    warm                           ${fmt(warm)}, ${ratio(warm, coldTime)} of cold (target: at most 0.1x), peak ${peakMb(cached)?.toFixed(0) ?? '?'} MB`,
      );
      console.log(`    after appending 1 MB to one    ${fmt(grown)}, ${ratio(grown, coldTime)} of cold (target: at most 0.15x)`);
      console.log(`    after a session was added      ${fmt(added)}, ${ratio(added, coldTime)} of cold`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }
}
