/**
 * Gemini CLI's sessions as seq reads them, through the real executables: the per-day tokens of
 * test/fixtures/gemini (its EXPECTED.md) and ccusage 20's on the same files, finding the logs
 * with no path, knowing a file by its content, the datasets the format records, and bad input.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_FIXTURES, seqDaily, type SeqDay } from '../helpers/agents.js';
import { ccusageDaily, type PeerDay, requireCcusage } from '../helpers/ccusage.js';
import { jsonLines, run } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';

const FIXTURE = join(AGENT_FIXTURES, 'gemini');
const TMP = join(FIXTURE, 'tmp');
const LEGACY = join(TMP, '22d6eb9ca20978a45ae438c7ba68624aee9416d7bd04eb0ef98488d580c973d1/chats/session-2025-09-14T08-30-4f1c2a9e.json');
const RESUMED = join(TMP, 'api-server/chats/session-2026-03-02T09-15-c0ffee12');
const MAIN = join(TMP, 'my-app/chats/session-2026-05-17T23-40-9b2d7c11.jsonl');
/** No variable of the environment the tests run in moves the logs. */
const NO_VARS = { GEMINI_CLI_HOME: '', GEMINI_DATA_DIR: '' };

type Tokens = Omit<SeqDay, 'cost_usd'>;

/** EXPECTED.md, "By the format's own semantics": one request per session and message id, thoughts in the output. */
const FORMAT_DAYS: Record<string, Tokens> = {
  '2025-09-14': {
    requests: 3,
    input_tokens: 19498,
    cache_read_tokens: 8102,
    cache_write_tokens: 0,
    output_tokens: 2581,
    reasoning_tokens: 1700,
    total_tokens: 30181,
  },
  '2026-03-02': {
    requests: 2,
    input_tokens: 19421,
    cache_read_tokens: 12950,
    cache_write_tokens: 0,
    output_tokens: 2142,
    reasoning_tokens: 1542,
    total_tokens: 34513,
  },
  '2026-05-17': {
    requests: 2,
    input_tokens: 5598,
    cache_read_tokens: 26626,
    cache_write_tokens: 0,
    output_tokens: 2554,
    reasoning_tokens: 2129,
    total_tokens: 34778,
  },
  '2026-05-18': {
    requests: 4,
    input_tokens: 27795,
    cache_read_tokens: 21980,
    cache_write_tokens: 0,
    output_tokens: 2256,
    reasoning_tokens: 902,
    total_tokens: 52031,
  },
  '2026-05-20': {
    requests: 1,
    input_tokens: 2736,
    cache_read_tokens: 16384,
    cache_write_tokens: 0,
    output_tokens: 478,
    reasoning_tokens: 333,
    total_tokens: 19598,
  },
};

function tokensOf(days: Map<string, SeqDay>): Record<string, Tokens> {
  return Object.fromEntries([...days].map(([day, { cost_usd: _cost, ...tokens }]) => [day, tokens]));
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'seq-gemini-'));
}

/** A home with the fixture where Gemini CLI writes: `<dir>/.gemini/{projects.json,tmp}`. */
function geminiHome(): string {
  const home = tempDir();
  cpSync(FIXTURE, join(home, '.gemini'), { recursive: true });
  return home;
}

function query(args: string[], env: Record<string, string> = {}): { rows: Array<Record<string, unknown>>; stderr: string } {
  const r = run('seq', ['query', ...args], { env: { ...NO_VARS, ...env } });
  if (r.status !== 0) throw new Error(`seq query failed (${r.status}): ${r.stderr}`);
  return { rows: jsonLines(r.stdout) as Array<Record<string, unknown>>, stderr: r.stderr };
}

