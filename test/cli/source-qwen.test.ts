/**
 * Qwen Code as a source, through the real executables: per-day tokens against ccusage 20 (equal
 * where ccusage reads the format as it is written; seq's own figures where it does not, with
 * the reason), discovery by HOME and by each environment variable, recognition of a single
 * file, the sessions, messages and tool_calls rows, and bad input.
 */
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_FIXTURES, seqDaily, type SeqDay } from '../helpers/agents.js';
import { ccusageDaily, requireCcusage, type PeerDay } from '../helpers/ccusage.js';
import { jsonLines, run, tempFiles } from '../helpers/cli.js';

const FIXTURE = join(AGENT_FIXTURES, 'qwen');
const WEBAPP = join(FIXTURE, 'projects/-home-dev-webapp/chats');
const ORIGINAL = join(WEBAPP, 'a1f0c2d4-1b2c-4d5e-8f90-0a1b2c3d4e5f.jsonl');
const LEGACY = join(FIXTURE, 'tmp/04382e3e2136986122415aa03b903f429a5c2f7ea590135bac4ab947b97dc809/chats/session-2025-09-10T08-15-d4e3f507.json');
const hasCcusage = requireCcusage();

type Tokens = Pick<PeerDay, 'input_tokens' | 'cache_read_tokens' | 'cache_write_tokens' | 'output_tokens' | 'total_tokens'>;

function tokensOf(day: PeerDay | SeqDay | undefined): Tokens | undefined {
  if (day === undefined) return undefined;
  const { input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens } = day;
  return { input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens };
}

/** seq's figures on the fixture (EXPECTED.md): cached taken out of the prompt, thoughts added only where the total proves them apart, /branch copies once. */
const SEQ_DAYS: Record<string, Tokens & { reasoning_tokens: number; requests: number }> = {
  '2026-03-02': {
    input_tokens: 13202,
    cache_read_tokens: 24448,
    cache_write_tokens: 0,
    output_tokens: 645,
    reasoning_tokens: 180,
    total_tokens: 38295,
    requests: 3,
  },
  '2026-03-03': {
    input_tokens: 2416,
    cache_read_tokens: 29184,
    cache_write_tokens: 0,
    output_tokens: 950,
    reasoning_tokens: 512,
    total_tokens: 32550,
    requests: 2,
  },
  '2026-03-04': {
    input_tokens: 2000,
    cache_read_tokens: 6000,
    cache_write_tokens: 0,
    output_tokens: 550,
    reasoning_tokens: 400,
    total_tokens: 8550,
    requests: 1,
  },
  '2026-03-05': { input_tokens: 364, cache_read_tokens: 7936, cache_write_tokens: 0, output_tokens: 60, reasoning_tokens: 0, total_tokens: 8360, requests: 1 },
  '2026-06-15': { input_tokens: 1050, cache_read_tokens: 50, cache_write_tokens: 0, output_tokens: 25, reasoning_tokens: 0, total_tokens: 1125, requests: 2 },
  '2025-09-10': { input_tokens: 1104, cache_read_tokens: 4096, cache_write_tokens: 0, output_tokens: 64, reasoning_tokens: 0, total_tokens: 5264, requests: 1 },
};

/** ccusage 20.0.24's figures on the fixture (EXPECTED.md): it reads no legacy document. */
const CCUSAGE_DAYS: Record<string, Tokens> = {
  '2026-03-02': { input_tokens: 49650, cache_read_tokens: 24448, cache_write_tokens: 0, output_tokens: 985, total_tokens: 75383 },
  '2026-03-03': { input_tokens: 31600, cache_read_tokens: 29184, cache_write_tokens: 0, output_tokens: 950, total_tokens: 62246 },
  '2026-03-04': { input_tokens: 8000, cache_read_tokens: 6000, cache_write_tokens: 0, output_tokens: 150, total_tokens: 14550 },
  '2026-03-05': { input_tokens: 8300, cache_read_tokens: 7936, cache_write_tokens: 0, output_tokens: 60, total_tokens: 16296 },
  '2026-06-15': { input_tokens: 1100, cache_read_tokens: 50, cache_write_tokens: 0, output_tokens: 25, total_tokens: 1175 },
};

