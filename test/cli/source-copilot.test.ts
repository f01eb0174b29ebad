/**
 * Copilot CLI as seq reads it, through the real executables: usage from the OpenTelemetry
 * export's chat spans, sessions, messages and tool calls from the session-state events, found in
 * the default places and by the environment variables, compared per day with ccusage 20.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_FIXTURES, seqDaily, type SeqDay } from '../helpers/agents.js';
import { ccusageDaily, requireCcusage, type PeerDay } from '../helpers/ccusage.js';
import { jsonLines, run } from '../helpers/cli.js';

const HOME = join(AGENT_FIXTURES, 'copilot/home');
const COPILOT = join(HOME, '.copilot');
const OTEL = join(COPILOT, 'otel');
const SESSION_A = '3f0c2a6e-8d41-4b7a-9e25-6c1d0b7f4a11';
const EVENTS = join(COPILOT, 'session-state', SESSION_A, 'events.jsonl');
const EXPORT_0603 = join(OTEL, 'copilot-otel-20260603-091500.jsonl');
const EXPORT_0604 = join(OTEL, 'copilot-otel-20260604-235800.jsonl');
const EXPORT_0619 = join(OTEL, 'copilot-otel-20260619-164030.jsonl');
/** Variables of the host that would move Copilot's places: none in these runs unless a test sets one. */
const NO_COPILOT_ENV = { COPILOT_HOME: '', COPILOT_OTEL_FILE_EXPORTER_PATH: '' };

type Tokens = Omit<PeerDay, 'cost_usd'>;

function tokens(day: Tokens | undefined): Tokens | undefined {
  if (day === undefined) return undefined;
  const { input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens } = day;
  return { input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens };
}

/** seq's days as the format defines them (EXPECTED.md), reasoning inside output. */
const SEQ_DAYS: Record<string, Tokens & { reasoning_tokens: number; requests: number }> = {
  '2026-06-03': {
    input_tokens: 5,
    cache_read_tokens: 21881,
    cache_write_tokens: 23410,
    output_tokens: 492,
    total_tokens: 45788,
    reasoning_tokens: 0,
    requests: 2,
  },
  '2026-06-04': {
    input_tokens: 5200,
    cache_read_tokens: 12800,
    cache_write_tokens: 0,
    output_tokens: 950,
    total_tokens: 18950,
    reasoning_tokens: 640,
    requests: 1,
  },
  '2026-06-05': {
    input_tokens: 1580,
    cache_read_tokens: 17920,
    cache_write_tokens: 0,
    output_tokens: 300,
    total_tokens: 19800,
    reasoning_tokens: 128,
    requests: 1,
  },
  '2026-06-19': {
    input_tokens: 12,
    cache_read_tokens: 52738,
    cache_write_tokens: 16354,
    output_tokens: 884,
    total_tokens: 69988,
    reasoning_tokens: 0,
    requests: 3,
  },
};

function seqDay(days: Map<string, SeqDay>, day: string): (Tokens & { reasoning_tokens: number; requests: number }) | undefined {
  const found = days.get(day);
  if (found === undefined) return undefined;
  const { reasoning_tokens, requests } = found;
  return { ...(tokens(found) as Tokens), reasoning_tokens, requests };
}

/** A temporary home with the fixture's ~/.copilot in it. */
function homeWithFixture(): string {
  const home = mkdtempSync(join(tmpdir(), 'seq-copilot-home-'));
  cpSync(COPILOT, join(home, '.copilot'), { recursive: true });
  return home;
}

function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'seq-copilot-empty-'));
}

