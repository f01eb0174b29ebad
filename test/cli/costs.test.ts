/**
 * Costs as a user sees them: every request of the shared fixtures and the generated examples
 * priced (gpt-5.5 among them), cost_usd null exactly where price_model is, and per-day costs
 * within 0.5% of ccusage 20's (`--offline`) on the same logs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccusageDailyCosts, requireCcusage } from '../helpers/ccusage.js';
import { jsonLines, run, tempFiles } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures, requireFixtures } from '../helpers/sessions.js';

/** Logs as seq reads them (a folder) and as ccusage does (its CODEX_HOME or CLAUDE_CONFIG_DIR). */
const LOGS = [
  ...(hasFixtures
    ? [
        { name: 'fixtures, codex', source: 'codex' as const, seq: join(FIXTURES, 'codex/sessions'), peer: join(FIXTURES, 'codex') },
        { name: 'fixtures, claude', source: 'claude' as const, seq: join(FIXTURES, 'claude/projects'), peer: join(FIXTURES, 'claude') },
      ]
    : []),
  { name: 'examples, codex', source: 'codex' as const, seq: join(generatedSessions(), 'codex'), peer: join(generatedSessions(), 'codex') },
  { name: 'examples, claude', source: 'claude' as const, seq: join(generatedSessions(), 'claude'), peer: join(generatedSessions(), 'claude') },
];

describe('costs of the usage dataset', () => {
  it.skipIf(!requireFixtures())('prices every request of the fixtures and the examples, and says nothing on stderr', () => {
    const r = run('seq', ['query', '--dataset', 'usage', '--select', 'model,price_model,cost_usd,total_tokens', FIXTURES, generatedSessions()]);
    expect(r.stderr).toBe('');
    const rows = jsonLines(r.stdout) as Array<{ model: string; price_model: string | null; cost_usd: number | null; total_tokens: number }>;
    expect(rows.length).toBeGreaterThan(500);
    expect(rows.filter((row) => row.cost_usd === null)).toEqual([]);
    expect(rows.some((row) => row.model === 'gpt-5.5' && row.price_model === 'gpt-5.5')).toBe(true);
    for (const row of rows) expect(row.cost_usd as number).toBeGreaterThanOrEqual(0);
  });

  it('leaves the cost of a model with no price null, and names the model, its requests and tokens on stderr', () => {
    const line = (model: string, n: number): string =>
      JSON.stringify({
        type: 'assistant',
        sessionId: 's1',
        requestId: `req_${n}`,
        uuid: `u${n}`,
        timestamp: `2026-03-01T10:00:0${n}.000Z`,
        version: '2.1.0',
        message: { id: `msg_${n}`, role: 'assistant', model, content: [], usage: { input_tokens: 100, output_tokens: 20 } },
      });
    const dir = tempFiles({ 's1.jsonl': `${[line('my-local-model', 1), line('my-local-model', 2), line('claude-sonnet-4-5', 3)].join('\n')}\n` });
    const r = run('seq', ['query', '--dataset', 'usage', '--select', 'model,cost_usd,price_model', dir]);
    expect(jsonLines(r.stdout)).toEqual([
      { model: 'my-local-model', cost_usd: null, price_model: null },
      { model: 'my-local-model', cost_usd: null, price_model: null },
      { model: 'claude-sonnet-4-5', cost_usd: 100 * 3e-6 + 20 * 1.5e-5, price_model: 'claude-sonnet-4-5' },
    ]);
    expect(r.stderr).toBe(
      'seq: no price for one model, so cost_usd is null for its requests: my-local-model (2 requests, 240 tokens); docs/costs.md says how to add a price\n',
    );
  });

  it.skipIf(!requireCcusage()).each(LOGS)('$name: costs per day within 0.5% of ccusage 20', ({ source, seq, peer }) => {
    const r = run('seq', [
      'query',
      '--dataset',
      'usage',
      '--source',
      source,
      '--by',
      'day',
      '--metric',
      'sum:cost_usd:cost',
      '--sort',
      'day',
      '--format',
      'jsonl',
      seq,
    ]);
    expect(r.status).toBe(0);
    const ours = new Map((jsonLines(r.stdout) as Array<{ day: string; cost: number }>).map((row) => [row.day, row.cost]));
    const theirs = ccusageDailyCosts(source, peer);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    expect(theirs.size).toBeGreaterThan(2);
    for (const [day, cost] of theirs) expect(Math.abs((ours.get(day) as number) - cost), day).toBeLessThanOrEqual(0.005 * cost);
  });
});