/** One Qwen Code chat record of session `session`. */
function record(session: string, uuid: string, at: string, type: string, extra: Record<string, unknown>): string {
  return JSON.stringify({ uuid, parentUuid: null, sessionId: session, timestamp: at, type, cwd: '/w', version: '0.18.1', ...extra });
}

/** An assistant record of one OpenAI-path request with no cache and no reasoning: what ccusage reads as it is meant. */
function plainRequest(session: string, n: number, prompt: number, candidates: number): string {
  return record(session, `p000000${n}`, `2026-04-01T10:00:0${n}.000Z`, 'assistant', {
    model: 'gemini-2.5-pro',
    message: { role: 'model', parts: [{ text: `answer ${n}` }] },
    usageMetadata: {
      promptTokenCount: prompt,
      candidatesTokenCount: candidates,
      thoughtsTokenCount: 0,
      totalTokenCount: prompt + candidates,
      cachedContentTokenCount: 0,
    },
  });
}

/** A runtime folder holding one session file under projects/<p>/chats/. */
function runtimeWith(session: string, lines: string[]): string {
  const base = tempFiles({});
  mkdirSync(join(base, 'projects/-w/chats'), { recursive: true });
  writeFileSync(join(base, 'projects/-w/chats', `${session}.jsonl`), `${lines.join('\n')}\n`);
  return base;
}

function query(args: string[], env: Record<string, string> = {}): { rows: Array<Record<string, unknown>>; stderr: string; status: number | null } {
  const r = run('seq', ['query', ...args, '--format', 'jsonl'], { env });
  return { rows: jsonLines(r.stdout) as Array<Record<string, unknown>>, stderr: r.stderr, status: r.status };
}

describe('Qwen Code per-day tokens', () => {
  const seq = seqDaily('qwen', [FIXTURE]);

  it.each(Object.entries(SEQ_DAYS))('%s: seq counts cached tokens once, reasoning once and a /branch copy once', (day, expected) => {
    const got = seq.get(day);
    expect(got && { ...tokensOf(got), reasoning_tokens: got.reasoning_tokens, requests: got.requests }).toEqual(expected);
  });

  it('every day is one of the fixture days', () => {
    expect([...seq.keys()].sort()).toEqual(Object.keys(SEQ_DAYS).sort());
  });

  it('prices the Gemini days at the rates ccusage uses', () => {
    expect(seq.get('2026-03-04')?.cost_usd).toBeCloseTo(0.00875, 9);
    expect(seq.get('2026-03-05')?.cost_usd).toBeCloseTo(0.002047, 9);
  });

  it.skipIf(!hasCcusage)('equals ccusage on requests with no cached tokens and no reasoning, where ccusage reads the format as written', () => {
    const base = runtimeWith('agree-0000', [
      record('agree-0000', 'u0000001', '2026-04-01T10:00:00.000Z', 'user', { message: { role: 'user', parts: [{ text: 'hi' }] } }),
      plainRequest('agree-0000', 1, 1200, 80),
      plainRequest('agree-0000', 2, 1500, 40),
    ]);
    const peer = ccusageDaily('qwen', { QWEN_DATA_DIR: base });
    const ours = seqDaily('qwen', [base]);
    expect(tokensOf(ours.get('2026-04-01'))).toEqual(tokensOf(peer.get('2026-04-01')));
    expect(tokensOf(ours.get('2026-04-01'))).toEqual({
      input_tokens: 2700,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 120,
      total_tokens: 2820,
    });
    expect(ours.get('2026-04-01')?.cost_usd).toBeCloseTo(peer.get('2026-04-01')?.cost_usd ?? NaN, 9);
  });

  it.skipIf(!hasCcusage)(
    'differs from ccusage on purpose: ccusage counts cached tokens again as input, adds reasoning the OpenAI path already counted, counts a /branch copy twice and reads no legacy document',
    () => {
      const peer = ccusageDaily('qwen', { QWEN_DATA_DIR: FIXTURE });
      expect(Object.fromEntries([...peer].map(([day, figures]) => [day, tokensOf(figures)]))).toEqual(CCUSAGE_DAYS);
      // The cache reads are the one count both read alike.
      for (const [day, figures] of peer) expect(seq.get(day)?.cache_read_tokens).toBe(figures.cache_read_tokens);
    },
  );
});