function query(dataset: string, inputs: string[], env: Record<string, string> = NO_COPILOT_ENV): Array<Record<string, unknown>> {
  const r = run('seq', ['query', '--dataset', dataset, '--source', 'copilot', '--format', 'jsonl', ...inputs], { env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return jsonLines(r.stdout) as Array<Record<string, unknown>>;
}

describe('Copilot CLI: per-day tokens against ccusage 20', () => {
  const seq = seqDaily('copilot', [COPILOT], NO_COPILOT_ENV);
  const ready = requireCcusage();
  const peer = ready ? ccusageDaily('copilot', { HOME }) : new Map<string, PeerDay>();

  it('gives the format’s figures on every day', () => {
    expect(Object.fromEntries([...seq.keys()].map((day) => [day, seqDay(seq, day)]))).toEqual(SEQ_DAYS);
  });

  it.skipIf(!ready).each(['2026-06-03', '2026-06-05'])('equals ccusage on %s', (day) => {
    expect(tokens(seq.get(day))).toEqual(tokens(peer.get(day)));
  });

  it.skipIf(!ready)('differs on 2026-06-04 on purpose: ccusage counts twice a span written twice (same traceId:spanId)', () => {
    expect(tokens(seq.get('2026-06-04'))).toEqual({
      input_tokens: 5200,
      cache_read_tokens: 12800,
      cache_write_tokens: 0,
      output_tokens: 950,
      total_tokens: 18950,
    });
    expect(tokens(peer.get('2026-06-04'))).toEqual({
      input_tokens: 10400,
      cache_read_tokens: 25600,
      cache_write_tokens: 0,
      output_tokens: 1900,
      total_tokens: 37900,
    });
  });

  it.skipIf(!ready)(
    'differs on 2026-06-19 on purpose: ccusage does not read the underscore cache attributes of CLI 1.0.62, so every cached token is input',
    () => {
      expect(tokens(seq.get('2026-06-19'))).toEqual({
        input_tokens: 12,
        cache_read_tokens: 52738,
        cache_write_tokens: 16354,
        output_tokens: 884,
        total_tokens: 69988,
      });
      expect(tokens(peer.get('2026-06-19'))).toEqual({
        input_tokens: 69104,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 884,
        total_tokens: 69988,
      });
    },
  );

  it.skipIf(!ready)(
    'differs on 2026-06-03 without the session state on purpose: ccusage leaves the cache writes in the spans’ input, so counts them twice',
    () => {
      const home = emptyHome();
      cpSync(OTEL, join(home, '.copilot', 'otel'), { recursive: true });
      expect(tokens(seqDaily('copilot', [join(home, '.copilot')], NO_COPILOT_ENV).get('2026-06-03'))).toEqual(tokens(SEQ_DAYS['2026-06-03']));
      expect(tokens(ccusageDaily('copilot', { HOME: home }).get('2026-06-03'))).toEqual({
        input_tokens: 23415,
        cache_read_tokens: 21881,
        cache_write_tokens: 23410,
        output_tokens: 492,
        total_tokens: 69198,
      });
    },
  );

  it.skipIf(!ready)('equals ccusage without the export: the session state’s shutdown totals are the session’s tokens and cost', () => {
    const home = emptyHome();
    cpSync(join(COPILOT, 'session-state'), join(home, '.copilot', 'session-state'), { recursive: true });
    const days = seqDaily('copilot', [join(home, '.copilot')], NO_COPILOT_ENV);
    expect([...days.keys()]).toEqual(['2026-06-03']);
    const peer = ccusageDaily('copilot', { HOME: home }).get('2026-06-03');
    expect(tokens(days.get('2026-06-03'))).toEqual(tokens(peer));
    expect(days.get('2026-06-03')?.cost_usd).toBeCloseTo(peer?.cost_usd as number, 12);
  });

  it.skipIf(!ready)('counts a file once when the exporter variable names it by another path, where ccusage reads it twice', () => {
    // Not path.join, which would take the `..` out.
    const twice = `${OTEL}/../otel/copilot-otel-20260619-164030.jsonl`;
    const env = { HOME: homeWithFixture(), COPILOT_HOME: '', COPILOT_OTEL_FILE_EXPORTER_PATH: twice };
    expect(seqDay(seqDaily('copilot', [], env), '2026-06-19')).toEqual(SEQ_DAYS['2026-06-19']);
    const peerTwice = ccusageDaily('copilot', { HOME, COPILOT_OTEL_FILE_EXPORTER_PATH: twice });
    expect(peerTwice.get('2026-06-19')?.input_tokens).toBe(138208);
  });
});

describe('Copilot CLI: where seq finds its logs', () => {
  it('reads ~/.copilot/otel and ~/.copilot/session-state with no path given', () => {
    const home = homeWithFixture();
    const env = { HOME: home, ...NO_COPILOT_ENV };
    const days = seqDaily('copilot', [], env);
    expect(Object.fromEntries([...days.keys()].map((day) => [day, seqDay(days, day)]))).toEqual(SEQ_DAYS);
    const sessions = query('sessions', [], env);
    expect(sessions.find((s) => s.session_id === SESSION_A)).toMatchObject({ cwd: '/home/dev/projects/webapp', turns: 2, tool_calls: 1, log_files: 2 });
  });

  it('reads $COPILOT_HOME/session-state and $COPILOT_HOME/otel instead of ~/.copilot', () => {
    const moved = homeWithFixture();
    const env = { HOME: emptyHome(), COPILOT_HOME: join(moved, '.copilot'), COPILOT_OTEL_FILE_EXPORTER_PATH: '' };
    expect([...seqDaily('copilot', [], env).keys()]).toEqual(Object.keys(SEQ_DAYS));
    expect(query('messages', [], env)).toHaveLength(4);
  });

  it('reads the one file $COPILOT_OTEL_FILE_EXPORTER_PATH names', () => {
    const env = { HOME: emptyHome(), COPILOT_HOME: '', COPILOT_OTEL_FILE_EXPORTER_PATH: EXPORT_0604 };
    const days = seqDaily('copilot', [], env);
    expect(Object.fromEntries([...days.keys()].map((day) => [day, seqDay(days, day)]))).toEqual({
      '2026-06-04': SEQ_DAYS['2026-06-04'],
      '2026-06-05': SEQ_DAYS['2026-06-05'],
    });
  });

  it('recognises an export and a session-state file given as paths, without --source', () => {
    const r = run('seq', ['query', '--dataset', 'usage', '--by', 'source', '--metric', 'count::requests', '--format', 'jsonl', EXPORT_0619], {
      env: NO_COPILOT_ENV,
    });
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout)).toEqual([{ source: 'copilot', requests: 3 }]);
    const messages = run('seq', ['query', '--dataset', 'messages', '--by', 'source', '--metric', 'count::n', '--format', 'jsonl', EVENTS], {
      env: NO_COPILOT_ENV,
    });
    expect(messages.stderr).toBe('');
    expect(jsonLines(messages.stdout)).toEqual([{ source: 'copilot', n: 4 }]);
  });
});

