/**
 * Every figure of ../shared/fixtures/EXPECTED.md, computed by the real executables from the
 * fixture files. The tables are read from EXPECTED.md itself, so each of its numbers is checked.
 */
import { describe, expect, it } from 'vitest';
import { jsonLines, run } from '../helpers/cli.js';
import { int, tables } from '../helpers/expected.js';
import { FIXTURES, requireFixtures } from '../helpers/sessions.js';

const ready = requireFixtures();

function query(args: string[]): Array<Record<string, unknown>> {
  const r = run('seq', ['query', ...args, '--format', 'jsonl']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return jsonLines(r.stdout) as Array<Record<string, unknown>>;
}

describe.skipIf(!ready)('EXPECTED.md, Codex', () => {
  const codex = `${FIXTURES}/codex/sessions`;
  const [sessions, days, tools] = ready ? tables('## Codex: `codex/sessions`') : [];

  it('token totals per session (token_sessions)', () => {
    const rows = query(['--dataset', 'token_sessions', codex]);
    const byFile = new Map(rows.map((r) => [String(r.path).slice(codex.length + 1), r]));
    expect(sessions?.length).toBe(7);
    expect(rows).toHaveLength(7); // files without a token_count with usage have no row
    for (const expected of sessions ?? []) {
      const row = byFile.get(expected.file ?? '');
      expect(row, expected.file).toBeDefined();
      expect(row?.total_input_tokens).toBe(int(expected['input (incl. cached)']));
      expect(row?.total_cached_input_tokens).toBe(int(expected['cached input']));
      expect(row?.total_output_tokens).toBe(int(expected['output (incl. reasoning)']));
      expect(row?.total_reasoning_output_tokens).toBe(int(expected.reasoning));
      expect(row?.total_total_tokens).toBe(int(expected.total));
    }
  });

  it('the grand total, through usage and through token_deltas', () => {
    expect(query(['--dataset', 'usage', '--metric', 'sum:total_tokens:t', codex])).toEqual([{ t: 43548378 }]);
    expect(query(['--dataset', 'token_deltas', '--metric', 'sum:delta_total_tokens:t', codex])).toEqual([{ t: 43548378 }]);
  });

  it('token deltas per UTC day (specs/tokens-by-day.json)', () => {
    const rows = query(['--spec', '@specs/tokens-by-day.json', '--metric', 'sum:delta_total_tokens:tokens', '--metric', 'count::rows', codex]);
    expect(rows).toEqual((days ?? []).map((d) => ({ day: d.day, tokens: int(d.tokens), rows: int(d['delta rows']) })));
  });

  it('tool calls: by kind, and the tools rank', () => {
    expect(query(['--dataset', 'tool_calls', '--by', 'kind', codex])).toEqual([
      { kind: 'function_call', count: 558 },
      { kind: 'custom_tool_call', count: 49 },
    ]);
    const rank = query(['--spec', '@specs/tools-rank.json', '--sort', '-count,tool', codex]);
    const top = rank.slice(0, tools?.length ?? 0).map((r) => ({ tool: r.tool, count: r.count }));
    expect(top).toEqual([...(tools ?? [])].map((t) => ({ tool: t.tool, count: int(t.count) })).sort((a, b) => b.count - a.count || (a.tool < b.tool ? -1 : 1)));
    // "plus eleven tools with one or two calls each"
    const rest = rank.slice(tools?.length ?? 0);
    expect(rest).toHaveLength(11);
    expect(rest.every((r) => r.count === 1 || r.count === 2)).toBe(true);
  });

  it('messages with harness text dropped and each kept once: user 99, assistant 536', () => {
    expect(query(['--dataset', 'messages', '--by', 'role', codex])).toEqual([
      { role: 'user', count: 99 },
      { role: 'assistant', count: 536 },
    ]);
  });
});

function claudeFigures(section: string, roots: string[], requests: number): void {
  const [days, sessions, models] = ready ? tables(section) : [];
  const sums = [
    '--metric',
    'sum:input_tokens:input',
    '--metric',
    'sum:output_tokens:output',
    '--metric',
    'sum:cache_write_tokens:cache_write',
    '--metric',
    'sum:cache_read_tokens:cache_read',
    '--metric',
    'sum:total_tokens:total',
    '--metric',
    'count::requests',
  ];
  const expectRow = (e: Record<string, string>): Record<string, number> => ({
    input: int(e.input),
    output: int(e.output),
    cache_write: int(e.cache_write),
    cache_read: int(e.cache_read),
    total: int(e.total),
    requests: int(e.requests),
  });

  it(`deduplicated requests: ${requests}, and the totals`, () => {
    const all = (days ?? []).find((d) => d['day (UTC)'] === 'all');
    expect(query(['--dataset', 'usage', ...sums, ...roots])).toEqual([expectRow(all ?? {})]);
    expect(int(all?.requests)).toBe(requests);
  });

  it('per UTC day', () => {
    const rows = query(['--dataset', 'usage', '--by', 'day', ...sums, '--sort', 'day', ...roots]);
    expect(rows).toEqual((days ?? []).filter((d) => d['day (UTC)'] !== 'all').map((d) => ({ day: d['day (UTC)'], ...expectRow(d) })));
  });

  it('per session (a subagent counts toward its parent)', () => {
    const rows = query(['--dataset', 'usage', '--by', 'session_id', ...sums, '--sort', '-total', ...roots]);
    expect(rows).toEqual((sessions ?? []).map((s) => ({ session_id: s.sessionId, ...expectRow(s) })));
  });

  it('per model', () => {
    const rows = query([
      '--dataset',
      'usage',
      '--by',
      'model',
      '--metric',
      'sum:total_tokens:total',
      '--metric',
      'count::requests',
      '--sort',
      '-total',
      ...roots,
    ]);
    expect(rows).toEqual((models ?? []).map((m) => ({ model: m.model, total: int(m.total), requests: int(m.requests) })));
  });
}

describe.skipIf(!ready)('the datasets agree with each other on the fixtures', () => {
  it('tokens per session: usage (read around content blocks) equals sessions (decoded whole)', () => {
    const roots = [`${FIXTURES}/codex/sessions`, `${FIXTURES}/claude/projects`];
    const usage = query(['--dataset', 'usage', '--by', 'session_id', '--metric', 'sum:total_tokens:t', '--sort', 'session_id', ...roots]);
    const sessions = query(['--dataset', 'sessions', '--where', 'requests > 0', '--select', 'session_id,total_tokens', '--sort', 'session_id', ...roots]);
    expect(sessions.map((s) => ({ session_id: s.session_id, t: s.total_tokens }))).toEqual(usage);
  });

  it("a session's models are in order of first use, its subagents' included, whichever file is read first", () => {
    const roots = [`${FIXTURES}/codex/sessions`, `${FIXTURES}/claude/projects`];
    const byTime = query([
      '--dataset',
      'usage',
      '--where',
      'model exists',
      '--select',
      'session_id,timestamp,model',
      '--sort',
      'session_id,timestamp',
      ...roots,
    ]);
    const firstUse = new Map<string, string[]>();
    for (const row of byTime) {
      const models = firstUse.get(String(row.session_id)) ?? [];
      if (!models.includes(String(row.model))) models.push(String(row.model));
      firstUse.set(String(row.session_id), models);
    }
    const sessions = query(['--dataset', 'sessions', '--where', 'models exists', '--select', 'session_id,models', ...roots]);
    expect(Object.fromEntries(sessions.map((s) => [s.session_id, s.models]))).toEqual(
      Object.fromEntries([...firstUse].map(([id, models]) => [id, models.join(',')])),
    );
    expect(firstUse.get('29ccd257-68b1-427f-ae5f-6524b7cb6f20')).toEqual(['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001']);
  });
});

describe.skipIf(!ready)('EXPECTED.md, Claude: claude/projects', () => {
  claudeFigures('## Claude: `claude/projects`', [`${FIXTURES}/claude/projects`], 157);
});

describe.skipIf(!ready)('EXPECTED.md, Claude: claude/agentcmd and claude/kvsankar together', () => {
  claudeFigures('## Claude: `claude/agentcmd` and `claude/kvsankar` together', [`${FIXTURES}/claude/agentcmd`, `${FIXTURES}/claude/kvsankar`], 30);
});