describe('Qwen Code discovery and recognition', () => {
  const total = (env: Record<string, string>, inputs: string[] = []): number =>
    [...seqDaily('qwen', inputs, env).values()].reduce((sum, day) => sum + day.total_tokens, 0);
  const ALL = Object.values(SEQ_DAYS).reduce((sum, day) => sum + day.total_tokens, 0);

  it('finds ~/.qwen with no path given, both its layouts', () => {
    const home = tempFiles({});
    cpSync(FIXTURE, join(home, '.qwen'), { recursive: true });
    expect(total({ HOME: home })).toBe(ALL);
  });

  it('finds the folders QWEN_RUNTIME_DIR (~ expanded) and QWEN_DATA_DIR (a comma list) name', () => {
    const home = tempFiles({});
    cpSync(FIXTURE, join(home, 'runtime'), { recursive: true });
    expect(total({ HOME: home, QWEN_RUNTIME_DIR: '~/runtime' })).toBe(ALL);
    const other = runtimeWith('agree-0000', [plainRequest('agree-0000', 1, 1200, 80)]);
    expect(total({ HOME: home, QWEN_DATA_DIR: `${join(home, 'runtime')}, ${other}` })).toBe(ALL + 1280);
  });

  it("finds the runtime folder Qwen Code's settings name (advanced.runtimeOutputDir), the project's over the user's", () => {
    const home = tempFiles({});
    cpSync(FIXTURE, join(home, 'moved'), { recursive: true });
    mkdirSync(join(home, '.qwen'));
    writeFileSync(join(home, '.qwen', 'settings.json'), `// moved\n${JSON.stringify({ advanced: { runtimeOutputDir: '~/moved' } })}`);
    expect(total({ HOME: home })).toBe(ALL);
    // $QWEN_RUNTIME_DIR is Qwen Code's first choice: the settings' folder is not read then.
    expect(total({ HOME: home, QWEN_RUNTIME_DIR: join(home, 'nowhere') })).toBe(0);
  });

  it('recognises a single file given by its path, JSON Lines or legacy document', () => {
    expect(total({}, [ORIGINAL])).toBe(38295);
    expect(total({}, [LEGACY])).toBe(5264);
    const r = query(['--dataset', 'usage', '--select', 'source,session_id,request_id', LEGACY]);
    expect(r.rows).toEqual([{ source: 'qwen', session_id: 'd4e3f507-4e5f-4081-9c23-3d4e5f607182', request_id: 'm2' }]);
  });

  it("claims no Claude Code transcript, and no Gemini CLI legacy document: each is its own agent's", () => {
    const dir = tempFiles({
      'claude.jsonl': `${JSON.stringify({
        type: 'assistant',
        uuid: 'c1',
        parentUuid: null,
        sessionId: 's1',
        requestId: 'req_1',
        timestamp: '2026-03-01T10:00:00.000Z',
        message: {
          id: 'msg_1',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [{ type: 'text', text: 'hi' }],
          usage: { input_tokens: 10, output_tokens: 2 },
        },
      })}\n`,
      'session-2025-09-14T08-30-4f1c2a9e.json': JSON.stringify({
        sessionId: '4f1c2a9e-0000-4000-8000-000000000000',
        projectHash: 'abc',
        startTime: '2025-09-14T08:30:02.114Z',
        lastUpdated: '2025-09-14T08:30:15.338Z',
        messages: [{ id: 'g1', timestamp: '2025-09-14T08:30:15.338Z', type: 'gemini', content: 'x', tokens: { input: 10, output: 2, cached: 0, total: 12 } }],
      }),
    });
    const r = query(['--dataset', 'usage', '--select', 'source,total_tokens', '--sort', 'source', dir]);
    expect(r.rows).toEqual([
      { source: 'claude', total_tokens: 12 },
      { source: 'gemini', total_tokens: 12 },
    ]);
  });
});