describe('Copilot CLI: datasets', () => {
  it('sessions: one per conversation, the session-state’s start, cwd, client and version, the spans’ requests and tokens', () => {
    const rows = query('sessions', [COPILOT]).map(
      ({ session_id, start, cwd, client, version, log_files, turns, assistant_messages, tool_calls, requests, models, total_tokens }) => ({
        session_id,
        start,
        cwd,
        client,
        version,
        log_files,
        turns,
        assistant_messages,
        tool_calls,
        requests,
        models,
        total_tokens,
      }),
    );
    expect(rows).toEqual([
      {
        session_id: SESSION_A,
        start: '2026-06-03T09:14:58.100Z',
        cwd: '/home/dev/projects/webapp',
        client: 'copilot-agent',
        version: '1.0.41',
        log_files: 2,
        turns: 2,
        assistant_messages: 2,
        tool_calls: 1,
        requests: 2,
        models: 'claude-sonnet-4.6',
        total_tokens: 45788,
      },
      {
        session_id: 'b7d2e9a4-1c3f-4e6a-8b5d-2f9e0a7c6d13',
        start: '2026-06-04T23:59:20.000Z',
        cwd: null,
        client: null,
        version: '1.0.48',
        log_files: 1,
        turns: 0,
        assistant_messages: 0,
        tool_calls: 0,
        requests: 2,
        models: 'gpt-5.4',
        total_tokens: 38750,
      },
      {
        session_id: '995cbe34-7cd7-4c4c-a4ac-554bde7c87d2',
        start: '2026-06-19T16:40:44.000Z',
        cwd: null,
        client: null,
        version: '1.0.62',
        log_files: 1,
        turns: 0,
        assistant_messages: 0,
        tool_calls: 0,
        requests: 3,
        models: 'claude-sonnet-4.6,claude-haiku-4.5',
        total_tokens: 69988,
      },
    ]);
  });

  it('usage: a chat span is a request, its response id the request id; invoke_agent roll-ups and failed requests add nothing', () => {
    const rows = query('usage', [COPILOT]).map(({ session_id, timestamp, model, request_id, total_tokens }) => ({
      session_id,
      timestamp,
      model,
      request_id,
      total_tokens,
    }));
    expect(rows).toEqual([
      {
        session_id: SESSION_A,
        timestamp: '2026-06-03T09:15:06.861Z',
        model: 'claude-sonnet-4.6',
        request_id: 'msg_bdrk_01AaFixtureSeq0001',
        total_tokens: 21964,
      },
      {
        session_id: SESSION_A,
        timestamp: '2026-06-03T09:15:12.480Z',
        model: 'claude-sonnet-4.6',
        request_id: 'msg_bdrk_01AaFixtureSeq0002',
        total_tokens: 23824,
      },
      {
        session_id: 'b7d2e9a4-1c3f-4e6a-8b5d-2f9e0a7c6d13',
        timestamp: '2026-06-04T23:59:40.250Z',
        model: 'gpt-5.4',
        request_id: 'resp_0fixture000000000000a1',
        total_tokens: 18950,
      },
      {
        session_id: 'b7d2e9a4-1c3f-4e6a-8b5d-2f9e0a7c6d13',
        timestamp: '2026-06-05T00:00:20.500Z',
        model: 'gpt-5.4',
        request_id: 'resp_0fixture000000000000a2',
        total_tokens: 19800,
      },
      {
        session_id: '995cbe34-7cd7-4c4c-a4ac-554bde7c87d2',
        timestamp: '2026-06-19T16:40:48.225Z',
        model: 'claude-sonnet-4.6',
        request_id: 'msg_bdrk_01MbNFMGjwKvEe6PmeRq32Rn',
        total_tokens: 27068,
      },
      {
        session_id: '995cbe34-7cd7-4c4c-a4ac-554bde7c87d2',
        timestamp: '2026-06-19T16:40:51.700Z',
        model: 'claude-haiku-4.5',
        request_id: 'msg_bdrk_01HkFixtureSubagent0001',
        total_tokens: 14280,
      },
      {
        session_id: '995cbe34-7cd7-4c4c-a4ac-554bde7c87d2',
        timestamp: '2026-06-19T16:40:58.400Z',
        model: 'claude-sonnet-4.6',
        request_id: 'msg_bdrk_01MbFixtureSeq0000003',
        total_tokens: 28640,
      },
    ]);
  });

  it('usage: an export cut short to its invoke_agent spans counts their roll-ups, one per agent, as the chat spans would sum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-copilot-rollups-'));
    const rollups = readFileSync(EXPORT_0619, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"gen_ai.operation.name":"invoke_agent"'));
    writeFileSync(join(dir, 'rollups.jsonl'), `${rollups.join('\n')}\n`);
    const rows = query('usage', [dir]).map(({ model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens }) => ({
      model,
      input_tokens,
      cache_read_tokens,
      cache_write_tokens,
      output_tokens,
    }));
    expect(rows).toEqual([
      { model: 'claude-haiku-4.5', input_tokens: 10, cache_read_tokens: 0, cache_write_tokens: 14144, output_tokens: 126 },
      { model: 'claude-sonnet-4.6', input_tokens: 2, cache_read_tokens: 52738, cache_write_tokens: 2210, output_tokens: 758 },
    ]);
  });

  it('messages: the user’s and the assistant’s text from the session state', () => {
    const rows = query('messages', [COPILOT]).map(({ session_id, timestamp, role, text }) => ({ session_id, timestamp, role, text }));
    expect(rows).toEqual([
      { session_id: SESSION_A, timestamp: '2026-06-03T09:15:01.400Z', role: 'user', text: 'Why does the health check in src/server.ts return 500?' },
      { session_id: SESSION_A, timestamp: '2026-06-03T09:15:06.861Z', role: 'assistant', text: 'Let me look at the server file.' },
      {
        session_id: SESSION_A,
        timestamp: '2026-06-03T09:15:12.480Z',
        role: 'assistant',
        text: '`db.ping()` returns a Promise, so the handler serialises it before it resolves. Await it inside an async handler.',
      },
      { session_id: SESSION_A, timestamp: '2026-06-03T09:20:00.000Z', role: 'user', text: 'Apply that fix.' },
    ]);
  });

  it('tool_calls: the canonical tool name, its call id, the arguments’ length and how it ended', () => {
    const rows = query('tool_calls', [COPILOT]).map(({ session_id, timestamp, kind, tool, call_id, arguments_len, status }) => ({
      session_id,
      timestamp,
      kind,
      tool,
      call_id,
      arguments_len,
      status,
    }));
    expect(rows).toEqual([
      {
        session_id: SESSION_A,
        timestamp: '2026-06-03T09:15:06.861Z',
        kind: 'function',
        tool: 'view',
        call_id: 'toolu_vrtx_01FixtureView0001',
        arguments_len: JSON.stringify({ path: '/home/dev/projects/webapp/src/server.ts' }).length,
        status: 'success',
      },
    ]);
  });
});

