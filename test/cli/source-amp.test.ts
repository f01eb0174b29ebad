/**
 * Amp threads as seq reads them, through the real executables: per-day tokens against ccusage 20
 * on the days where it follows the format, seq's own figures where it differs on purpose (a
 * ledger event written twice, a message the ledger misses, gpt-* prompts reported as cache
 * writes, a thread found in two data roots), discovery, recognition, the datasets, bad input.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_FIXTURES, seqDaily, type SeqDay } from '../helpers/agents.js';
import { ccusageDaily, requireCcusage, type PeerDay } from '../helpers/ccusage.js';
import { jsonLines, run, tempFiles } from '../helpers/cli.js';

const AMP = join(AGENT_FIXTURES, 'amp');
const THREADS = join(AMP, 'threads');
const BACKUP = join(AMP, 'backup');
const CURRENT = 'T-019be7a3-5c4d-7e2f-8a1b-2c3d4e5f6a72';
const GPT = 'T-019cd7a0-4e5f-7a6b-9c8d-3e4f5a6b7c83';
const LEGACY = 'T-5b1e6f2a-0c1d-4e2f-9a3b-1c2d3e4f5a61';

type Tokens = Omit<PeerDay, 'cost_usd'>;

/** Per day, seq's figures by the format (test/fixtures/amp/EXPECTED.md). */
const SEQ: Record<string, Tokens & { reasoning_tokens: number; requests: number; cost_usd: number }> = {
  '2025-11-23': {
    input_tokens: 20,
    cache_read_tokens: 26954,
    cache_write_tokens: 4722,
    output_tokens: 498,
    reasoning_tokens: 0,
    total_tokens: 32194,
    requests: 2,
    cost_usd: 0.0333237,
  },
  '2025-11-24': {
    input_tokens: 10,
    cache_read_tokens: 32489,
    cache_write_tokens: 421,
    output_tokens: 152,
    reasoning_tokens: 0,
    total_tokens: 33072,
    requests: 2,
    cost_usd: 0.01363545,
  },
  '2026-01-22': {
    input_tokens: 19,
    cache_read_tokens: 63824,
    cache_write_tokens: 8262,
    output_tokens: 728,
    reasoning_tokens: 0,
    total_tokens: 72833,
    requests: 3,
    cost_usd: 0.1018445,
  },
  '2026-01-23': {
    input_tokens: 1180,
    cache_read_tokens: 9800,
    cache_write_tokens: 0,
    output_tokens: 14,
    reasoning_tokens: 0,
    total_tokens: 10994,
    requests: 1,
    cost_usd: 0.00223,
  },
  '2026-03-10': {
    input_tokens: 19005,
    cache_read_tokens: 35048,
    cache_write_tokens: 0,
    output_tokens: 647,
    reasoning_tokens: 0,
    total_tokens: 54700,
    requests: 3,
    cost_usd: 0.03460725,
  },
};

/** ccusage 20.0.24's figures on the days it reads otherwise (EXPECTED.md). */
const CCUSAGE_DIFFERS: Record<string, Tokens> = {
  '2025-11-23': { input_tokens: 28, cache_read_tokens: 42536, cache_write_tokens: 5234, output_tokens: 686, total_tokens: 48484 },
  '2025-11-24': { input_tokens: 6, cache_read_tokens: 16094, cache_write_tokens: 301, output_tokens: 95, total_tokens: 16496 },
  '2026-03-10': { input_tokens: 0, cache_read_tokens: 35048, cache_write_tokens: 19005, output_tokens: 647, total_tokens: 54700 },
};

const AGREED_DAYS = ['2026-01-22', '2026-01-23'];

function tokensOf(day: PeerDay | SeqDay | undefined): Tokens | undefined {
  if (day === undefined) return undefined;
  const { input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens } = day;
  return { input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, total_tokens };
}