describe('Qwen Code datasets', () => {
  it('sessions: a /branch fork has its parent, its own start, and only its own requests', () => {
    const r = query([
      '--dataset',
      'sessions',
      '--select',
      'session_id,start,end,parent_session_id,cwd,version,requests,turns,tool_calls,total_tokens',
      FIXTURE,
    ]);
    expect(r.rows).toEqual([
      {
        session_id: 'c3d2e4f6-3d4e-4f70-8b12-2c3d4e5f6071',
        start: '2026-03-04T23:59:50.000Z',
        end: '2026-03-05T00:00:03.000Z',
        parent_session_id: null,
        cwd: '/home/dev/api',
        version: '0.15.6',
        requests: 2,
        turns: 1,
        tool_calls: 1,
        total_tokens: 16910,
      },
      {
        session_id: 'a1f0c2d4-1b2c-4d5e-8f90-0a1b2c3d4e5f',
        start: '2026-03-02T09:00:00.000Z',
        end: '2026-03-02T09:04:02.000Z',
        parent_session_id: null,
        cwd: '/home/dev/webapp',
        version: '0.15.6',
        requests: 3,
        turns: 2,
        tool_calls: 2,
        total_tokens: 38295,
      },
      {
        session_id: 'b2e1d3c5-2c3d-4e6f-9a01-1b2c3d4e5f60',
        start: '2026-03-03T14:00:00.000Z',
        end: '2026-03-03T14:00:34.000Z',
        parent_session_id: 'a1f0c2d4-1b2c-4d5e-8f90-0a1b2c3d4e5f',
        cwd: '/home/dev/webapp',
        version: '0.15.6',
        requests: 2,
        turns: 1,
        tool_calls: 1,
        total_tokens: 32550,
      },
      {
        session_id: '69f0814a-8bfc-4c8e-93d3-05757f17b96f',
        start: '2026-06-15T14:40:22.832Z',
        end: '2026-06-15T14:40:22.976Z',
        parent_session_id: null,
        cwd: '/tmp/qwentest',
        version: '0.18.1',
        requests: 2,
        turns: 1,
        tool_calls: 1,
        total_tokens: 1125,
      },
      {
        session_id: 'd4e3f507-4e5f-4081-9c23-3d4e5f607182',
        start: '2025-09-10T08:15:00.000Z',
        end: '2025-09-10T08:15:09.000Z',
        parent_session_id: null,
        cwd: null,
        version: null,
        requests: 1,
        turns: 1,
        tool_calls: 1,
        total_tokens: 5264,
      },
    ]);
  });

  it('messages: what the user typed and the answers, without reasoning or the copies a fork holds', () => {
    const r = query(['--dataset', 'messages', '--select', 'role,text', WEBAPP]);
    expect(r.rows).toEqual([
      { role: 'user', text: 'Add a /healthz endpoint to server.ts' },
      { role: 'assistant', text: 'Let me read the server file.' },
      { role: 'assistant', text: 'Added `GET /healthz` returning `ok` in src/server.ts.' },
      { role: 'user', text: 'Also add a test' },
      { role: 'assistant', text: "Sure, I'll create test/health" },
      { role: 'user', text: 'Instead, run the test suite' },
      { role: 'assistant', text: 'One test fails: `health.test.ts` expects 204.' },
    ]);
  });

  it('tool_calls: canonical names with the status of their results', () => {
    const r = query(['--dataset', 'tool_calls', '--select', 'session_id,kind,tool,call_id,status', FIXTURE]);
    expect(r.rows.map((row) => [row.tool, row.call_id, row.status, row.kind])).toEqual([
      ['grep_search', 'call_c1', 'success', 'function_call'],
      ['read_file', 'call_a1', 'success', 'function_call'],
      ['edit', 'call_a2', 'success', 'function_call'],
      ['run_shell_command', 'call_b1', 'error', 'function_call'],
      ['list_directory', 'call_1', 'error', 'function_call'],
      ['read_file', 'call_l1', 'success', 'function_call'],
    ]);
  });

  it('a call whose result is appended later gets its status, from the cache', () => {
    const session = 'grow-0000';
    const call = record(session, 'g0000001', '2026-04-02T10:00:00.000Z', 'assistant', {
      model: 'qwen3-coder-plus',
      message: { role: 'model', parts: [{ functionCall: { id: 'call_g', name: 'read_file', args: { absolute_path: '/w/a' } } }] },
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110, cachedContentTokenCount: 0 },
    });
    const base = runtimeWith(session, [call]);
    const file = join(base, 'projects/-w/chats', `${session}.jsonl`);
    const calls = (): unknown[] => query(['--dataset', 'tool_calls', '--select', 'call_id,status', file]).rows;
    expect(calls()).toEqual([{ call_id: 'call_g', status: null }]);
    appendFileSync(
      file,
      `${record(session, 'g0000002', '2026-04-02T10:00:01.000Z', 'tool_result', {
        message: { role: 'user', parts: [{ functionResponse: { id: 'call_g', name: 'read_file', response: { output: 'x' } } }] },
        toolCallResult: { callId: 'call_g', status: 'success' },
      })}\n`,
    );
    expect(calls()).toEqual([{ call_id: 'call_g', status: 'success' }]);
  });
});