describe('Gemini CLI: tokens per day', () => {
  it("are the format's own: one request per session and message id across the .json and its resumed .jsonl, thoughts in the output", () => {
    expect(tokensOf(seqDaily('gemini', [TMP], NO_VARS))).toEqual(FORMAT_DAYS);
  });

  describe.skipIf(!requireCcusage())('against ccusage 20', () => {
    // Each run once, for both tests.
    let runs: { seq: Map<string, SeqDay>; peer: Map<string, PeerDay> } | undefined;
    const both = (): { seq: Map<string, SeqDay>; peer: Map<string, PeerDay> } => {
      runs ??= { seq: seqDaily('gemini', [TMP], NO_VARS), peer: ccusageDaily('gemini', { GEMINI_DATA_DIR: TMP }) };
      return runs;
    };

    it("equal on every day but the resumed session's, where ccusage follows the format; its output leaves out the thoughts, which seq counts as output", () => {
      const { seq, peer } = both();
      expect([...peer.keys()].sort()).toEqual(Object.keys(FORMAT_DAYS).sort());
      for (const [day, them] of peer) {
        if (day === '2026-03-02') continue;
        const us = seq.get(day) as SeqDay;
        expect({ day, input: us.input_tokens, cacheRead: us.cache_read_tokens, cacheWrite: us.cache_write_tokens, total: us.total_tokens }).toEqual({
          day,
          input: them.input_tokens,
          cacheRead: them.cache_read_tokens,
          cacheWrite: them.cache_write_tokens,
          total: them.total_tokens,
        });
        expect(us.output_tokens - us.reasoning_tokens).toBe(them.output_tokens);
      }
      // Every model has a price in both tables: the costs agree too.
      for (const [day, them] of peer) {
        if (day !== '2026-03-02') expect({ day, cost: (seq.get(day) as SeqDay).cost_usd.toFixed(10) }).toEqual({ day, cost: them.cost_usd.toFixed(10) });
      }
    });

    it('2026-03-02 differs on purpose: ccusage counts the session resumed from a .json into a .jsonl twice, seq once', () => {
      const us = both().seq.get('2026-03-02') as SeqDay;
      const them = both().peer.get('2026-03-02') as PeerDay;
      expect(us).toMatchObject({
        requests: 2,
        input_tokens: 19421,
        cache_read_tokens: 12950,
        output_tokens: 2142,
        reasoning_tokens: 1542,
        total_tokens: 34513,
      });
      expect(us.cost_usd).toBeCloseTo(0.067136, 10);
      expect(them).toMatchObject({ input_tokens: 38842, cache_read_tokens: 25900, cache_write_tokens: 0, output_tokens: 1200, total_tokens: 69026 });
      expect(them.cost_usd).toBeCloseTo(0.134272, 10);
    });
  });
});

describe('Gemini CLI: where the logs are', () => {
  it('with no path: ~/.gemini/tmp', () => {
    expect(tokensOf(seqDaily('gemini', [], { ...NO_VARS, HOME: geminiHome() }))).toEqual(FORMAT_DAYS);
  });

  it('with no path: $GEMINI_CLI_HOME/.gemini/tmp', () => {
    expect(tokensOf(seqDaily('gemini', [], { ...NO_VARS, HOME: tempDir(), GEMINI_CLI_HOME: geminiHome() }))).toEqual(FORMAT_DAYS);
  });

  it('with no path: $GEMINI_DATA_DIR, a comma-separated list of tmp folders', () => {
    const other = tempDir();
    expect(tokensOf(seqDaily('gemini', [], { ...NO_VARS, HOME: tempDir(), GEMINI_DATA_DIR: `${other}, ${TMP}` }))).toEqual(FORMAT_DAYS);
  });

  it('a file named on the command line is known by its content: JSON Lines, a legacy document, a subagent', () => {
    const { rows } = query([
      '--dataset',
      'sessions',
      '--select',
      'source,session_id,cwd,parent_session_id,requests',
      MAIN,
      LEGACY,
      join(TMP, 'my-app/chats/9b2d7c11-3e4f-4a5b-8c6d-7e8f9a0b1c2d'),
    ]);
    expect(rows).toEqual([
      { source: 'gemini', session_id: '9b2d7c11-3e4f-4a5b-8c6d-7e8f9a0b1c2d', cwd: '/home/dev/my-app', parent_session_id: null, requests: 4 },
      { source: 'gemini', session_id: '4f1c2a9e-1b7d-4e0a-9c55-0d3e8a6b2f10', cwd: null, parent_session_id: null, requests: 3 },
      {
        source: 'gemini',
        session_id: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d',
        cwd: '/home/dev/my-app',
        parent_session_id: '9b2d7c11-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
        requests: 2,
      },
    ]);
  });

  it("claims no other agent's log: not Qwen Code's session-*.json of the same shape, nor Claude Code's, Codex's and the other agents'", () => {
    const { rows } = query([
      '--dataset',
      'usage',
      '--source',
      'gemini',
      '--by',
      'path',
      '--metric',
      'count::n',
      '--format',
      'jsonl',
      AGENT_FIXTURES,
      generatedSessions(),
    ]);
    expect(rows.filter((row) => !(row.path as string).startsWith(`${FIXTURE}/`))).toEqual([]);
    expect(rows).toHaveLength(5);
  });
});