describe('Copilot CLI: the session state’s shutdown totals', () => {
  /** The fixture's session resumed the next day: its second shutdown's totals hold the first's. */
  const RESUMED = [
    '{"type":"user.message","data":{"content":"and the tests?"},"id":"00000015-0000-4000-8000-00000000e015","timestamp":"2026-06-04T08:00:00.000Z"}',
    '{"type":"session.shutdown","data":{"shutdownType":"routine","modelMetrics":{"claude-sonnet-4.6":{"requests":{"count":5,"cost":1},"usage":{"inputTokens":345296,"outputTokens":1492,"cacheReadTokens":221881,"cacheWriteTokens":23410}},"claude-sonnet-4.5":{"requests":{"count":2,"cost":1},"usage":{"inputTokens":300000,"outputTokens":1000,"cacheReadTokens":0,"cacheWriteTokens":0}}}},"id":"00000016-0000-4000-8000-00000000e016","timestamp":"2026-06-04T08:30:00.000Z"}',
  ];

  function stateOnly(extra: string[] = []): string {
    const dir = mkdtempSync(join(tmpdir(), 'seq-copilot-state-'));
    const folder = join(dir, 'session-state', SESSION_A);
    cpSync(join(COPILOT, 'session-state', SESSION_A), folder, { recursive: true });
    if (extra.length > 0) writeFileSync(join(folder, 'events.jsonl'), `${readFileSync(EVENTS, 'utf8').trimEnd()}\n${extra.join('\n')}\n`);
    return dir;
  }

  it('without an export, a shutdown is a row of each model’s totals, priced as that many requests of their mean', () => {
    const rows = query('usage', [stateOnly()]);
    expect(
      rows.map(({ timestamp, model, request_id, input_tokens, total_tokens, cost_usd }) => ({
        timestamp,
        model,
        request_id,
        input_tokens,
        total_tokens,
        cost_usd,
      })),
    ).toEqual([
      {
        timestamp: '2026-06-03T09:20:05.000Z',
        model: 'claude-sonnet-4.6',
        request_id: 'session.shutdown 00000014-0000-4000-8000-00000000e014 claude-sonnet-4.6',
        // inputTokens 45,296 holds the cache reads and writes.
        input_tokens: 5,
        total_tokens: 45788,
        cost_usd: (5 * 3 + 21881 * 0.3 + 23410 * 3.75 + 492 * 15) / 1e6,
      },
    ]);
    const [session] = query('sessions', [stateOnly()]);
    expect(session).toMatchObject({ session_id: SESSION_A, requests: 2, total_tokens: 45788, models: 'claude-sonnet-4.6' });
  });

  it('a resumed session’s next shutdown adds what its totals grew by, on its own day; its requests are the last totals’', () => {
    const dir = stateOnly(RESUMED);
    const rows = query('usage', [dir]).map(({ day, model, input_tokens, cache_read_tokens, output_tokens, total_tokens, cost_usd }) => ({
      day,
      model,
      input_tokens,
      cache_read_tokens,
      output_tokens,
      total_tokens,
      cost_usd,
    }));
    expect(rows).toEqual([
      {
        day: '2026-06-03',
        model: 'claude-sonnet-4.6',
        input_tokens: 5,
        cache_read_tokens: 21881,
        output_tokens: 492,
        total_tokens: 45788,
        cost_usd: expect.any(Number),
      },
      {
        day: '2026-06-04',
        model: 'claude-sonnet-4.6',
        input_tokens: 100000,
        cache_read_tokens: 200000,
        output_tokens: 1000,
        total_tokens: 301000,
        cost_usd: expect.closeTo((100000 * 3 + 200000 * 0.3 + 1000 * 15) / 1e6, 12),
      },
      // 300,000 input over 2 requests: 150,000 each, under Sonnet 4.5's 200k tier, so at its base prices (the tier's are twice).
      {
        day: '2026-06-04',
        model: 'claude-sonnet-4.5',
        input_tokens: 300000,
        cache_read_tokens: 0,
        output_tokens: 1000,
        total_tokens: 301000,
        cost_usd: expect.closeTo((300000 * 3 + 1000 * 15) / 1e6, 12),
      },
    ]);
    const [session] = query('sessions', [dir]);
    expect(session).toMatchObject({ requests: 7, total_tokens: 45788 + 301000 + 301000, models: 'claude-sonnet-4.6,claude-sonnet-4.5' });
  });

  it('a copy of the session’s file counts its shutdowns once', () => {
    const dir = stateOnly();
    cpSync(EVENTS, join(dir, 'session-state', `${SESSION_A}.jsonl`));
    expect(query('usage', [dir]).map((row) => row.total_tokens)).toEqual([45788]);
  });

  it('an export of the session, in any file, takes the place of the totals of the shutdowns its requests fall between, and a kept table follows as files come and go', () => {
    const dir = stateOnly(RESUMED);
    const env = { ...NO_COPILOT_ENV, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'seq-copilot-cache-')) };
    const query = 'query --dataset usage --by day,model --metric sum:total_tokens:tokens --metric count::rows --sort day,model --format jsonl'.split(' ');
    const days = (cache: boolean): unknown[] => jsonLines(run('seq', [...query, ...(cache ? [] : ['--no-cache']), dir], { env }).stdout) as unknown[];
    const totals = [
      { day: '2026-06-03', model: 'claude-sonnet-4.6', tokens: 45788, rows: 1 },
      { day: '2026-06-04', model: 'claude-sonnet-4.5', tokens: 301000, rows: 1 },
      { day: '2026-06-04', model: 'claude-sonnet-4.6', tokens: 301000, rows: 1 },
    ];
    expect(days(true)).toEqual(totals);
    // The export of 2026-06-03 holds two of the session's requests before its first shutdown: they
    // are counted in place of that shutdown's totals; the run resumed on 2026-06-04, of no export, keeps its own.
    cpSync(join(OTEL, 'copilot-otel-20260603-091500.jsonl'), join(dir, 'export.jsonl'));
    const spans = [{ day: '2026-06-03', model: 'claude-sonnet-4.6', tokens: 45788, rows: 2 }, ...totals.slice(1)];
    expect(days(false)).toEqual(spans);
    expect(days(true)).toEqual(spans);
    rmSync(join(dir, 'export.jsonl'));
    expect(days(true)).toEqual(totals);
  });

  it('a shutdown whose totals are not counts is a malformed line, and the session is read on', () => {
    const dir = stateOnly([
      '{"type":"session.shutdown","data":{"modelMetrics":{"gpt-5.4":{"requests":{"count":1},"usage":{"inputTokens":"many"}}}},"id":"x","timestamp":"2026-06-05T00:00:00.000Z"}',
    ]);
    const r = run('seq', ['query', '--dataset', 'usage', '--source', 'copilot', '--format', 'jsonl', dir], { env: NO_COPILOT_ENV });
    expect(r.status).toBe(0);
    expect((jsonLines(r.stdout) as Array<{ total_tokens: number }>).map((row) => row.total_tokens)).toEqual([45788]);
    expect(r.stderr).toContain(`skipped 1 malformed line (first: ${join(dir, 'session-state', SESSION_A, 'events.jsonl')}:15)`);
    const strict = run('seq', ['query', '--dataset', 'usage', '--source', 'copilot', '--strict', dir], { env: NO_COPILOT_ENV });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("session.shutdown's totals of gpt-5.4 are");
  });
});