describe('Qwen Code bad input', () => {
  it('a truncated file and an unknown record type are told with the file, and the other files are still read', () => {
    const session = 'bad-0000';
    const good = readFileSync(ORIGINAL, 'utf8');
    const base = runtimeWith(session, [
      plainRequest(session, 1, 1200, 80),
      record(session, 'b0000002', '2026-04-01T10:00:05.000Z', 'hologram', { usageMetadata: { promptTokenCount: 5 } }),
      plainRequest(session, 3, 1500, 40).slice(0, 90),
    ]);
    writeFileSync(join(base, 'projects/-w/chats/a1f0c2d4-1b2c-4d5e-8f90-0a1b2c3d4e5f.jsonl'), good);
    const bad = join(base, 'projects/-w/chats', `${session}.jsonl`);
    const r = query(['--dataset', 'usage', '--metric', 'sum:total_tokens:t', '--metric', 'count::n', base]);
    expect(r.status).toBe(0);
    expect(r.rows).toEqual([{ t: 38295 + 1280, n: 4 }]);
    expect(r.stderr).toContain(`seq: skipped 2 malformed lines (first: ${bad}:2)`);
    const strict = run('seq', ['query', '--dataset', 'usage', '--strict', bad]);
    expect(strict.stderr).toContain(`${bad}:2: malformed line (a record of type "hologram" (Qwen Code 0.18.1), which seq does not know`);
  });

  it('a legacy document cut short is told as malformed, not as some other file', () => {
    const dir = tempFiles({ 'session-2025-09-10T08-15-d4e3f507.json': readFileSync(LEGACY, 'utf8').slice(0, 200) });
    const r = query(['--dataset', 'usage', '--source', 'qwen', dir]);
    expect(r.rows).toEqual([]);
    expect(r.stderr).toContain(`seq: skipped 1 malformed line (first: ${join(dir, 'session-2025-09-10T08-15-d4e3f507.json')}:1)`);
  });
});
