/**
 * A file that grew, read on from where a kept table's patch read it to (lib/scan/table-patch.ts):
 * alone, not through the cache of events, its new rows after its kept ones; and read whole again
 * wherever reading on could give other rows than --no-cache gives: a response that goes on across
 * the point, a last line without its newline, a file written over, counters that go on.
 */
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cached, changeableLogs, same, truth } from '../helpers/cached.js';
import { stdoutOf } from '../helpers/cli.js';
import { growClaude, growCodex, logFiles, scanned } from '../helpers/grow.js';

const USAGE = ['query', '--dataset', 'usage', '--format', 'jsonl'];

/** A main transcript of the logs (not a subagent's). */
function transcript(logs: string): string {
  return logFiles(join(logs, 'claude')).find((path) => !path.includes('/subagents/')) as string;
}

/**
 * A line of a response of the transcript's: one of its assistant lines with usage, as request
 * `id` (its message and request ids) with `output` output tokens; `messageId: false` leaves the
 * message id out (a line no other line's copy is matched with); `thinking`, its only content.
 */
function responseLine(path: string, id: string, output: number, messageId = true, thinking?: string): string {
  const line = readFileSync(path, 'utf8')
    .split('\n')
    .find((text) => text.includes('"type":"assistant"') && text.includes('"usage"')) as string;
  const record = JSON.parse(line) as { uuid: string; requestId: string; message: { id?: string; content: unknown; usage: { output_tokens: number } } };
  record.uuid = `${id}-${output}`;
  record.requestId = `req_${id}`;
  if (messageId) record.message.id = `msg_${id}`;
  else delete record.message.id;
  record.message.usage.output_tokens = output;
  if (thinking !== undefined) record.message.content = [{ type: 'thinking', thinking }];
  return JSON.stringify(record);
}

/** A scan after emptying the cache of events: the same bytes as --no-cache, and how many files it read through that cache. */
function readThrough(home: string, args: string[], env: Record<string, string> = {}): number {
  const scan = scanned(home, args, env);
  same(scan.result, truth('seq', args, env));
  return scan.read;
}

/**
 * Logs whose table is kept, and a transcript of theirs that grew since and was patched: read
 * whole that time (the table was written whole, with no point), read on from its point after.
 */
function patchedOnce(options: string[] = [], which: (logs: string) => string = transcript): { home: string; args: string[]; file: string } {
  const { logs, home } = changeableLogs();
  const file = which(logs);
  const args = [...USAGE, ...options.map((option) => option.replace('{project}', projectOf(file))), logs];
  same(cached('seq', home, args), truth('seq', args));
  growClaude(file);
  expect(readThrough(home, args)).toBe(1);
  return { home, args, file };
}

/** The name of the folder a transcript's session worked in. */
function projectOf(file: string): string {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((text) => text.includes('"cwd":')) as string;
  return basename((JSON.parse(line) as { cwd: string }).cwd);
}

