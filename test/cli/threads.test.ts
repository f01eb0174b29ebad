/**
 * Reading threads, through the real executables: a scan on reading threads prints exactly what a
 * scan in one thread prints (rows, their order, every message on stderr, the status), with and
 * without the cache, whatever the files hold. SEQ_THREADS=N starts N threads from the first file
 * (unset, they start once a scan has 16 MB to read: more than any of these).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFiles, type Result } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const DATASETS = ['messages', 'skill_mentions', 'token_events', 'token_deltas', 'token_sessions', 'tool_calls', 'tool_outputs', 'usage', 'sessions'];
const NO_CACHE_HOME = '/nonexistent-cache-never-made';

/** A scan that hangs (threads waiting for each other) is killed, and fails the test. */
function scan(threads: number, args: string[], home = NO_CACHE_HOME): Result {
  return run('seq-scan', home === NO_CACHE_HOME ? [...args, '--no-cache'] : args, {
    env: { SEQ_THREADS: String(threads), XDG_CACHE_HOME: home },
    timeoutMs: 20_000,
  });
}

function same(a: Result, b: Result): void {
  expect(a.stderr).toBe(b.stderr);
  expect(a.stdout).toBe(b.stdout);
  expect(a.status).toBe(b.status);
}

/** Session files that go wrong in every way a reader tells of: cut lines, garbage, a link to nothing, a G0 document. */
function badFiles(): string {
  const root = generatedSessions();
  const claude = readFileSync(
    join(
      root,
      'claude',
      firstFile(join(root, 'claude'), (name) => name.endsWith('.jsonl') && !name.startsWith('agent-')),
    ),
  );
  const dir = tempFiles({
    'cut.jsonl': claude.subarray(0, Math.floor(claude.length / 2)),
    'empty.jsonl': '',
    'garbage.jsonl': Buffer.from([0, 159, 146, 150, 255, 10, 1, 2, 3, 10]),
    'not-objects.jsonl': `${claude.toString('utf8').split('\n')[0]}\n[1,2]\n"text"\n{"type":"assistant"\n`,
    'rollout-2025-04-18-0b5e2d1c-3333-4a4a-9c9c-000000000003.json': JSON.stringify({
      session: { id: '0b5e2d1c-3333-4a4a-9c9c-000000000003', timestamp: '2025-04-18T10:00:00Z' },
      items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
    }),
  });
  symlinkSync('/nonexistent', join(dir, 'gone.jsonl'));
  return dir;
}

function firstFile(folder: string, test: (name: string) => boolean): string {
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && test(entry.name)) return join(entry.parentPath, entry.name).slice(folder.length + 1);
  }
  throw new Error(`no such file under ${folder}`);
}

describe('a scan on reading threads prints what a scan in one thread prints', () => {
  const roots = [generatedSessions(), ...(hasFixtures ? [`${FIXTURES}/codex`, `${FIXTURES}/claude`] : [])];
  const bad = badFiles();

  it.each(DATASETS)('%s, on 1 and on 3 threads', (dataset) => {
    const args = ['--dataset', dataset, ...roots, bad];
    const one = scan(0, args);
    expect(one.status).toBe(1); // the link to nothing cannot be read
    expect(one.stderr).toMatch(/cannot read .*gone\.jsonl/);
    expect(one.stdout.length).toBeGreaterThan(0);
    same(scan(1, args), one);
    same(scan(3, args), one);
  });

  it('--source, --since, --limit, --strict and a query with its report', () => {
    for (const args of [
      ['--dataset', 'usage', '--source', 'claude', ...roots],
      ['--dataset', 'messages', '--since', '2026-01-01', ...roots],
      ['--dataset', 'tool_calls', '--limit', '7', ...roots],
      ['--dataset', 'usage', '--strict', ...roots, bad],
    ]) {
      const one = scan(0, args);
      same(scan(1, args), one);
      same(scan(2, args), one);
    }
    const query = ['query', '--spec', '@specs/tokens-by-day.json', '--no-cache', ...roots];
    const one = run('seq', query, { env: { SEQ_THREADS: '0' } });
    expect(one.status).toBe(0);
    same(run('seq', query, { env: { SEQ_THREADS: '2' } }), one);
    const report = ['skills-rank', '--no-cache', ...roots];
    same(run('seq', report, { env: { SEQ_THREADS: '2' } }), run('seq', report, { env: { SEQ_THREADS: '0' } }));
  });
});

