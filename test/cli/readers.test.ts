/** Reader edge cases the fixtures do not show, each found in review and kept as a regression. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lines, run, tempFiles } from '../helpers/cli.js';
import { FIXTURES, requireFixtures } from '../helpers/sessions.js';

const ready = requireFixtures();

function query(args: string[]): { rows: Array<Record<string, unknown>>; stderr: string; status: number | null } {
  const r = run('seq', ['query', ...args, '--format', 'jsonl']);
  return { rows: jsonLines(r.stdout) as Array<Record<string, unknown>>, stderr: r.stderr, status: r.status };
}

const meta = (id: string, at: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    timestamp: at,
    type: 'session_meta',
    payload: { id, timestamp: at, cwd: '/w', originator: 'codex_cli_rs', cli_version: '0.149.0', ...extra },
  });
const tokens = (at: string, total: number): string =>
  JSON.stringify({
    timestamp: at,
    type: 'event_msg',
    payload: {
      type: 'token_count',
      info: { total_token_usage: { input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total } },
    },
  });
const started = (at: string): string => JSON.stringify({ timestamp: at, type: 'event_msg', payload: { type: 'task_started', turn_id: at } });

describe('Codex counters', () => {
  it('a reset of the counters starts a new segment counted whole, the same in every dataset', () => {
    const at = (s: number): string => `2026-01-01T00:00:0${s}.000Z`;
    const dir = tempFiles({
      'rollout-r.jsonl': `${[meta('0199aaaa-0000-7000-8000-000000000001', at(0)), ...[1000, 2000, 300, 600, 900].map((t, i) => tokens(at(i + 1), t))].join('\n')}\n`,
    });
    expect(query(['--dataset', 'usage', '--select', 'total_tokens', dir]).rows.map((r) => r.total_tokens)).toEqual([1000, 1000, 300, 300, 300]);
    expect(query(['--dataset', 'sessions', '--select', 'requests,total_tokens', dir]).rows).toEqual([{ requests: 5, total_tokens: 2900 }]);
    expect(query(['--dataset', 'token_sessions', '--select', 'total_total_tokens', dir]).rows).toEqual([{ total_total_tokens: 2900 }]);
  });

  it("a fork's replayed history, with the parent's own turns, is not counted again", () => {
    const parentAt = '2026-01-01T00:00:00.000Z';
    const childAt = '2026-01-01T01:00:00.000Z';
    const lines = [
      meta('0199cccc-0000-7000-8000-000000000002', childAt, { forked_from_id: '0199bbbb-0000-7000-8000-000000000001' }),
      meta('0199bbbb-0000-7000-8000-000000000001', parentAt),
      started('2026-01-01T00:00:01.000Z'),
      tokens('2026-01-01T00:00:02.000Z', 1000),
      started('2026-01-01T00:00:03.000Z'),
      tokens('2026-01-01T00:00:04.000Z', 5000),
      started(childAt),
      tokens('2026-01-01T01:00:01.000Z', 5400),
      tokens('2026-01-01T01:00:02.000Z', 5800),
    ];
    const dir = tempFiles({ 'rollout-child.jsonl': `${lines.join('\n')}\n` });
    expect(query(['--dataset', 'usage', '--select', 'total_tokens', dir]).rows.map((r) => r.total_tokens)).toEqual([400, 400]);
    expect(query(['--dataset', 'token_sessions', '--select', 'total_total_tokens', dir]).rows).toEqual([{ total_total_tokens: 800 }]);
  });
});

describe('Codex forks as Codex writes them', () => {
  /** A UUIDv7 made at `at`, as Codex's turn ids are. */
  const v7 = (at: string, n: number): string => {
    const hex = Date.parse(at).toString(16).padStart(12, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${String(n).padStart(12, '0')}`;
  };
  /** Every line of the copy is written at the time of the copy; each turn keeps its id and its start. */
  const turn = (lineAt: string, payload: Record<string, unknown>): string =>
    JSON.stringify({ timestamp: lineAt, type: 'event_msg', payload: { type: 'task_started', model_context_window: 258400, ...payload } });
  const parentTurns = ['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:03.000Z'];
  const childAt = '2026-01-01T01:00:00.000Z';
  const copyAt = '2026-01-01T01:00:00.010Z';
  const child = (turnOf: (began: string, n: number) => Record<string, unknown>): string[] => [
    meta('0199cccc-0000-7000-8000-000000000002', childAt, { forked_from_id: '0199bbbb-0000-7000-8000-000000000001' }),
    meta('0199bbbb-0000-7000-8000-000000000001', copyAt),
    turn(copyAt, turnOf(parentTurns[0] as string, 1)),
    tokens(copyAt, 1000),
    turn(copyAt, turnOf(parentTurns[1] as string, 2)),
    tokens(copyAt, 5000),
    turn('2026-01-01T01:00:05.000Z', turnOf('2026-01-01T01:00:05.000Z', 3)),
    tokens('2026-01-01T01:00:06.000Z', 5400),
    tokens('2026-01-01T01:00:07.000Z', 5800),
  ];

  it.each([
    ['UUIDv7 turn ids', (began: string, n: number) => ({ turn_id: v7(began, n) })],
    ['started_at as text', (began: string, n: number) => ({ turn_id: `t${n}`, started_at: began })],
    ['started_at in seconds', (began: string, n: number) => ({ turn_id: `t${n}`, started_at: Date.parse(began) / 1000 })],
  ])("a fork's copy of its parent, written at the time of the copy, is told by its turns' %s and not counted again", (_how, turnOf) => {
    const dir = tempFiles({ 'rollout-child.jsonl': `${child(turnOf).join('\n')}\n` });
    expect(query(['--dataset', 'usage', '--select', 'total_tokens', dir]).rows.map((r) => r.total_tokens)).toEqual([400, 400]);
    expect(query(['--dataset', 'token_sessions', '--select', 'total_total_tokens', dir]).rows).toEqual([{ total_total_tokens: 800 }]);
  });
});

describe.skipIf(!ready)('Claude lines', () => {
  const assistant = (file: string, line: Record<string, unknown>): void => {
    writeFileSync(file, `${JSON.stringify(line)}\n`, { flag: 'a' });
  };
  const usage = { input_tokens: 10, output_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 };

  it('a /btw replay in a subagent file is dropped even when that file is read first', () => {
    const dir = tempFiles({});
    const sid = 'f1111111-1111-4111-8111-111111111111';
    mkdirSync(join(dir, `p/${sid}/subagents`), { recursive: true });
    const line = (requestId: string, sidechain: boolean): Record<string, unknown> => ({
      parentUuid: null,
      isSidechain: sidechain,
      sessionId: sid,
      version: '2.1.100',
      message: { model: 'claude-opus-4-6', id: 'msg_A', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }], usage },
      requestId,
      type: 'assistant',
      uuid: `u-${requestId}`,
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    assistant(join(dir, `p/${sid}/subagents/agent-zabc.jsonl`), line('req_2', true));
    assistant(join(dir, `p/${sid}.jsonl`), line('req_1', false));
    expect(query(['--dataset', 'usage', '--select', 'request_id,total_tokens', dir]).rows).toEqual([{ request_id: 'req_1', total_tokens: 160 }]);
  });

  it("a response's lines, one after another, count once: the first copy with the largest total, as across files", () => {
    const sid = 'f2222222-2222-4222-8222-222222222222';
    const copy = (id: string | undefined, requestId: string, output: number, second: number, sidechain = false): Record<string, unknown> => ({
      parentUuid: null,
      isSidechain: sidechain,
      sessionId: sid,
      message: {
        model: 'claude-opus-4-6',
        id,
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'x' }],
        usage: { ...usage, output_tokens: output },
      },
      requestId,
      type: 'assistant',
      uuid: `u-${requestId}-${second}`,
      timestamp: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
    });
    const dir = tempFiles({});
    const file = join(dir, `${sid}.jsonl`);
    for (const line of [
      copy('msg_A', 'req_A', 1, 1), // a run growing: the copy at 2 is kept
      copy('msg_A', 'req_A', 5, 2),
      copy('msg_A', 'req_A', 5, 3),
      copy('msg_B', 'req_B', 7, 4), // equal totals: the first is kept
      copy('msg_B', 'req_B', 7, 5),
      copy('msg_C', 'req_C', 3, 6), // the same key, once a sidechain's: told apart, merged by the datasets
      copy('msg_C', 'req_C', 9, 7, true),
      copy(undefined, 'req_D', 2, 8), // no message id: never merged
      copy(undefined, 'req_D', 2, 9),
    ])
      assistant(file, line);
    const rows = (args: string[] = []): unknown[] => query(['--dataset', 'usage', '--select', 'request_id,timestamp,output_tokens', ...args, dir]).rows;
    const expected = [
      { request_id: 'req_A', timestamp: '2026-01-01T00:00:02.000Z', output_tokens: 5 },
      { request_id: 'req_B', timestamp: '2026-01-01T00:00:04.000Z', output_tokens: 7 },
      { request_id: 'req_C', timestamp: '2026-01-01T00:00:07.000Z', output_tokens: 9 },
      { request_id: 'req_D', timestamp: '2026-01-01T00:00:08.000Z', output_tokens: 2 },
      { request_id: 'req_D', timestamp: '2026-01-01T00:00:09.000Z', output_tokens: 2 },
    ];
    expect(rows(['--no-cache'])).toEqual(expected);
    expect(rows()).toEqual(expected); // filling the cache
    // A copy written after a read: the file is read on from where the cache stopped, the run split there.
    assistant(file, copy(undefined, 'req_E', 1, 10));
    assistant(file, copy('msg_F', 'req_F', 1, 11));
    expect(rows()).toHaveLength(7);
    assistant(file, copy('msg_F', 'req_F', 4, 12));
    const grown = [
      ...expected,
      { request_id: 'req_E', timestamp: '2026-01-01T00:00:10.000Z', output_tokens: 1 },
      { request_id: 'req_F', timestamp: '2026-01-01T00:00:12.000Z', output_tokens: 4 },
    ];
    expect(rows()).toEqual(grown);
    expect(rows(['--no-cache'])).toEqual(grown);
    // Decoded whole (messages are needed too), the same requests.
    expect(query(['--dataset', 'sessions', '--select', 'requests,output_tokens', dir]).rows).toEqual([{ requests: 7, output_tokens: 30 }]);
  });

  it('a progress line that nests an assistant message is no request', () => {
    const dir = tempFiles({});
    const nested = {
      type: 'assistant',
      message: { model: 'claude-haiku-4-5', id: 'msg_S', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'x' }], usage },
      requestId: 'req_SUB',
    };
    assistant(join(dir, 's.jsonl'), {
      parentUuid: null,
      isSidechain: false,
      sessionId: 's1',
      type: 'user',
      message: { role: 'user', content: 'go' },
      uuid: 'u1',
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    assistant(join(dir, 's.jsonl'), {
      parentUuid: 'u1',
      isSidechain: false,
      sessionId: 's1',
      type: 'progress',
      data: { type: 'agent_progress', message: nested },
      uuid: 'u2',
      timestamp: '2026-01-01T00:00:01.000Z',
    });
    expect(query(['--dataset', 'usage', dir]).rows).toEqual([]);
  });

  it('a bad first line is one malformed line, not a lost file', () => {
    const dir = tempFiles({});
    const real = readFileSync(join(FIXTURES, 'claude/projects/-Users-dain-workspace-danieldemmel-me-next/b25638d7-b104-4f06-a797-70ac33d069ed.jsonl'));
    writeFileSync(join(dir, 'b.jsonl'), Buffer.concat([Buffer.from('[1,2]\n'), real]));
    const withBad = query(['--dataset', 'messages', '--metric', 'count::n', dir]);
    const clean = query([
      '--dataset',
      'messages',
      '--metric',
      'count::n',
      join(FIXTURES, 'claude/projects/-Users-dain-workspace-danieldemmel-me-next/b25638d7-b104-4f06-a797-70ac33d069ed.jsonl'),
    ]);
    expect(withBad.rows).toEqual(clean.rows);
    expect(withBad.stderr).toBe(`seq: skipped 1 malformed line (first: ${dir}/b.jsonl:1)\n`);
  });
});

describe.skipIf(!ready)('damaged compressed files', () => {
  it('a cut-short .zst keeps the lines before the cut and the other files, and says where', () => {
    const dir = tempFiles({});
    const source = join(FIXTURES, 'codex/sessions/2026/02/23/rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl');
    const zst = join(dir, 'whole.zst');
    try {
      execFileSync('zstd', ['-q', '-o', zst, source]);
    } catch {
      return; // no zstd on this machine: the raw-block test in discovery covers decoding
    }
    writeFileSync(join(dir, 'rollout-cut.jsonl.zst'), readFileSync(zst).subarray(0, 60_000));
    copyFileSync(
      join(FIXTURES, 'codex/sessions/2026/01/02/rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl'),
      join(dir, 'rollout-good.jsonl'),
    );
    const r = query(['--dataset', 'usage', '--by', 'path', '--metric', 'count::n', dir]);
    expect(r.status).toBe(0);
    expect(r.rows.find((row) => String(row.path).endsWith('rollout-good.jsonl'))?.n).toBe(3);
    // The line cut by the damage, and the failure to read on: both counted, the first place shown.
    expect(r.stderr).toMatch(/^seq: skipped 2 malformed lines \(first: .*rollout-cut\.jsonl\.zst:\d+\)\n$/);
  });
});

/** A value as Python's json.dumps writes it by default: ", " and ": " between members, non-ASCII escaped. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonDumps(k)}: ${pythonDumps(v)}`)
      .join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value);
}