describe('Gemini CLI: the datasets', () => {
  it('sessions: one per session id however many files hold it, with its project, its parent, and the requests counted once', () => {
    const { rows } = query([
      '--dataset',
      'sessions',
      '--select',
      'session_id,start,cwd,parent_session_id,log_files,turns,assistant_messages,tool_calls,requests,total_tokens,models',
      TMP,
    ]);
    expect(rows).toEqual([
      {
        session_id: '4f1c2a9e-1b7d-4e0a-9c55-0d3e8a6b2f10',
        start: '2025-09-14T08:30:02.114Z',
        cwd: null,
        parent_session_id: null,
        log_files: 1,
        turns: 2,
        assistant_messages: 2,
        tool_calls: 1,
        requests: 3,
        total_tokens: 30181,
        models: 'gemini-2.5-pro,gemini-2.5-flash',
      },
      {
        session_id: 'c0ffee12-7a3b-4c9d-8e21-5b6f0a9d3c44',
        start: '2026-03-02T09:15:20.880Z',
        cwd: '/home/dev/api-server',
        parent_session_id: null,
        log_files: 2,
        turns: 2,
        assistant_messages: 3,
        tool_calls: 1,
        requests: 3,
        total_tokens: 54111,
        models: 'gemini-3-pro-preview,gemini-3-flash-preview',
      },
      {
        session_id: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d',
        start: '2026-05-18T00:02:31.500Z',
        cwd: '/home/dev/my-app',
        parent_session_id: '9b2d7c11-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
        log_files: 1,
        turns: 1,
        assistant_messages: 1,
        tool_calls: 1,
        requests: 2,
        total_tokens: 13911,
        models: 'gemini-3-flash-preview',
      },
      {
        session_id: '9b2d7c11-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
        start: '2026-05-17T23:40:12.345Z',
        cwd: '/home/dev/my-app',
        parent_session_id: null,
        log_files: 1,
        turns: 3,
        assistant_messages: 2,
        tool_calls: 4,
        requests: 4,
        total_tokens: 72898,
        models: 'gemini-3-flash-preview,gemini-2.5-flash',
      },
    ]);
  });

  it('usage: a rewound request is counted, a message that never got its usage is not; request_id is the message id', () => {
    const { rows } = query(['--dataset', 'usage', '--select', 'request_id,model,timestamp,total_tokens', MAIN]);
    expect(rows).toEqual([
      { request_id: '22222222-bbbb-4ccc-8ddd-000000000002', model: 'gemini-3-flash-preview', timestamp: '2026-05-17T23:40:31.009Z', total_tokens: 16276 },
      { request_id: '22222222-bbbb-4ccc-8ddd-000000000003', model: 'gemini-3-flash-preview', timestamp: '2026-05-17T23:41:05.662Z', total_tokens: 18502 },
      { request_id: '22222222-bbbb-4ccc-8ddd-000000000007', model: 'gemini-2.5-flash', timestamp: '2026-05-18T00:02:30.901Z', total_tokens: 18888 },
      { request_id: '22222222-bbbb-4ccc-8ddd-000000000009', model: 'gemini-3-flash-preview', timestamp: '2026-05-18T00:05:12.640Z', total_tokens: 19232 },
    ]);
  });

  it('tool_calls: the canonical tool name, not the name shown, each call once with its last status', () => {
    const { rows } = query(['--dataset', 'tool_calls', '--select', 'session_id,kind,tool,call_id,status,timestamp', TMP]);
    expect(rows.map(({ session_id, ...call }) => ({ session: (session_id as string).slice(0, 8), ...call }))).toEqual([
      {
        session: '4f1c2a9e',
        kind: 'function_call',
        tool: 'list_directory',
        call_id: 'list_directory-1757838609760-8f2a1c0d9e4b5',
        status: 'success',
        timestamp: '2025-09-14T08:30:09.802Z',
      },
      {
        session: 'c0ffee12',
        kind: 'function_call',
        tool: 'read_file',
        call_id: 'read_file_1772442934551_0',
        status: 'success',
        timestamp: '2026-03-02T09:15:34.590Z',
      },
      {
        session: '3a4b5c6d',
        kind: 'function_call',
        tool: 'grep_search',
        call_id: 'grep_search_1779062564300_0',
        status: 'success',
        timestamp: '2026-05-18T00:02:44.900Z',
      },
      {
        session: '9b2d7c11',
        kind: 'function_call',
        tool: 'run_shell_command',
        call_id: 'run_shell_command_1779061231002_0',
        status: 'success',
        timestamp: '2026-05-17T23:40:44.530Z',
      },
      {
        session: '9b2d7c11',
        kind: 'function_call',
        tool: 'replace',
        call_id: 'replace_1779061265650_0',
        status: 'cancelled',
        timestamp: '2026-05-17T23:41:20.002Z',
      },
      {
        session: '9b2d7c11',
        kind: 'function_call',
        tool: 'run_shell_command',
        call_id: 'run_shell_command_1779061265655_1',
        status: 'error',
        timestamp: '2026-05-17T23:41:20.010Z',
      },
      {
        session: '9b2d7c11',
        kind: 'function_call',
        tool: 'codebase_investigator',
        call_id: 'codebase_investigator_1779062550890_0',
        status: 'success',
        timestamp: '2026-05-18T00:03:41.118Z',
      },
    ]);
  });

  it("messages: the user's and the model's text, once across the resumed session's two files; info and error lines are not messages", () => {
    const { rows } = query(['--dataset', 'messages', '--select', 'role,text,timestamp', LEGACY, join(TMP, 'api-server')]);
    expect(rows).toEqual([
      { role: 'user', text: 'What is in this folder?', timestamp: '2025-09-14T08:30:02.114Z' },
      { role: 'assistant', text: 'The folder holds two notes: `ideas.md` and `todo.md`.', timestamp: '2025-09-14T08:30:15.338Z' },
      { role: 'user', text: 'Summarise todo.md in one line.', timestamp: '2025-09-14T08:41:50.200Z' },
      { role: 'assistant', text: 'todo.md: renew passport, fix the bike, call the bank.', timestamp: '2025-09-14T08:41:57.902Z' },
      { role: 'user', text: 'Why does GET /health return 500?', timestamp: '2026-03-02T09:15:21.007Z' },
      { role: 'assistant', text: "I'll read the health handler.", timestamp: '2026-03-02T09:15:34.560Z' },
      { role: 'assistant', text: '`db.ping()` throws when the pool is not initialised yet; await `db.ready` first.', timestamp: '2026-03-02T09:15:49.021Z' },
      { role: 'user', text: 'Add a test for that.', timestamp: '2026-05-20T14:02:11.450Z' },
      { role: 'assistant', text: 'Added `test/health.test.ts`.', timestamp: '2026-05-20T14:02:19.874Z' },
    ]);
  });
});

