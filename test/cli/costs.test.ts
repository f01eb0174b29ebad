/**
 * Costs as a user sees them: every request of the shared fixtures and the generated examples
 * priced (gpt-5.5 among them), cost_usd null exactly where price_model is, and per-day costs
 * within 0.5% of ccusage 20's (`--offline`) on the same logs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** A Claude transcript line of one request of `model`. */
function claudeLine(model: string, n: number, usage: { input_tokens: number; output_tokens: number }): string {
  return JSON.stringify({
    type: 'assistant',
    sessionId: 's1',
    requestId: `req_${n}`,
    uuid: `u${n}`,
    timestamp: `2026-03-01T10:00:0${n}.000Z`,
    version: '2.1.0',
    message: { id: `msg_${n}`, role: 'assistant', model, content: [], usage },
  });
}

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

  it.skipIf(!requireFixtures())("gives each session the sum of its requests' costs, and --no-cost leaves costs out", () => {
    const inputs = [FIXTURES, generatedSessions()];
    const perRequest = run('seq', [
      'query',
      '--dataset',
      'usage',
      '--by',
      'source,session_id',
      '--metric',
      'sum:cost_usd:cost',
      '--format',
      'jsonl',
      ...inputs,
    ]);
    const sessions = run('seq', ['query', '--dataset', 'sessions', '--select', 'source,session_id,cost_usd', '--format', 'jsonl', ...inputs]);
    const byRequest = new Map(
      (jsonLines(perRequest.stdout) as Array<{ source: string; session_id: string; cost: number }>).map((r) => [`${r.source}/${r.session_id}`, r.cost]),
    );
    let compared = 0;
    for (const row of jsonLines(sessions.stdout) as Array<{ source: string; session_id: string; cost_usd: number }>) {
      const expected = byRequest.get(`${row.source}/${row.session_id}`) ?? 0;
      expect(Math.abs(row.cost_usd - expected), row.session_id).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
      if (expected > 0) compared++;
    }
    expect(compared).toBeGreaterThan(20);
    const none = run('seq', ['query', '--dataset', 'sessions', '--no-cost', '--format', 'jsonl', '--limit', '1', ...inputs]);
    expect(Object.keys(jsonLines(none.stdout)[0] as object)).not.toContain('cost_usd');
    const usage = run('seq', ['export', '--dataset', 'usage', '--no-cost', '--format', 'csv', ...inputs]);
    const columns = (usage.stdout.split('\n')[0] as string).split(',');
    expect(columns).not.toContain('cost_usd');
    expect(columns).not.toContain('price_model');
    expect(columns).toContain('logged_cost_usd'); // what a log itself says is no price of seq's
  });

  it('leaves the cost of a model with no price null, and names the model, its requests and tokens on stderr', () => {
    const line = (model: string, n: number): string => claudeLine(model, n, { input_tokens: 100, output_tokens: 20 });
    const dir = tempFiles({ 's1.jsonl': `${[line('my-local-model', 1), line('my-local-model', 2), line('claude-sonnet-4-5', 3)].join('\n')}\n` });
    const r = run('seq', ['query', '--dataset', 'usage', '--select', 'model,cost_usd,price_model', dir]);
    expect(jsonLines(r.stdout)).toEqual([
      { model: 'my-local-model', cost_usd: null, price_model: null },
      { model: 'my-local-model', cost_usd: null, price_model: null },
      { model: 'claude-sonnet-4-5', cost_usd: 100 * 3e-6 + 20 * 1.5e-5, price_model: 'claude-sonnet-4-5' },
    ]);
    expect(r.stderr).toBe('seq: cost_usd is null where no price is known: my-local-model (2 requests, 240 tokens); docs/costs.md says how to add a price\n');
  });

  it('names only the unpriced requests inside --since and --until, in every dataset that prices', () => {
    const line = (model: string, n: number): string => claudeLine(model, n, { input_tokens: 100, output_tokens: 20 });
    const dir = tempFiles({ 's1.jsonl': `${[line('my-local-model', 1), line('my-local-model', 2), line('claude-sonnet-4-5', 3)].join('\n')}\n` });
    const notice = 'seq: cost_usd is null where no price is known: my-local-model (1 request, 120 tokens); docs/costs.md says how to add a price\n';
    for (const dataset of ['usage', 'sessions', 'token_deltas']) {
      const later = run('seq', ['query', '--no-cache', '--dataset', dataset, '--since', '2026-04-01', dir]);
      expect(later, dataset).toMatchObject({ status: 0, stderr: '' });
    }
    const one = run('seq', ['query', '--no-cache', '--dataset', 'usage', '--since', '2026-03-01T10:00:02Z', '--tz', 'UTC', dir]);
    expect(one.stderr).toBe(notice);
    expect(run('seq', ['daily', '--since', '2026-04-01', dir])).toEqual({ status: 0, stdout: '(no results)\n', stderr: '' });
    // A session is kept by its start, a block by its requests: the notice counts the same ones.
    const later = claudeLine('my-local-model', 4, { input_tokens: 100, output_tokens: 20 }).replace('2026-03-01T10:00:04', '2026-03-10T10:00:04');
    const two = tempFiles({ 's1.jsonl': `${[line('claude-sonnet-4-5', 3), later].join('\n')}\n` });
    const early = ['--until', '2026-03-05', '--tz', 'UTC', '--no-cache'];
    expect(run('seq', ['query', '--dataset', 'sessions', ...early, two]).stderr).toBe(notice);
    expect(run('seq', ['blocks', ...early, two]).stderr).toBe('');
    expect(run('seq', ['blocks', '--since', '2026-03-05', '--tz', 'UTC', '--no-cache', two]).stderr).toBe(notice);
  });

  it('counts no request of no price as free in the views and reports: where one is, the cost is null', () => {
    const line = (model: string, n: number): string => claudeLine(model, n, { input_tokens: 100, output_tokens: 20 });
    const mixed = tempFiles({ 's1.jsonl': `${[line('my-local-model', 1), line('claude-sonnet-4-5', 2)].join('\n')}\n` });
    const priced = tempFiles({ 's1.jsonl': `${line('claude-sonnet-4-5', 1)}\n` });
    const costs = (args: string[], dir: string): unknown[] =>
      (jsonLines(run('seq', [...args, '--format', 'jsonl', '--no-cache', dir]).stdout) as Array<{ cost_usd: unknown }>).map((row) => row.cost_usd);
    const each = 100 * 3e-6 + 20 * 1.5e-5;
    for (const view of [['daily', '--tz', 'UTC'], ['session'], ['blocks']]) {
      expect(costs(view, mixed), view[0]).toEqual([null]);
      expect(costs(view, priced), view[0]).toEqual([each]);
      // --no-cost: no column of costs at all.
      const columns = Object.keys(jsonLines(run('seq', [...view, '--no-cost', '--format', 'jsonl', '--no-cache', mixed]).stdout)[0] as object);
      expect(columns, view[0]).toContain('total');
      expect(
        columns.filter((column) => column.includes('cost')),
        view[0],
      ).toEqual([]);
    }
    expect(run('seq', ['session', '--no-cost', '--sort', '-cost_usd', mixed])).toMatchObject({
      status: 2,
      stderr: 'seq: --sort cost_usd: --no-cost leaves the cost out; sort by another column, or leave out --no-cost\n',
    });
    const report = JSON.parse(run('seq', ['report', '--json', '--no-cache', mixed]).stdout) as {
      totals: { cost_usd: unknown };
      models: Array<{ cost_usd: unknown }>;
    };
    expect(report.totals.cost_usd).toBeNull();
    // The page: no bar of cost for the model of no price (one of tokens), and the total cost unknown.
    const page = run('seq', ['report', '--html', '--no-cache', mixed]).stdout;
    const figure = (name: string): string =>
      page.slice(page.indexOf(`<figure data-chart="${name}">`), page.indexOf('</figure>', page.indexOf(`<figure data-chart="${name}">`)));
    expect(figure('days-models')).toContain('my-local-model');
    expect(figure('days-models-cost')).toContain('data-key="2026-03-01 claude-sonnet-4-5"');
    expect(figure('days-models-cost')).not.toContain('data-key="2026-03-01 my-local-model"');
    expect(page).toContain('<div data-fact="cost">cost<b>unknown</b></div>');
    // The figures' tables show a cost as the table format does, not a double's last digits.
    expect(100 * 3e-6 + 20 * 1.5e-5).toBe(0.0006000000000000001);
    expect(page).toContain('<td class="n">0.0006</td>');
    expect(page).not.toMatch(/<td class="n">-?\d*\.\d{5,}<\/td>/);
    // Every cost unknown: a cost chart says so, with no axis of a made-up scale.
    const unpriced = tempFiles({ 's1.jsonl': `${line('my-local-model', 1)}\n` });
    expect(run('seq', ['report', '--html', '--no-cache', unpriced]).stdout).toContain(
      '<figure data-chart="days-cost"><figcaption>Cost per day (US dollars), by source</figcaption><p class="none">(no price known)</p></figure>',
    );
    // --no-cost: no cost anywhere in the report, as JSON or as a page.
    const noCost = run('seq', ['report', '--json', '--no-cost', '--no-cache', mixed]);
    expect(noCost.stdout).not.toContain('cost');
    expect(JSON.parse(noCost.stdout).totals).toEqual({ total_tokens: 2 * 120, requests: 2 });
    expect(run('seq', ['report', '--html', '--no-cost', '--no-cache', mixed]).stdout).not.toMatch(/data-chart="[a-z-]*cost"|cost_usd|data-fact="cost"/);
    expect(report.models.map((model) => model.cost_usd).sort()).toEqual([each, null].sort());
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

describe('seq prices', () => {
  const log = (model: string, n: number): string => claudeLine(model, n, { input_tokens: 1000, output_tokens: 100 });
  const logs = tempFiles({
    's1.jsonl': `${[log('my-local-model', 1), log('my-local-model', 2), log('other-model', 3), log('claude-sonnet-4-5', 4)].join('\n')}\n`,
  });

  it('shows the entry that prices a model as a log names it, per million tokens, with its source', () => {
    const r = run('seq', ['prices', '--model', 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', '--format', 'jsonl']);
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout)).toEqual([
      {
        model: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
        input: 3,
        output: 15,
        cache_write: 3.75,
        cache_write_1h: null,
        cache_read: 0.3,
        input_over_200k: 6,
        output_over_200k: 22.5,
        cache_write_over_200k: 7.5,
        cache_read_over_200k: 0.6,
        source: 'LiteLLM, as embedded in ccusage 19.0.3 (shared/pricing/litellm-claude.json)',
      },
    ]);
    // A model the table does not price is a lookup that failed, not a usage error.
    const none = run('seq', ['prices', '--model', 'my-local-model']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no price for "my-local-model"');
    expect(run('seq', ['prices', '--format', 'chart'])).toMatchObject({ status: 2, stdout: '' });
  });

  it('lists the models of the logs that have no price, with their requests and tokens (--check)', () => {
    const r = run('seq', ['prices', '--check', '--format', 'jsonl', logs]);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { model: 'my-local-model', requests: 2, tokens: 2200 },
      { model: 'other-model', requests: 1, tokens: 1100 },
    ]);
  });

  it('adds and changes prices from --prices FILE and the config file, and says what is wrong in them', () => {
    const config = tempFiles({});
    mkdirSync(join(config, 'seq'));
    const files = tempFiles({
      'mine.json': JSON.stringify({
        'my-local-model': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, max_tokens: 8192, litellm_provider: 'local' },
      }),
      'bad.json': JSON.stringify({ 'x-model': { input_cost_per_token: -1 } }),
      'huge.json': JSON.stringify({ 'x-model': { input_cost_per_token: 1e-6, output_cost_per_token: 1e308 } }),
      'half.json': JSON.stringify({ 'x-model': { input_cost_per_token: 1e-6 } }),
    });
    const env = { XDG_CONFIG_HOME: config };
    writeFileSync(join(config, 'seq/prices.json'), JSON.stringify({ 'claude-sonnet-4-5': { output_cost_per_token: 0 } }));
    const r = run('seq', ['query', '--dataset', 'usage', '--prices', join(files, 'mine.json'), '--select', 'model,cost_usd,price_model', logs], { env });
    expect(r.stderr).toBe('seq: cost_usd is null where no price is known: other-model (1 request, 1,100 tokens); docs/costs.md says how to add a price\n');
    expect(jsonLines(r.stdout)).toEqual([
      { model: 'my-local-model', cost_usd: 1000 * 1e-6 + 100 * 2e-6, price_model: 'my-local-model' },
      { model: 'my-local-model', cost_usd: 1000 * 1e-6 + 100 * 2e-6, price_model: 'my-local-model' },
      { model: 'other-model', cost_usd: null, price_model: null },
      { model: 'claude-sonnet-4-5', cost_usd: 1000 * 3e-6, price_model: 'claude-sonnet-4-5' },
    ]);
    const listed = run('seq', ['prices', '--model', 'claude-sonnet-4-5', '--format', 'jsonl'], { env });
    expect((jsonLines(listed.stdout)[0] as { output: number; source: string }).source).toBe(
      `LiteLLM, as embedded in ccusage 19.0.3 (shared/pricing/litellm-claude.json); changed by ${join(config, 'seq/prices.json')}`,
    );
    expect(run('seq', ['prices', '--check', '--no-cost', logs]).stderr).toContain('--check finds the models without a price');
    for (const [file, problem] of [
      ['bad.json', '"x-model".input_cost_per_token: expected a price in dollars per token (a number from 0 to 1000; $3 per million tokens is 0.000003)'],
      ['huge.json', '"x-model".output_cost_per_token: expected a price in dollars per token (a number from 0 to 1000;'],
      ['half.json', '"x-model": a model the table does not have needs input_cost_per_token and output_cost_per_token'],
      ['none.json', 'cannot read'],
    ]) {
      const bad = run('seq', ['query', '--dataset', 'usage', '--prices', join(files, file as string), logs]);
      expect(bad.status, file).toBe(2);
      expect(bad.stderr, file).toContain(problem);
    }
    writeFileSync(join(config, 'seq/prices.json'), '{"oops"');
    const broken = run('seq', ['query', '--dataset', 'usage', logs], { env });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`${join(config, 'seq/prices.json')}: invalid JSON at line 1, column 8: expected ':' after the key`);
  });
});