function expectSeqDays(days: Map<string, SeqDay>): void {
  expect([...days.keys()].sort()).toEqual(Object.keys(SEQ).sort());
  for (const [date, expected] of Object.entries(SEQ)) {
    const { cost_usd, ...rest } = expected;
    const day = days.get(date) as SeqDay;
    expect({ date, ...day, cost_usd: undefined }).toEqual({ date, ...rest, cost_usd: undefined });
    expect(day.cost_usd, date).toBeCloseTo(cost_usd, 9);
  }
}

/** A HOME with nothing in it, and no variable that points seq at other logs. */
function emptyHome(): Record<string, string> {
  return { HOME: mkdtempSync(join(tmpdir(), 'seq-amp-home-')), AMP_DATA_DIR: '', CLAUDE_CONFIG_DIR: '', CODEX_HOME: '' };
}

const hasCcusage = requireCcusage();

describe('Amp threads against ccusage 20', () => {
  it.skipIf(!hasCcusage)('per-day tokens and costs equal ccusage on the days where it follows the format', () => {
    const seq = seqDaily('amp', [THREADS]);
    const peer = ccusageDaily('amp', { AMP_DATA_DIR: AMP });
    for (const date of AGREED_DAYS) {
      expect(tokensOf(seq.get(date)), date).toEqual(tokensOf(peer.get(date)));
      expect(seq.get(date)?.cost_usd, date).toBeCloseTo(peer.get(date)?.cost_usd as number, 9);
    }
  });

  it.skipIf(!hasCcusage)(
    '2025-11-23: a ledger event written twice is one request to seq, two to ccusage; 2025-11-24: a message with usage that no ledger event points to counts for seq, ccusage drops it',
    () => {
      const seq = seqDaily('amp', [THREADS]);
      const peer = ccusageDaily('amp', { AMP_DATA_DIR: AMP });
      for (const date of ['2025-11-23', '2025-11-24']) {
        expect(tokensOf(peer.get(date)), date).toEqual(CCUSAGE_DIFFERS[date]);
        expect(tokensOf(seq.get(date)), date).toEqual(tokensOf(SEQ[date] as unknown as SeqDay));
      }
    },
  );

  it.skipIf(!hasCcusage)('2026-03-10: a gpt-* prompt that Amp reports as cache creation is uncached input to seq, a cache write to ccusage', () => {
    const seq = seqDaily('amp', [THREADS]);
    const peer = ccusageDaily('amp', { AMP_DATA_DIR: AMP });
    expect(tokensOf(peer.get('2026-03-10'))).toEqual(CCUSAGE_DIFFERS['2026-03-10']);
    expect(tokensOf(seq.get('2026-03-10'))).toEqual(tokensOf(SEQ['2026-03-10'] as unknown as SeqDay));
    // The same total: only the bucket (and so the price) differs.
    expect(seq.get('2026-03-10')?.cost_usd).toBeLessThan(peer.get('2026-03-10')?.cost_usd as number);
  });

  it.skipIf(!hasCcusage)('a thread in two data roots counts once for seq (the higher revision), twice for ccusage', () => {
    const roots = `${AMP},${BACKUP}`;
    const seq = seqDaily('amp', [], { ...emptyHome(), AMP_DATA_DIR: roots });
    const peer = ccusageDaily('amp', { AMP_DATA_DIR: roots });
    expect(tokensOf(peer.get('2026-01-22'))).toEqual({
      input_tokens: 29,
      cache_read_tokens: 80195,
      cache_write_tokens: 15166,
      output_tokens: 948,
      total_tokens: 96338,
    });
    expectSeqDays(seq);
  });
});