describe('a grown file read on from where a patch read it to', () => {
  it('is read alone, not through the cache of events, each time it grows again', () => {
    const { home, args, file } = patchedOnce();
    for (let i = 0; i < 3; i++) {
      growClaude(file, 2);
      expect(readThrough(home, args)).toBe(0);
    }
  });

  it('scans at once after it grew all print what --no-cache prints, and leave a table that reads on', async () => {
    const { home, args, file } = patchedOnce();
    for (let round = 0; round < 3; round++) {
      growClaude(file, 2);
      const expected = truth('seq', args).stdout;
      const outputs = await Promise.all([0, 1, 2, 3].map(() => stdoutOf('seq', args, { XDG_CACHE_HOME: home })));
      for (const out of outputs) expect(out).toBe(expected);
    }
    // Whichever scan's table stands, it is the logs' as they are: nothing read, then a growth read on or whole.
    expect(readThrough(home, args)).toBe(0);
    growClaude(file, 2);
    expect(readThrough(home, args)).toBeLessThanOrEqual(1);
  });

  it('with --project: the session as known at the point decides which records count, as read whole', () => {
    // A project with many sessions besides it: its rows are few of the project's (a patch holds at most half).
    const { home, args, file } = patchedOnce(
      ['--project', '{project}'],
      (logs) => logFiles(join(logs, 'claude')).find((path) => path.includes('web-dashboard')) as string,
    );
    growClaude(file, 2);
    expect(readThrough(home, args)).toBe(0);
    const rows = truth('seq', args).stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThan(3);
  });

  it('by reading threads, where what it added is more than a patch reads in the scan thread', () => {
    const { home, args, file } = patchedOnce();
    // More than 4 MB of new lines, few requests (a patch holds at most half the rows): read by a reading thread, on from the point (read-worker.ts).
    for (let i = 0; i < 8; i++) appendFileSync(file, `${responseLine(file, `large${i}`, 100 + i, true, 'x'.repeat(700_000))}\n`);
    expect(statSync(file).size).toBeGreaterThan(5e6);
    expect(readThrough(home, args, { SEQ_THREADS: '2' })).toBe(0);
    growClaude(file, 2);
    expect(readThrough(home, args, { SEQ_THREADS: '2' })).toBe(0);
  });

  it('a response that goes on across the point: the file is read again whole', () => {
    const { home, args, file } = patchedOnce();
    // A response's first line, then a scan (a status line, say), then its next line: the same request, its output grown.
    appendFileSync(file, `${responseLine(file, 'streamed', 12)}\n`);
    expect(readThrough(home, args)).toBe(0);
    appendFileSync(file, `${responseLine(file, 'streamed', 480)}\n`);
    expect(readThrough(home, args)).toBe(1);
    // Read whole, it has a point again: the next request is read on from it.
    growClaude(file);
    expect(readThrough(home, args)).toBe(0);
  });

  it('of two files, the one whose response goes on across its point is read again whole, the other read on', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const [first, second] = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/')) as [string, string];
    growClaude(first);
    growClaude(second);
    expect(readThrough(home, args)).toBe(2);
    appendFileSync(first, `${responseLine(first, 'streamed', 12)}\n`);
    growClaude(second);
    expect(readThrough(home, args)).toBe(0);
    appendFileSync(first, `${responseLine(first, 'streamed', 480)}\n`);
    growClaude(second);
    expect(readThrough(home, args)).toBe(1);
  });

  it('a last line without its newline: the file has no point, and is read whole once it grows', () => {
    const { home, args, file } = patchedOnce();
    // A whole record, its newline not written yet: read, but before the point (a later read reads it again).
    appendFileSync(file, responseLine(file, 'unended', 40, false));
    expect(readThrough(home, args)).toBe(0);
    appendFileSync(file, '\n');
    growClaude(file);
    expect(readThrough(home, args)).toBe(1);
  });

  it('a file written over in place, longer than it was: read whole', () => {
    const { home, args, file } = patchedOnce();
    // The same file (its inode), its first request's output changed and a request added: its first bytes are not what they were.
    const lines = readFileSync(file, 'utf8').split('\n');
    const first = lines.findIndex((line) => line.includes('"usage"'));
    const record = JSON.parse(lines[first] as string) as { message: { usage: { output_tokens: number } } };
    record.message.usage.output_tokens += 1000;
    lines[first] = JSON.stringify(record);
    lines.splice(0, 0, lines.splice(first, 1)[0] as string);
    writeFileSync(file, lines.join('\n'));
    growClaude(file);
    expect(readThrough(home, args)).toBe(1);
  });

  it("a Codex rollout's counters go on across the point: the rollout is read again whole", () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const rollout = logFiles(join(logs, 'codex'))[2] as string;
    growCodex(rollout);
    expect(readThrough(home, args)).toBe(1);
    growCodex(rollout);
    expect(readThrough(home, args)).toBe(1);
  });

  it('a rollout without its session, then with it: its counters are tied by the file itself', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    const rollout = logFiles(join(logs, 'codex'))[2] as string;
    const lines = readFileSync(rollout, 'utf8').split('\n');
    const meta = lines.find((line) => line.includes('"type":"session_meta"')) as string;
    writeFileSync(rollout, lines.filter((line) => !line.includes('"type":"session_meta"')).join('\n'));
    same(cached('seq', home, args), truth('seq', args));
    growCodex(rollout);
    expect(readThrough(home, args)).toBe(1);
    growCodex(rollout);
    expect(readThrough(home, args)).toBe(1);
    // Resumed by Codex: its session told now, its counters going on (read whole, alone or with the rest).
    appendFileSync(rollout, `${meta}\n`);
    growCodex(rollout);
    expect(readThrough(home, args)).toBeGreaterThanOrEqual(1);
  });
});
