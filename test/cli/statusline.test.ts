/**
 * seq statusline: the line Claude Code shows, from the JSON it passes on stdin, its figures
 * equal to the views' (seq blocks, seq query), its failures one line without a trace, and
 * --install keeping every other setting.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeHome, TIMES } from '../helpers/claude-times.js';
import { BIN, jsonLines, run } from '../helpers/cli.js';

const home = claudeHome(TIMES);
const transcript = join(home, 'projects/p/s1.jsonl');
const STDIN = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd: '/w', model: { id: 'claude-opus-4-6', display_name: 'Opus' } });

/** At noon of 2026-10-01 (UTC), with the home's logs as Claude Code's. */
function statusline(input: string, env: Record<string, string> = {}) {
  return run('seq', ['statusline'], { input, env: { CLAUDE_CONFIG_DIR: home, HOME: home, TZ: 'UTC', SEQ_NOW: '2026-10-01T12:00:00Z', ...env } });
}

const dollars = (value: number): string => `$${value.toFixed(2)}`;

describe('seq statusline', () => {
  it("prints the model, the session's cost, today's and the running block's, as seq blocks and seq query count them", () => {
    const blocks = run('seq', ['blocks', '--active', '--format', 'json', join(home, 'projects')], { env: { SEQ_NOW: '2026-10-01T12:00:00Z' } });
    const [block] = JSON.parse(blocks.stdout) as Array<{ cost_usd: number; minutes_left: number; cost_per_hour: number }>;
    const cost = (args: string[]): number =>
      (
        jsonLines(run('seq', ['query', '--dataset', 'usage', '--metric', 'sum:cost_usd:c', '--format', 'jsonl', ...args, transcript]).stdout)[0] as {
          c: number;
        }
      ).c;
    // As things stood at SEQ_NOW: the session's requests made by then, not its later ones.
    const session = cost(['--until', '2026-10-01T12:00:00Z']);
    expect(session).toBeLessThan(cost([]));
    const today = cost(['--since', '2026-10-01T00:00:00Z', '--until', '2026-10-01T12:00:00Z']);
    const r = statusline(STDIN);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Opus | ${dollars(session)} session | ${dollars(today)} today | ${dollars(block.cost_usd)} block, 2h 0m left, ${dollars(block.cost_per_hour)}/h\n`,
    );
    expect(block.minutes_left).toBe(120);
  });

  it("says when no block is running, and goes by the local day's start", () => {
    expect(statusline(STDIN, { SEQ_NOW: '2026-10-01T20:00:00Z' }).stdout).toMatch(/ \| \$\d+\.\d\d today \| no block running\n$/);
    // At 01:00 in Tokyo (16:00 UTC the day before) the day has just begun: nothing yet.
    expect(statusline(STDIN, { SEQ_NOW: '2026-10-01T16:00:00Z', TZ: 'Asia/Tokyo' }).stdout).toContain('| $0.00 today |');
  });

  it('shows $? for a cost with a request of no price, never $0.00', () => {
    const unpriced = claudeHome(TIMES);
    const file = join(unpriced, 'projects/p/s1.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('claude-sonnet-4-5-20250929', 'my-local-model'));
    const input = JSON.stringify({ session_id: 's1', transcript_path: file, model: { display_name: 'Opus' } });
    const r = statusline(input, { CLAUDE_CONFIG_DIR: unpriced, HOME: unpriced });
    expect(r.stdout).toBe('Opus | $? session | $? today | $? block, 2h 0m left\n');
  });

  it('leaves out what the input does not say, and never fails on it', () => {
    for (const input of ['', 'not json', '[]', '{"model":{}}']) {
      const r = statusline(input);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\$\d+\.\d\d today \| \$\d+\.\d\d block, 2h 0m left, \$\d+\.\d\d\/h\n$/);
    }
  });

  it('names on stderr the lines it skipped, and says on the line when a log could not be read (exit 1)', () => {
    const damaged = claudeHome(TIMES);
    const file = join(damaged, 'projects/p/s1.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').length;
    appendFileSync(file, 'garbage\n');
    const input = JSON.stringify({ session_id: 's1', transcript_path: file, model: { display_name: 'Opus' } });
    const r = statusline(input, { CLAUDE_CONFIG_DIR: damaged, HOME: damaged });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(statusline(STDIN).stdout);
    expect(r.stderr).toBe(`seq: skipped 1 malformed line (first: ${file}:${lines})\n`);
    if (process.getuid?.() === 0) return; // a file its owner cannot read is one root still reads
    chmodSync(file, 0o000);
    const unread = statusline(input, { CLAUDE_CONFIG_DIR: damaged, HOME: damaged });
    expect(unread.status).toBe(1);
    expect(unread.stdout).toMatch(/ \| some logs could not be read\n$/);
    expect(unread.stderr).toContain(`seq: cannot read ${file}: permission denied\n`);
  });

  it('a failure is one short line on stdout, without a trace', () => {
    const r = statusline(STDIN, { SEQ_NOW: 'later' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('seq: SEQ_NOW: "later" is not a time\n');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('seq statusline --install', () => {
  it('sets the status line, keeping every other setting; a second time changes nothing', () => {
    const settings = join(mkdtempSync(join(tmpdir(), 'seq-statusline-')), 'settings.json');
    writeFileSync(settings, JSON.stringify({ model: 'opus', hooks: { SessionEnd: [] } }));
    const r = run('seq', ['statusline', '--install', '--settings', settings]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({
      model: 'opus',
      hooks: { SessionEnd: [] },
      statusLine: { type: 'command', command: 'seq statusline', padding: 0 },
    });
    const again = run('seq', ['statusline', '--install', '--settings', settings]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`${settings} already shows "seq statusline" as its status line; nothing changed\n`);
  });

  it('names this seq by its path where the seq found first on PATH is another (coreutils has one)', () => {
    const settings = join(mkdtempSync(join(tmpdir(), 'seq-statusline-')), 'settings.json');
    const PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
    const r = run('seq', ['statusline', '--install', '--settings', settings], { env: { PATH } });
    expect(r.status).toBe(0);
    const command = `${join(BIN, 'seq')} statusline`;
    expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({ statusLine: { type: 'command', command, padding: 0 } });
    expect(run('seq', ['statusline', '--install', '--settings', settings], { env: { PATH } }).stdout).toBe(
      `${settings} already shows "${command}" as its status line; nothing changed\n`,
    );
    // As Claude Code runs it: through a shell, with that PATH.
    const shown = spawnSync('sh', ['-c', command], {
      input: STDIN,
      encoding: 'utf8',
      env: { ...process.env, PATH, SEQ_NOW: '2026-10-01T12:00:00Z', CLAUDE_CONFIG_DIR: home },
    });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/^Opus/);
  });

  it("with no --settings, writes Claude Code's own settings: in $CLAUDE_CONFIG_DIR where it is set", () => {
    const config = mkdtempSync(join(tmpdir(), 'seq-statusline-config-'));
    const home = mkdtempSync(join(tmpdir(), 'seq-statusline-home-'));
    const r = run('seq', ['statusline', '--install'], { env: { HOME: home, CLAUDE_CONFIG_DIR: config } });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(config, 'settings.json'), 'utf8'))).toMatchObject({ statusLine: { type: 'command' } });
    expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false);
    const hook = run('seq-record', ['install-hook', '--user'], { env: { HOME: home, CLAUDE_CONFIG_DIR: config } });
    expect(hook.status).toBe(0);
    expect(JSON.parse(readFileSync(join(config, 'settings.json'), 'utf8'))).toMatchObject({ statusLine: { type: 'command' }, hooks: { SessionEnd: [{}] } });
  });

  it('leaves another status line, and a file that does not parse, as they are', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-statusline-'));
    const other = join(folder, 'other.json');
    const text = JSON.stringify({ statusLine: { type: 'command', command: 'ccusage statusline' } });
    writeFileSync(other, text);
    const r = run('seq', ['statusline', '--install', '--settings', other]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already has a status line ("ccusage statusline"); it was left as it was');
    expect(readFileSync(other, 'utf8')).toBe(text);
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{"model": ');
    const b = run('seq', ['statusline', '--install', '--settings', broken]);
    expect(b.status).toBe(1);
    expect(b.stderr).toContain(`${broken}: invalid JSON at line 1, column 11`);
    expect(readFileSync(broken, 'utf8')).toBe('{"model": ');
  });
});

describe('seq statusline on a long history', () => {
  /** A transcript of one session with one request at `at`. */
  const transcriptAt = (folder: string, session: string, at: Date, input: number): void => {
    mkdirSync(join(folder, 'projects/p'), { recursive: true });
    const line = JSON.stringify({
      type: 'assistant',
      sessionId: session,
      requestId: `req_${session}_${input}`,
      uuid: `u_${session}_${input}`,
      timestamp: at.toISOString(),
      version: '2.1.0',
      cwd: '/w',
      message: { id: `msg_${session}_${input}`, role: 'assistant', model: 'claude-opus-4-6', content: [], usage: { input_tokens: input, output_tokens: 0 } },
    });
    appendFileSync(join(folder, `projects/p/${session}.jsonl`), `${line}\n`);
  };

  it('reads only the files written lately, as the last walk found them, for two minutes; then walks again', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-statusline-long-'));
    const cache = mkdtempSync(join(tmpdir(), 'seq-statusline-cache-'));
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    transcriptAt(folder, 'a', minutesAgo(3), 1_000_000); // $5 of claude-opus-4-6 input
    const line = (input = '') => run('seq', ['statusline'], { input, env: { CLAUDE_CONFIG_DIR: folder, HOME: folder, XDG_CACHE_HOME: cache } }).stdout;
    expect(line()).toMatch(/^\$\d+\.\d\d today \| \$5\.00 block, /);
    // A file the walk found is read again as it grows.
    transcriptAt(folder, 'a', minutesAgo(2), 2_000_000);
    expect(line()).toMatch(/ \| \$15\.00 block, /);
    // A session begun since the walk: found by the next walk, once the list is two minutes old.
    transcriptAt(folder, 'b', minutesAgo(1), 1_000_000);
    expect(line()).toMatch(/ \| \$15\.00 block, /);
    // ... but the session the status line is shown for counts at once.
    expect(line(JSON.stringify({ session_id: 'b', transcript_path: join(folder, 'projects/p/b.jsonl') }))).toMatch(
      /^\$5\.00 session \| .* \| \$20\.00 block, /,
    );
    const state = join(cache, 'seq/recent-files.json');
    const remembered = JSON.parse(readFileSync(state, 'utf8')) as { walkedAt: number };
    writeFileSync(state, JSON.stringify({ ...remembered, walkedAt: remembered.walkedAt - 121_000 }));
    expect(line()).toMatch(/ \| \$20\.00 block, /);
  });
});