/** What `seq cache info` says of each folder, but where it is. */
function cacheInfo(home: string): unknown[] {
  const r = run('seq', ['cache', 'info', '--format', 'json'], { env: { XDG_CACHE_HOME: home } });
  expect(r.status).toBe(0);
  const rows = (JSON.parse(r.stdout) as Array<{ folder: string }>).map(({ folder: _, ...rest }) => rest);
  expect(rows.length).toBeGreaterThan(0);
  return rows;
}

describe('reading threads and the cache', () => {
  const roots = [generatedSessions(), ...(hasFixtures ? [`${FIXTURES}/claude`] : [])];

  it('filled on threads, used warm on threads and in one thread: the same as without the cache', () => {
    for (const dataset of ['usage', 'messages', 'sessions']) {
      const args = ['--dataset', dataset, ...roots];
      const truth = scan(0, args);
      const home = mkdtempSync(join(tmpdir(), 'seq-threads-cache-'));
      same(scan(2, args, home), truth); // fills it: the entries are the workers' text
      const alone = mkdtempSync(join(tmpdir(), 'seq-threads-cache-'));
      scan(0, args, alone);
      expect(cacheInfo(home)).toEqual(cacheInfo(alone)); // as many entries, as many bytes
      same(scan(0, args, home), truth);
      same(scan(1, args, home), truth);
    }
  });

  it('entries found unusable at their turn (another source, a segment gone) are read at once, on threads as in one thread', () => {
    const args = ['--dataset', 'usage', ...roots];
    for (const [filled, wanted] of [
      ['claude', 'codex'],
      ['codex', 'claude'],
    ]) {
      // The entries of one source, and the files of the other not in the cache: read by the
      // workers, given out ahead, while each entry of the first is found of a source not wanted.
      const home = mkdtempSync(join(tmpdir(), 'seq-threads-cache-'));
      scan(0, [...args, '--source', filled as string], home);
      const only = [...args, '--source', wanted as string];
      same(scan(2, only, home), scan(0, only));
      same(scan(1, only, home), scan(0, only));
    }
    const home = mkdtempSync(join(tmpdir(), 'seq-threads-cache-'));
    scan(0, args, home);
    const folder = join(home, 'seq', readdirSync(join(home, 'seq'))[0] as string, 'tokens');
    for (const name of readdirSync(folder)) if (name.startsWith('seg-')) rmSync(join(folder, name));
    same(scan(2, args, home), scan(0, args));
    same(scan(2, args, home), scan(0, args));
  });

  it('files that grew are read on from their points by the threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-threads-grow-'));
    const source = generatedSessions();
    const rests: Array<[string, Buffer]> = [];
    let n = 0;
    for (const entry of readdirSync(source, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
      const whole = readFileSync(join(entry.parentPath, entry.name));
      const keep = whole.indexOf(10, Math.floor(whole.length / 2)) + 15; // mid-line: a session still being written
      const target = join(dir, `${String(n++).padStart(3, '0')}-${entry.name}`);
      writeFileSync(target, whole.subarray(0, keep));
      rests.push([target, whole.subarray(keep)]);
    }
    expect(n).toBeGreaterThan(10);
    const home = mkdtempSync(join(tmpdir(), 'seq-threads-cache-'));
    const args = ['--dataset', 'usage', dir];
    same(scan(2, args, home), scan(0, args));
    for (const [path, rest] of rests) appendFileSync(path, rest);
    const after = scan(2, args, home);
    same(after, scan(0, args));
    expect(after.stderr).toBe('');
    mkdirSync(join(dir, 'more'));
    same(scan(1, args, home), scan(0, args));
  });
});
