/** Finding session logs: default places, layouts, .zst, copies, and the source told by content. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, sh, tempFiles } from '../helpers/cli.js';
import { FIXTURES, requireFixtures } from '../helpers/sessions.js';

const ready = requireFixtures();
const CODEX_FILE = '2026/01/02/rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl';
const CLAUDE_PROJECT = 'claude/projects/-src-experiments-claude_p';

/** A zstd frame made of raw (stored) blocks: a valid .zst without a compressor. */
function zstdFrame(content: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = 0xe0; // single segment, 8-byte content size, no checksum, no dictionary
  header.writeBigUInt64LE(BigInt(content.length), 5);
  const parts: Buffer[] = [header];
  for (let offset = 0; offset < content.length || offset === 0; offset += 1 << 17) {
    const block = content.subarray(offset, offset + (1 << 17));
    const last = offset + (1 << 17) >= content.length ? 1 : 0;
    const blockHeader = Buffer.alloc(3);
    blockHeader.writeUIntLE(last | (block.length << 3), 0, 3);
    parts.push(blockHeader, block);
    if (content.length === 0) break;
  }
  return Buffer.concat(parts);
}

function usageTotal(args: string[], env: Record<string, string> = {}): unknown {
  const r = run('seq', ['query', '--dataset', 'usage', '--metric', 'sum:total_tokens:t', '--metric', 'count::n', '--format', 'jsonl', ...args], { env });
  expect(r.status).toBe(0);
  return jsonLines(r.stdout)[0];
}