describe('Gemini CLI: bad input', () => {
  it('a cut-short document, a cut-short last line and records of an unknown shape are told with their file, and the other files are read', () => {
    const dir = tempDir();
    const chats = join(dir, 'tmp/p/chats');
    mkdirSync(chats, { recursive: true });
    cpSync(MAIN, join(chats, 'session-2026-05-17T23-40-9b2d7c11.jsonl'));
    writeFileSync(join(chats, 'session-2025-09-14T08-30-4f1c2a9e.json'), readFileSync(LEGACY).subarray(0, 700));
    const main = readFileSync(`${RESUMED}.jsonl`, 'utf8');
    writeFileSync(join(chats, 'session-2026-03-02T09-15-c0ffee12.jsonl'), main.slice(0, main.length - 40));
    const header = {
      sessionId: 'f00dface-0000-4000-8000-000000000001',
      projectHash: 'x',
      startTime: '2026-06-01T00:00:00.000Z',
      lastUpdated: '2026-06-01T00:00:00.000Z',
    };
    const tokens = { input: 10, output: 1, cached: 0, thoughts: 0, tool: 0, total: 11 };
    writeFileSync(
      join(chats, 'session-2026-06-01T00-00-f00dface.jsonl'),
      [
        header,
        { $patch: { messages: [] } },
        { id: 'm1', timestamp: '2026-06-01T00:00:01.000Z', type: 'model', content: 'hi', tokens, model: 'gemini-2.5-flash' },
        { id: 'm2', timestamp: '2026-06-01T00:00:02.000Z', type: 'gemini', content: 'hi', tokens, model: 'gemini-2.5-flash' },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n'),
    );
    const r = run('seq', ['query', '--dataset', 'usage', '--select', 'request_id', '--no-cost', dir], { env: NO_VARS });
    expect(r.status).toBe(0);
    const stderr = r.stderr;
    expect(stderr).toContain('skipped 4 malformed lines');
    expect(stderr).toMatch(/session-2025-09-14T08-30-4f1c2a9e\.json:1/);
    expect(jsonLines(r.stdout).length).toBe(4 + 2 + 1);
    // --strict stops at the first bad line and says what it is.
    const unknown = run('seq', ['query', '--strict', '--dataset', 'usage', '--no-cost', join(chats, 'session-2026-06-01T00-00-f00dface.jsonl')], {
      env: NO_VARS,
    });
    expect(unknown.stderr).toMatch(/f00dface\.jsonl:2: malformed line \(a record of unknown shape \(keys: \$patch\).*newer Gemini CLI/);
    const cut = run('seq', ['query', '--strict', '--dataset', 'usage', '--no-cost', join(chats, 'session-2026-03-02T09-15-c0ffee12.jsonl')], { env: NO_VARS });
    expect(cut.stderr).toMatch(/c0ffee12\.jsonl:\d+: malformed line \(incomplete line \(cut short\)\)/);
    const doc = run('seq', ['query', '--strict', '--dataset', 'usage', '--no-cost', join(chats, 'session-2025-09-14T08-30-4f1c2a9e.json')], { env: NO_VARS });
    expect(doc.stderr).toMatch(/4f1c2a9e\.json:1: malformed line \(not a whole JSON document/);
  });

  it('a session that grew after a scan is read on from where the cache stopped, as if read whole', () => {
    const dir = tempDir();
    const file = join(dir, 'session-2026-05-17T23-40-9b2d7c11.jsonl');
    const text = readFileSync(MAIN, 'utf8');
    const cut = text.indexOf('\n', text.length / 2) + 1;
    writeFileSync(file, text.slice(0, cut));
    const args = ['--dataset', 'sessions', '--select', 'session_id,cwd,turns,assistant_messages,tool_calls,requests,total_tokens', '--no-cost'];
    query([...args, file]);
    appendFileSync(file, text.slice(cut));
    const readOn = query([...args, file]).rows;
    expect(readOn).toEqual(query([...args, '--no-cache', file]).rows);
    expect(readOn).toMatchObject([{ requests: 4, total_tokens: 72898, tool_calls: 4 }]);
  });
});