describe('Copilot CLI: bad input', () => {
  it('recognises an export that begins with metrics, however many, and reads its spans', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-copilot-metrics-'));
    const lines = readFileSync(EXPORT_0603, 'utf8').split('\n').filter(Boolean);
    const metric = lines.find((line) => line.startsWith('{"type":"metric"')) as string;
    // A flush of metrics written before the first span's: nothing in a metric names the exporter.
    writeFileSync(join(dir, 'metrics-first.jsonl'), `${[metric, metric, metric, metric, metric, ...lines.filter((line) => line !== metric)].join('\n')}\n`);
    const query = ['query', '--dataset', 'usage', '--by', 'day', '--metric', 'sum:total_tokens:tokens', '--metric', 'count::requests', '--format', 'jsonl'];
    const moved = run('seq', [...query, dir], { env: NO_COPILOT_ENV });
    expect(moved.status).toBe(0);
    expect(moved.stderr).toBe('');
    expect(moved.stdout).toBe(run('seq', [...query, EXPORT_0603], { env: NO_COPILOT_ENV }).stdout);
    expect(jsonLines(moved.stdout)).toEqual([{ day: '2026-06-03', tokens: 45788, requests: 2 }]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a cut-short export and an unknown session-state version with their files, and reads the other files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-copilot-bad-'));
    const exportLines = readFileSync(EXPORT_0619, 'utf8').split('\n').filter(Boolean);
    // The exporter was stopped while writing its last span.
    writeFileSync(join(dir, 'cut.jsonl'), `${exportLines.slice(0, 2).join('\n')}\n${(exportLines[4] as string).slice(0, 300)}`);
    writeFileSync(join(dir, 'newer.jsonl'), readFileSync(EVENTS, 'utf8').replace('"version":1,', '"version":2,'));
    cpSync(EXPORT_0604, join(dir, 'good.jsonl'));
    const usage = run('seq', ['query', '--dataset', 'usage', '--by', 'day', '--metric', 'count::requests', '--format', 'jsonl', dir], { env: NO_COPILOT_ENV });
    expect(usage.status).toBe(0);
    expect((jsonLines(usage.stdout) as Array<{ day: string }>).sort((a, b) => a.day.localeCompare(b.day))).toEqual([
      // newer.jsonl's shutdown totals, one row.
      { day: '2026-06-03', requests: 1 },
      { day: '2026-06-04', requests: 1 },
      { day: '2026-06-05', requests: 1 },
      { day: '2026-06-19', requests: 2 },
    ]);
    // The cut line and the unknown version's session.start.
    expect(usage.stderr).toContain(`skipped 2 malformed lines (first: ${join(dir, 'cut.jsonl')}:3)`);

    const messages = run('seq', ['query', '--dataset', 'messages', '--metric', 'count::n', '--format', 'jsonl', dir], { env: NO_COPILOT_ENV });
    expect(jsonLines(messages.stdout)).toEqual([{ n: 4 }]);
    expect(messages.stderr).toContain(`${join(dir, 'newer.jsonl')}:1`);

    const strict = run('seq', ['query', '--dataset', 'messages', '--strict', join(dir, 'newer.jsonl')], { env: NO_COPILOT_ENV });
    expect(strict.status).not.toBe(0);
    expect(strict.stderr).toContain('session-state version 2, where seq knows version 1');
  });
});