describe('Amp threads', () => {
  it('every day has the figures of the format, reasoning 0 and requests counted once', () => {
    expectSeqDays(seqDaily('amp', [THREADS, join(BACKUP, 'threads')]));
  });

  it('are found with no path in ~/.local/share/amp/threads', () => {
    const home = emptyHome();
    cpSync(THREADS, join(home.HOME as string, '.local/share/amp/threads'), { recursive: true });
    expectSeqDays(seqDaily('amp', [], home));
  });

  it('are found with no path under each folder of AMP_DATA_DIR (ccusage’s variable), in its threads/', () => {
    expectSeqDays(seqDaily('amp', [], { ...emptyHome(), AMP_DATA_DIR: ` ${AMP} , ${BACKUP}` }));
  });

  it('a thread is recognised by its content when one file is given, whatever its name (amp threads export)', () => {
    const dir = tempFiles({ 'export.json': readFileSync(join(THREADS, `${GPT}.json`), 'utf8') });
    const r = run('seq', [
      'query',
      '--dataset',
      'usage',
      '--by',
      'source',
      '--metric',
      'sum:total_tokens:total',
      '--format',
      'jsonl',
      join(dir, 'export.json'),
    ]);
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout)).toEqual([{ source: 'amp', total: 54700 }]);
  });

  it('claims no Claude Code or Codex line, and they claim no thread', () => {
    const dir = tempFiles({
      'claude.jsonl': `${JSON.stringify({ type: 'user', sessionId: 's1', uuid: 'u1', timestamp: '2026-01-01T00:00:00.000Z', message: { role: 'user', content: 'hi' } })}\n`,
      'codex.jsonl': `${JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', type: 'session_meta', payload: { id: 'c1', timestamp: '2026-01-01T00:00:00.000Z', cwd: '/w' } })}\n`,
      [`${LEGACY}.json`]: readFileSync(join(THREADS, `${LEGACY}.json`), 'utf8'),
    });
    const r = run('seq', ['query', '--dataset', 'sessions', '--select', 'source,session_id', '--format', 'jsonl', dir]);
    expect(r.stderr).toBe('');
    const rows = (jsonLines(r.stdout) as Array<{ source: string }>).sort((a, b) => a.source.localeCompare(b.source));
    expect(rows).toEqual([
      { source: 'amp', session_id: LEGACY },
      { source: 'claude', session_id: 's1' },
      { source: 'codex', session_id: 'c1' },
    ]);
  });

  it('sessions: one per thread, a copy in another root adding a log file, not requests', () => {
    const r = run('seq', [
      'query',
      '--dataset',
      'sessions',
      '--select',
      'session_id,start,cwd,client,version,log_files,turns,assistant_messages,tool_calls,requests,total_tokens',
      '--format',
      'jsonl',
      THREADS,
      join(BACKUP, 'threads'),
    ]);
    expect(r.stderr).toBe('');
    const rows = (jsonLines(r.stdout) as Array<{ session_id: string }>).sort((a, b) => a.session_id.localeCompare(b.session_id));
    expect(rows).toEqual([
      {
        session_id: CURRENT,
        start: '2026-01-22T22:42:24.000Z',
        cwd: '/home/dev/jobs',
        client: 'CLI',
        version: '0.0.1768900000-g4d5e6f',
        log_files: 2,
        turns: 3,
        assistant_messages: 4,
        tool_calls: 2,
        requests: 4,
        total_tokens: 83827,
      },
      {
        session_id: GPT,
        start: '2026-03-10T14:05:00.000Z',
        cwd: '/home/dev/svc',
        client: 'VS Code CLI',
        version: '0.0.1773100000-g7a8b9c',
        log_files: 1,
        turns: 1,
        assistant_messages: 2,
        tool_calls: 2,
        requests: 3,
        total_tokens: 54700,
      },
      {
        session_id: LEGACY,
        start: '2025-11-23T23:58:00.000Z',
        cwd: '/home/dev/proj',
        client: 'CLI',
        version: '0.0.1763800000-g1a2b3c',
        log_files: 1,
        turns: 2,
        assistant_messages: 4,
        tool_calls: 3,
        requests: 4,
        total_tokens: 65266,
      },
    ]);
  });

  it('messages: the text blocks of user and assistant messages, tool results and thinking left out, each once across copies', () => {
    const r = run('seq', [
      'query',
      '--dataset',
      'messages',
      '--select',
      'session_id,timestamp,role,text',
      '--format',
      'jsonl',
      THREADS,
      join(BACKUP, 'threads'),
    ]);
    expect(r.stderr).toBe('');
    const rows = jsonLines(r.stdout) as Array<{ session_id: string; timestamp: string; role: string; text: string }>;
    expect(rows.filter((row) => row.session_id === LEGACY)).toEqual([
      { session_id: LEGACY, timestamp: '2025-11-23T23:58:01.000Z', role: 'user', text: 'Add a --verbose flag to the CLI parser in src/cli.ts.' },
      { session_id: LEGACY, timestamp: '2025-11-23T23:58:09.412Z', role: 'assistant', text: 'Let me look at the parser first.' },
      { session_id: LEGACY, timestamp: '2025-11-23T23:59:31.077Z', role: 'assistant', text: 'Adding the flag now.' },
      // No ledger event points to it: the time of the latest one before it.
      {
        session_id: LEGACY,
        timestamp: '2025-11-24T00:01:05.930Z',
        role: 'assistant',
        text: 'The flag is added; the project has no test script, so nothing ran.',
      },
      { session_id: LEGACY, timestamp: '2025-11-24T00:03:10.000Z', role: 'user', text: 'Also document it in README.' },
      { session_id: LEGACY, timestamp: '2025-11-24T00:03:10.000Z', role: 'assistant', text: "I'll add a section to" },
    ]);
    const current = rows.filter((row) => row.session_id === CURRENT);
    expect(current.map((row) => row.role).join(',')).toBe('user,assistant,assistant,user,assistant,user,assistant');
    expect(rows.filter((row) => row.session_id === GPT).map((row) => row.text)).toEqual([
      'Rename loadCfg to loadConfig everywhere.',
      'Searching for call sites.',
      'Renamed in src/cfg.ts; src/app.ts still imports the old name and needs the same change.',
    ]);
  });

  it("tool_calls: the tool's own name, its call id, the status of its result, the time of its request", () => {
    const r = run('seq', [
      'query',
      '--dataset',
      'tool_calls',
      '--select',
      'session_id,timestamp,tool,call_id,status',
      '--format',
      'jsonl',
      THREADS,
      join(BACKUP, 'threads'),
    ]);
    expect(r.stderr).toBe('');
    const rows = (jsonLines(r.stdout) as Array<{ session_id: string; timestamp: string }>).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    expect(rows).toEqual([
      { session_id: LEGACY, timestamp: '2025-11-23T23:58:09.412Z', tool: 'Read', call_id: 'toolu_01A9xQv3kYy7Lw2pM4nB8cD1', status: 'done' },
      { session_id: LEGACY, timestamp: '2025-11-23T23:59:31.077Z', tool: 'edit_file', call_id: 'toolu_01Bq7TtR2sVx9Kz3HwJm5nE2', status: 'done' },
      { session_id: LEGACY, timestamp: '2025-11-24T00:01:05.930Z', tool: 'Bash', call_id: 'toolu_01Cw4PpL8uMn2Jx6GkHs7oF3', status: 'error' },
      { session_id: CURRENT, timestamp: '2026-01-22T22:42:32.743Z', tool: 'Bash', call_id: 'toolu_01Dm3RrK7wQz5Nv8YtLp2aG4', status: 'done' },
      { session_id: CURRENT, timestamp: '2026-01-22T22:43:05.118Z', tool: 'edit_file', call_id: 'toolu_01Ep6SsM9xRa2Ow4ZuNq3bH5', status: 'done' },
      { session_id: GPT, timestamp: '2026-03-10T14:05:06.295Z', tool: 'shell_command', call_id: 'TU-02aQx8676K5StumvhRV801', status: 'done' },
      { session_id: GPT, timestamp: '2026-03-10T14:05:12.672Z', tool: 'apply_patch', call_id: 'TU-02aQx9JsBCxtTF4TPo3j02', status: 'done' },
    ]);
  });

  it('usage: request_id is the ledger event id or the message id, unique across threads with the thread in session_id', () => {
    const r = run('seq', [
      'query',
      '--dataset',
      'usage',
      '--select',
      'session_id,request_id,model,input_tokens,cache_write_tokens',
      '--format',
      'jsonl',
      THREADS,
    ]);
    const rows = jsonLines(r.stdout) as Array<{ session_id: string; request_id: string }>;
    expect(rows.filter((row) => row.session_id === LEGACY).map((row) => row.request_id)).toEqual([
      'e6f0a1b2-0001-4c3d-8e9f-a1b2c3d4e5f6',
      'e6f0a1b2-0002-4c3d-8e9f-a1b2c3d4e5f6',
      'e6f0a1b2-0003-4c3d-8e9f-a1b2c3d4e5f6',
      '7',
    ]);
    expect(rows.filter((row) => row.session_id === CURRENT).map((row) => row.request_id)).toEqual(['1', '3', '5', '7']);
    expect(rows.filter((row) => row.session_id === GPT)).toEqual([
      { session_id: GPT, request_id: 'M-02aQx7tSHy2Q141pd0iT02', model: 'gpt-5', input_tokens: 16954, cache_write_tokens: 0 },
      { session_id: GPT, request_id: 'M-02aQx8sbSDccKHLOPDTq04', model: 'gpt-5', input_tokens: 1146, cache_write_tokens: 0 },
      { session_id: GPT, request_id: 'M-02aQxAsbSDccKHLOPDTq06', model: 'gpt-5', input_tokens: 905, cache_write_tokens: 0 },
    ]);
  });

  it('bad input: a cut-short thread and threads of a shape seq does not know are reported with their file and counted; the others are read', () => {
    const home = emptyHome();
    const threads = join(home.HOME as string, '.local/share/amp/threads');
    mkdirSync(threads, { recursive: true });
    cpSync(THREADS, threads, { recursive: true });
    const gpt = readFileSync(join(THREADS, `${GPT}.json`), 'utf8');
    writeFileSync(join(threads, 'T-00000000-cut.json'), gpt.slice(0, 500));
    writeFileSync(join(threads, 'T-11111111-shape.json'), JSON.stringify({ v: 3, id: 'T-11111111-shape', created: 1763942280000, thread: { messages: [] } }));
    const unknownUsage = JSON.parse(gpt) as { id: string; messages: Array<Record<string, unknown>> };
    unknownUsage.id = 'T-22222222-usage';
    (unknownUsage.messages[1] as Record<string, unknown>).usage = { model: 'gpt-5', promptTokens: 5, completionTokens: 7 };
    writeFileSync(join(threads, 'T-22222222-usage.json'), JSON.stringify(unknownUsage));

    const r = run('seq', ['query', '--dataset', 'usage', '--source', 'amp', '--metric', 'sum:total_tokens:total', '--format', 'jsonl'], { env: home });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`seq: skipped 3 malformed lines (first: ${threads}/T-00000000-cut.json:1)\n`);
    // The three threads, and the two good requests of the one with a usage of unknown shape.
    const total = Object.values(SEQ).reduce((sum, day) => sum + day.total_tokens, 0) + 18239 + 19390;
    expect(jsonLines(r.stdout)).toEqual([{ total }]);

    for (const [file, reason] of [
      ['T-00000000-cut.json', 'not a whole JSON document (Unexpected end of JSON input): cut short or damaged; it is read again once it changes'],
      [
        'T-11111111-shape.json',
        `thread T-11111111-shape has no "messages" array (it has v, id, created, thread): an Amp thread shape seq does not know; update seq, or report the file's shape`,
      ],
      [
        'T-22222222-usage.json',
        "thread T-22222222-usage, messages[1]: a usage with none of inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens (it has model, promptTokens, completionTokens): a thread format seq does not know; update seq, or report the file's shape",
      ],
    ] as const) {
      const strict = run('seq', ['query', '--dataset', 'usage', '--strict', '--format', 'jsonl', join(threads, file)], { env: home });
      expect(strict.stderr, file).toBe(`seq: ${threads}/${file}:1: malformed line (${reason}); stopped by --strict\n`);
    }
  });
});