describe.skipIf(!ready)('logs written by other tools', () => {
  it("a rollout and a transcript written as Python's json.dumps writes them give the rows the agents' own give", () => {
    const rollout = join(FIXTURES, 'codex/sessions/2025/11/17/rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl');
    const transcript = join(FIXTURES, 'claude/projects/-Users-dain-workspace-claude-code-log-sample/fe869ecb-c176-478f-9734-7e4b8ef12cff.jsonl');
    for (const original of [rollout, transcript]) {
      const dir = tempFiles({});
      const copy = join(dir, 'python.jsonl');
      writeFileSync(
        copy,
        readFileSync(original, 'utf8')
          .split('\n')
          .map((line) => (line === '' ? '' : pythonDumps(JSON.parse(line))))
          .join('\n'),
      );
      expect(readFileSync(copy, 'utf8')).toContain('"type": "');
      for (const dataset of ['tool_calls', 'messages', 'usage']) {
        const theirs = run('seq-scan', ['--dataset', dataset, '--no-cache', copy]);
        const ours = run('seq-scan', ['--dataset', dataset, '--no-cache', original]);
        expect(theirs.stderr).toBe('');
        expect(theirs.stdout.split(copy).join('F')).toBe(ours.stdout.split(original).join('F'));
        expect(lines(ours.stdout).length, dataset).toBeGreaterThan(0);
      }
    }
  });
});