describe.skipIf(!ready)('discovery', () => {
  it('reads the default places of both agents when no path is given, and only those that exist', () => {
    const home = tempFiles({});
    mkdirSync(join(home, '.codex/sessions/2026/01/02'), { recursive: true });
    copyFileSync(join(FIXTURES, 'codex/sessions', CODEX_FILE), join(home, '.codex/sessions', CODEX_FILE));
    mkdirSync(join(home, '.claude/projects'), { recursive: true });
    spawnSync('cp', ['-r', join(FIXTURES, CLAUDE_PROJECT), join(home, '.claude/projects/')]);
    const r = run('seq', ['query', '--dataset', 'usage', '--by', 'source', '--metric', 'sum:total_tokens:t', '--format', 'jsonl'], {
      env: { HOME: home },
      cwd: home,
    });
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout)).toEqual([
      { source: 'codex', t: 22774 },
      { source: 'claude', t: 328229 },
    ]);
    // CODEX_HOME and CLAUDE_CONFIG_DIR move the places; --source picks one agent.
    const moved = tempFiles({});
    spawnSync('mv', [join(home, '.codex'), join(moved, 'codex-home')]);
    expect(usageTotal(['--source', 'codex'], { HOME: home, CODEX_HOME: join(moved, 'codex-home') })).toEqual({ t: 22774, n: 3 });
    expect(usageTotal(['--source', 'claude'], { HOME: home })).toEqual({ t: 328229, n: 12 });
  });

  it('says so when there are no logs in the default places', () => {
    const home = tempFiles({});
    const r = run('seq', ['query', '--dataset', 'usage'], { env: { HOME: home }, cwd: home });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('seq: found no session logs in the default places (seq-scan --help lists them); give a PATH or --root\n');
    expect(r.stdout).toBe('');
  });

  it('reads .jsonl.zst rollouts, and a rollout in sessions/ and archived_sessions/ counts once', () => {
    const root = tempFiles({});
    const original = readFileSync(join(FIXTURES, 'codex/sessions', CODEX_FILE));
    const name = CODEX_FILE.split('/').pop() as string;
    mkdirSync(join(root, 'sessions/2026/01/02'), { recursive: true });
    mkdirSync(join(root, 'archived_sessions'));
    writeFileSync(join(root, 'sessions', `${CODEX_FILE}.zst`), zstdFrame(original));
    expect(usageTotal([join(root, 'sessions')])).toEqual({ t: 22774, n: 3 });
    copyFileSync(join(FIXTURES, 'codex/sessions', CODEX_FILE), join(root, 'archived_sessions', name));
    expect(usageTotal([root])).toEqual({ t: 22774, n: 3 });
    const zstd = spawnSync('zstd', ['-q', '-19', '-o', join(root, 'real.jsonl.zst'), join(FIXTURES, 'codex/sessions', CODEX_FILE)]);
    if (zstd.status === 0) expect(usageTotal([join(root, 'real.jsonl.zst')])).toEqual({ t: 22774, n: 3 });
  });

  it('tells the source by content, wherever the file is; a subagent file counts toward its parent', () => {
    const root = tempFiles({});
    copyFileSync(
      join(FIXTURES, CLAUDE_PROJECT, '29ccd257-68b1-427f-ae5f-6524b7cb6f20/subagents/agent-a2271d1.jsonl'),
      join(root, 'rollout-looks-like-codex.jsonl'),
    );
    const r = run('seq', ['query', '--dataset', 'usage', '--by', 'source,session_id', '--format', 'jsonl', root]);
    expect(jsonLines(r.stdout)).toEqual([{ source: 'claude', session_id: '29ccd257-68b1-427f-ae5f-6524b7cb6f20', count: 10 }]);
  });

  it('reads the layouts of every version: legacy agent-*.jsonl and <session>/subagents/', () => {
    const rows = jsonLines(
      run('seq', ['query', '--dataset', 'sessions', '--select', 'session_id,log_files', '--format', 'jsonl', `${FIXTURES}/claude/projects`]).stdout,
    );
    expect(rows).toContainEqual({ session_id: '29ccd257-68b1-427f-ae5f-6524b7cb6f20', log_files: 2 });
    expect(rows).toContainEqual({ session_id: '5ed31c36-bca8-40fd-8d24-f1a1f0af7901', log_files: 2 });
  });

  it('shows progress on a terminal only, clears it at the end, and never with --quiet', () => {
    // Forty copies of a 1 MB rollout: long enough to pass the (lowered) threshold of the line.
    const dir = tempFiles({});
    const big = join(FIXTURES, 'codex/sessions/2026/02/23/rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl');
    for (let i = 0; i < 40; i++) copyFileSync(big, join(dir, `copy-${i}.jsonl`));
    const scan = `seq-scan --dataset usage ${dir} > /dev/null`;
    const onTerminal = sh(`script -qec ${JSON.stringify(`SEQ_PROGRESS_AFTER_MS=0 ${scan}`)} /dev/null`).stdout;
    expect(onTerminal).toMatch(/seq-scan: \d+ files, [\d.]+ MB, \d+ MB\/s/);
    expect(onTerminal.endsWith('\r\x1b[K')).toBe(true);
    expect(sh(`script -qec ${JSON.stringify(`SEQ_PROGRESS_AFTER_MS=0 ${scan} --quiet`)} /dev/null`).stdout).toBe('');
    expect(sh(`SEQ_PROGRESS_AFTER_MS=0 ${scan}`).stderr).toBe('');
  });

  it('reports files that are not session logs once, at the end, and goes on', () => {
    const root = tempFiles({ 'notes.jsonl': '{"hello":"world"}\n', 'other.jsonl': '{"x":1}\n' });
    copyFileSync(join(FIXTURES, 'codex/sessions', CODEX_FILE), join(root, 'z.jsonl'));
    const r = run('seq', ['query', '--dataset', 'usage', '--metric', 'sum:total_tokens:t', '--format', 'jsonl', root]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"t":22774}\n');
    expect(r.stderr).toBe(
      `seq: skipped 2 files that are not a session log (first: ${root}/notes.jsonl: not a session log of any agent seq reads (line 1 is none of theirs; seq sources lists them))\n`,
    );
  });

  it('with --since, does not open files last written before it', () => {
    const line = (ts: string, text: string): string =>
      JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    const meta = (ts: string, id: string): string => JSON.stringify({ timestamp: ts, type: 'session_meta', payload: { id, timestamp: ts, cwd: '/w' } });
    const root = tempFiles({
      'old.jsonl': `${[meta('2020-01-01T10:00:00Z', 'a'), line('2020-01-01T10:01:00Z', 'old'), 'not json'].join('\n')}\n`,
      'new.jsonl': `${[meta('2026-11-20T10:00:00Z', 'b'), line('2026-11-20T10:01:00Z', 'new')].join('\n')}\n`,
    });
    utimesSync(join(root, 'old.jsonl'), new Date('2020-01-01T11:00:00Z'), new Date('2020-01-01T11:00:00Z'));
    // Without --since the old file is read (its bad line is reported); with it, it is never opened.
    expect(run('seq-scan', ['--dataset', 'messages', root]).stderr).toContain('skipped 1 malformed line');
    const r = run('seq-scan', ['--dataset', 'messages', '--since', '2026-01-01', root]);
    expect(r.stderr).toBe('');
    expect((jsonLines(r.stdout) as Array<{ text: string }>).map((m) => m.text)).toEqual(['new']);
  });
});
