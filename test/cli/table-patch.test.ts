/**
 * Kept tables patched where a few files changed (lib/scan/table-patch.ts), through the real
 * executables: a transcript that grew is read alone and its rows take the place of its kept
 * ones, and whatever changed, every scan prints exactly what `--no-cache` prints. Whether a scan
 * patched is seen in the cache of events (test/helpers/grow.ts scanned).
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cached, changeableLogs, same, SESSION_DATASETS, truth } from '../helpers/cached.js';
import { growClaude, growCodex, logFiles, scanned } from '../helpers/grow.js';
import { TABLE_FORMAT } from '../../lib/cache/table-file.js';

const USAGE = ['query', '--dataset', 'usage', '--format', 'jsonl'];

describe('a kept table is patched where a few files changed', () => {
  it('a transcript that grew is read alone, and the rows are those of --no-cache', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const files = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/'));
    growClaude(files[0] as string);
    const patched = scanned(home, args);
    same(patched.result, truth('seq', args));
    expect(patched.read).toBe(1);
    // And again, another file and the same one: the patch holds both. The one the patch read
    // before is read on from where it read it to, alone: not through the cache of events.
    growClaude(files[1] as string);
    growClaude(files[0] as string);
    const again = scanned(home, args);
    same(again.result, truth('seq', args));
    expect(again.read).toBe(1);
    // Nothing changed since: the patched table's rows, no file read.
    const warm = scanned(home, args);
    same(warm.result, truth('seq', args));
    expect(warm.read).toBe(0);
  });

  it('a Codex rollout that grew is read alone', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    growCodex(logFiles(join(logs, 'codex'))[2] as string);
    const patched = scanned(home, args);
    same(patched.result, truth('seq', args));
    expect(patched.read).toBe(1);
  });

  it.each(SESSION_DATASETS)('%s: after a transcript, a subagent and a rollout grew, the same bytes as --no-cache', (dataset) => {
    const { logs, home } = changeableLogs();
    const args = ['query', '--dataset', dataset, '--format', 'jsonl', logs];
    same(cached('seq', home, args), truth('seq', args));
    const claude = logFiles(join(logs, 'claude'));
    const steps = [
      () => growClaude(claude.find((path) => !path.includes('/subagents/')) as string),
      () => growClaude(claude.find((path) => path.includes('/subagents/')) as string, 1),
      () => growCodex(logFiles(join(logs, 'codex'))[0] as string),
    ];
    for (const step of steps) {
      step();
      same(cached('seq', home, args), truth('seq', args));
    }
  });

  it('a transcript added is read alone, one removed is left out, one moved is read where it is now', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    const messages = ['query', '--dataset', 'messages', '--format', 'jsonl', logs];
    same(cached('seq', home, args), truth('seq', args));
    same(cached('seq', home, messages), truth('seq', messages));
    const transcripts = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/'));
    const first = transcripts[0] as string;
    // A session begun since: its own ids everywhere.
    const begun = join(dirname(first), '00000000-0000-7000-8000-00000000beef.jsonl');
    writeFileSync(
      begun,
      readFileSync(first, 'utf8')
        .replace(/"(id|requestId|uuid|parentUuid|sessionId|tool_use_id)":"/g, '"$1":"begun-')
        .replace(/"(id|tool_use_id)":"begun-toolu_/g, '"$1":"toolu_begun-'),
    );
    // Each table patched where it is (appended to: the same file), not written again.
    const folder = join(home, 'seq', `tables-${TABLE_FORMAT}`);
    const inodes = (): number[] =>
      readdirSync(folder)
        .filter((name) => name.endsWith('.tbl'))
        .sort()
        .map((name) => statSync(join(folder, name)).ino);
    const before = inodes();
    for (const query of [args, messages]) {
      const added = scanned(home, query);
      same(added.result, truth('seq', query));
      expect(added.read).toBe(1);
    }
    rmSync(transcripts[1] as string);
    for (const query of [args, messages]) {
      const gone = scanned(home, query);
      same(gone.result, truth('seq', query));
      expect(gone.read).toBe(0);
    }
    expect(inodes()).toEqual(before);
    // A rollout moved to the archive: gone from one place, added in another, the same records.
    const rollout = logFiles(join(logs, 'codex'))[1] as string;
    mkdirSync(join(logs, 'codex', 'archived_sessions'), { recursive: true });
    renameSync(rollout, join(logs, 'codex', 'archived_sessions', basename(rollout)));
    const moved = scanned(home, args);
    same(moved.result, truth('seq', args));
    expect(moved.read).toBe(1);
    // All at once: a file grew, one was added, one removed.
    growClaude(first);
    cpSync(begun, join(dirname(begun), 'copy-of-a-begun-session.jsonl'));
    rmSync(transcripts[2] as string);
    same(cached('seq', home, args), truth('seq', args));
    same(cached('seq', home, messages), truth('seq', messages));
  });

  it('a table patched, then a file removed: the table written whole from the patched rows', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const transcripts = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/'));
    // One file gains a request, another loses its last (an appended patch whose counts differ from the table's).
    growClaude(transcripts[0] as string, 1);
    const shrunk = transcripts[transcripts.length - 1] as string;
    const lines = readFileSync(shrunk, 'utf8').split('\n').filter(Boolean);
    const last = lines.map((line) => line.includes('"usage"')).lastIndexOf(true);
    writeFileSync(shrunk, `${lines.filter((_, i) => i !== last).join('\n')}\n`);
    const patched = scanned(home, args);
    same(patched.result, truth('seq', args));
    expect(patched.read).toBe(2);
    rmSync(transcripts[1] as string);
    const rewritten = scanned(home, args);
    same(rewritten.result, truth('seq', args));
    expect(rewritten.read).toBe(0);
    // And a patch on top of the table written whole.
    growClaude(transcripts[2] as string);
    const again = scanned(home, args);
    same(again.result, truth('seq', args));
    expect(again.read).toBe(1);
    expect(scanned(home, args).read).toBe(0);
  });

  it('a file tied to another (a request another file has too) is not read alone: the logs are read', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const [first, second] = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/'));
    // The second transcript gets a copy of one of the first's requests, larger: the copy wins, in the other file.
    const copied = readFileSync(first as string, 'utf8')
      .split('\n')
      .find((line) => line.includes('"type":"assistant"') && line.includes('"output_tokens":')) as string;
    appendFileSync(second as string, `${copied.replace(/"output_tokens":(\d+)/, (_, n: string) => `"output_tokens":${Number(n) + 7}`)}\n`);
    const read = scanned(home, args);
    same(read.result, truth('seq', args));
    expect(read.read).toBeGreaterThan(1);
  });

  it('a file tied to one patched before, by a request that patch read, is not read alone either', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const [first, second, third] = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/'));
    growClaude(first as string, 2);
    const patched = scanned(home, args);
    same(patched.result, truth('seq', args));
    expect(patched.read).toBe(1);
    // Another file patched on top, so that the first's identities are the patch's own.
    growClaude(third as string, 1);
    expect(scanned(home, args).read).toBe(1);
    // The second transcript gets a copy of the request the first grew by: the two are tied.
    const grown = readFileSync(first as string, 'utf8')
      .trimEnd()
      .split('\n')
      .at(-1) as string;
    appendFileSync(second as string, `${grown}\n`);
    const read = scanned(home, args);
    same(read.result, truth('seq', args));
    expect(read.read).toBeGreaterThan(1);
  });

  it('records with an empty identity are matched across files as the scan matches them', () => {
    const logs = mkdtempSync(join(tmpdir(), 'seq-patch-empty-'));
    const home = mkdtempSync(join(tmpdir(), 'seq-patch-home-'));
    // Claude: two transcripts with a request of an empty message id and the same request id (one request, the larger copy kept).
    const claude = join(logs, 'claude', 'projects', '-p');
    mkdirSync(claude, { recursive: true });
    const request = (session: string, id: string, requestId: string, output: number, n: number): string =>
      `${JSON.stringify({
        parentUuid: null,
        isSidechain: false,
        cwd: '/p',
        sessionId: session,
        version: '2.1.17',
        message: {
          model: 'claude-opus-4-6',
          id,
          type: 'message',
          role: 'assistant',
          content: [{ type: 'text', text: 'hi' }],
          usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output },
        },
        requestId,
        type: 'assistant',
        uuid: `u${session}${n}`,
        timestamp: new Date(Date.UTC(2026, 10, 21, 12, n)).toISOString(),
      })}\n`;
    writeFileSync(join(claude, 'a.jsonl'), request('a', '', 'r', 100, 0));
    writeFileSync(join(claude, 'b.jsonl'), request('b', '', 'r', 50, 1));
    writeFileSync(join(claude, 'c.jsonl'), Array.from({ length: 20 }, (_, n) => request('c', `msg_c${n}`, `req_c${n}`, 5, n)).join(''));
    // Codex: two rollouts of a session with an empty id (one timeline), and another.
    const codex = join(logs, 'codex', 'sessions', '2026', '11', '03');
    mkdirSync(codex, { recursive: true });
    const rollout = (id: string, totals: number[], from: number): string =>
      [
        {
          timestamp: '2026-11-03T10:18:28.000Z',
          type: 'session_meta',
          payload: { id, timestamp: '2026-11-03T10:18:28.000Z', cwd: '/p', originator: 'codex_cli_rs', cli_version: '0.58.0' },
        },
        { timestamp: '2026-11-03T10:19:00.000Z', type: 'turn_context', payload: { cwd: '/p', model: 'gpt-5-codex' } },
        ...totals.map((total, n) => ({
          timestamp: new Date(Date.UTC(2026, 10, 3, 10, from + n)).toISOString(),
          type: 'event_msg',
          payload: {
            type: 'token_count',
            info: {
              total_token_usage: { input_tokens: total, cached_input_tokens: 0, output_tokens: 10, reasoning_output_tokens: 0, total_tokens: total + 10 },
              last_token_usage: { input_tokens: 5, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 6 },
              model_context_window: 272000,
            },
          },
        })),
      ]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join('');
    writeFileSync(join(codex, 'rollout-2026-11-03T10-18-28-a.jsonl'), rollout('', [100, 200], 20));
    writeFileSync(join(codex, 'rollout-2026-11-03T10-18-29-b.jsonl'), rollout('', [100, 200, 300], 20));
    writeFileSync(
      join(codex, 'rollout-2026-11-03T10-18-30-c.jsonl'),
      rollout(
        'sess-c',
        Array.from({ length: 20 }, (_, n) => 100 * (n + 1)),
        0,
      ),
    );
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    appendFileSync(join(claude, 'b.jsonl'), request('b', 'msg_b2', 'req_b2', 7, 2));
    same(cached('seq', home, args), truth('seq', args));
    appendFileSync(join(codex, 'rollout-2026-11-03T10-18-29-b.jsonl'), rollout('', [400], 30).split('\n').slice(2).join('\n'));
    same(cached('seq', home, args), truth('seq', args));
  });

  it('a bad line in a file that grew, or a model without a price, is told as --no-cache tells it', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const file = logFiles(join(logs, 'claude')).find((path) => !path.includes('/subagents/')) as string;
    appendFileSync(file, 'not json at all\n');
    same(cached('seq', home, args), truth('seq', args));
    growClaude(file);
    same(cached('seq', home, args), truth('seq', args));
    const unpriced = readFileSync(file, 'utf8')
      .split('\n')
      .find((line) => line.includes('"type":"assistant"') && line.includes('"usage"')) as string;
    appendFileSync(
      file,
      `${unpriced
        .replace(/"model":"[^"]*"/, '"model":"claude-nonesuch-9"')
        .replace(/"id":"msg_/, '"id":"msg_np')
        .replace(/"requestId":"req_/, '"requestId":"req_np')}\n`,
    );
    same(cached('seq', home, args), truth('seq', args));
  });

  it('a file rewritten, not grown, is read alone too', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const file = logFiles(join(logs, 'claude')).find((path) => !path.includes('/subagents/')) as string;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, `${lines.slice(0, Math.ceil(lines.length / 2)).join('\n')}\n`);
    const patched = scanned(home, args);
    same(patched.result, truth('seq', args));
    expect(patched.read).toBe(1);
  });

  it('patches appended one after another are bounded: the table is written whole again from its rows', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const folder = join(home, 'seq', `tables-${TABLE_FORMAT}`);
    const table = join(folder, readdirSync(folder).find((name) => name.endsWith('.tbl')) as string);
    const whole = statSync(table).size;
    const [file, other] = logFiles(join(logs, 'claude')).filter((path) => !path.includes('/subagents/')) as [string, string];
    let largest = 0;
    const reads: number[] = [];
    for (let i = 0; i < 12; i++) {
      // One file grows again and again (the last patch's rows are all its own), then two by turns (the other's stay as patched).
      growClaude(i >= 6 && i % 2 === 1 ? other : file, 1);
      // Appended, or written whole from the kept rows once there is no room: the one file read
      // either way, whole through the cache of events, or on from where a patch read it to.
      const grown = scanned(home, args);
      same(grown.result, truth('seq', args));
      reads.push(grown.read);
      largest = Math.max(largest, statSync(table).size);
    }
    expect(reads.every((n) => n <= 1)).toBe(true);
    // Read on alone wherever the patch before read that file (it is not where the table was written whole since).
    expect(reads.filter((n) => n === 0).length).toBeGreaterThanOrEqual(6);
    expect(largest).toBeLessThan(4 * whole);
  });

  it('a patch cut short (a crash while it was appended) is read as no table, and the logs are read', () => {
    const { logs, home } = changeableLogs();
    const args = [...USAGE, logs];
    same(cached('seq', home, args), truth('seq', args));
    const folder = join(home, 'seq', `tables-${TABLE_FORMAT}`);
    const table = join(folder, readdirSync(folder).find((name) => name.endsWith('.tbl')) as string);
    const file = logFiles(join(logs, 'claude')).find((path) => !path.includes('/subagents/')) as string;
    growClaude(file);
    same(cached('seq', home, args), truth('seq', args));
    truncateSync(table, statSync(table).size - 5);
    const read = scanned(home, args);
    same(read.result, truth('seq', args));
    expect(read.read).toBeGreaterThan(1);
  });
});