describe('lines written in odd ways', () => {
  it('a key that ends in an escaped quote before "type" is not taken for the type', () => {
    const line =
      '{"x\\"type":"summary","type":"assistant","message":{"id":"m1","model":"claude-opus-4-6","usage":{"input_tokens":5,"output_tokens":1}},"requestId":"r1","sessionId":"s","timestamp":"2026-01-01T00:00:00.000Z"}';
    expect(JSON.parse(line)).toMatchObject({ 'x"type': 'summary', type: 'assistant' });
    // The session is known from the line before: nothing else makes the reader decode the line.
    const first =
      '{"parentUuid":null,"sessionId":"s","type":"user","message":{"role":"user","content":"hi"},"uuid":"u0","timestamp":"2026-01-01T00:00:00.000Z"}';
    const dir = tempFiles({ 's.jsonl': `${first}\n${line}\n` });
    for (const dataset of ['usage', 'sessions']) {
      expect(
        (jsonLines(run('seq-scan', ['--dataset', dataset, '--no-cache', dir]).stdout) as Array<Record<string, unknown>>).map((row) => row.total_tokens),
        dataset,
      ).toEqual([6]);
    }
  });

  it('Codex calls with an empty call_id are each counted: an empty id names nothing', () => {
    const call = (at: string): string =>
      JSON.stringify({ timestamp: at, type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{}', call_id: '' } });
    const dir = tempFiles({
      'rollout-e.jsonl': `${[meta('0199ffff-0000-7000-8000-000000000001', '2026-01-01T00:00:00.000Z'), call('2026-01-01T00:00:01.000Z'), call('2026-01-01T00:00:02.000Z')].join('\n')}\n`,
    });
    expect(jsonLines(run('seq-scan', ['--dataset', 'tool_calls', '--no-cache', dir]).stdout)).toHaveLength(2);
  });
});

describe('token counts a number cannot hold exactly', () => {
  const request = (id: number, output: string): string =>
    `{"parentUuid":null,"isSidechain":false,"sessionId":"s1","message":{"model":"claude-opus-4-6","id":"msg_${id}","type":"message","role":"assistant","content":[{"type":"text","text":"x"}],"usage":{"input_tokens":10,"output_tokens":${output},"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"requestId":"req_${id}","type":"assistant","uuid":"u${id}","timestamp":"2026-01-01T00:00:0${id}.000Z"}`;
  const snapshot = (total: string): string =>
    `{"timestamp":"2026-01-01T00:00:05.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":${total},"cached_input_tokens":0,"output_tokens":0,"reasoning_output_tokens":0,"total_tokens":${total}}}}}`;

  it('are reported with their file and line, and never counted rounded', () => {
    const dir = tempFiles({
      'claude.jsonl': `${[request(1, '9007199254740993'), request(2, '5')].join('\n')}\n`,
      'rollout.jsonl': `${[meta('0199dddd-0000-7000-8000-000000000001', '2026-01-01T00:00:00.000Z'), tokens('2026-01-01T00:00:01.000Z', 100), snapshot('18014398509481985')].join('\n')}\n`,
    });
    const r = run('seq-scan', ['--dataset', 'usage', '--no-cache', dir]);
    expect(r.status).toBe(0);
    expect((jsonLines(r.stdout) as Array<Record<string, unknown>>).map((row) => row.total_tokens)).toEqual([100, 15]);
    expect(r.stderr).toBe(
      // The Codex log names no model: its request has no price, and says so.
      'seq-scan: cost_usd is null where no price is known: requests that name no model (1 request, 100 tokens); docs/costs.md says how to add a price\n' +
        `seq-scan: skipped 2 malformed lines (first: ${dir}/claude.jsonl:1)\n`,
    );
    const strict = run('seq-scan', ['--dataset', 'usage', '--no-cache', '--strict', join(dir, 'rollout.jsonl')]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain(`${dir}/rollout.jsonl:3: malformed line (token count total_token_usage.input_tokens is 1.801e+16, beyond 2^53`);
  });
});
