/** seq stats: figures, insights at their thresholds, --json, --since, and agreement with seq query. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, tempFiles } from '../helpers/cli.js';

interface RunSpec {
  outcome?: 'success' | 'partial' | 'failed';
  issues?: number[];
  flags?: string[];
  files?: number;
  lines?: number;
  duration?: number;
  tokens?: number;
  date?: string;
  failureCategory?: string;
}

let serial = 0;
function aRun(r: RunSpec): Record<string, unknown> {
  serial++;
  return {
    id: `${String(serial).padStart(8, '0')}-1111-4222-8333-444455556666`,
    date: r.date ?? '2026-11-01T10:00:00.000Z',
    issues: r.issues ?? [1],
    phases: ['exec'],
    outcome: r.outcome ?? 'success',
    duration: r.duration ?? 60,
    model: 'opus',
    flags: r.flags ?? [],
    metrics: { tokensUsed: r.tokens ?? 0, filesChanged: r.files ?? 0, linesAdded: r.lines ?? 0, acceptanceCriteria: 1, qaIterations: 0 },
    ...(r.failureCategory ? { failureCategory: r.failureCategory } : {}),
  };
}

/** A project folder whose store holds these runs. */
function project(runs: RunSpec[]): string {
  const dir = tempFiles({});
  mkdirSync(join(dir, '.seq'));
  writeFileSync(join(dir, '.seq/metrics.json'), JSON.stringify({ version: 1, runs: runs.map(aRun) }));
  return dir;
}

function stats(dir: string, args: string[] = []): Record<string, unknown> {
  const r = run('seq', ['stats', '--json', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe('seq stats', () => {
  it('says how to start when there are no runs yet (exit 0)', () => {
    const dir = tempFiles({});
    expect(run('seq', ['stats'], { cwd: dir })).toEqual({
      status: 0,
      stdout: `No runs recorded yet: there is no run store at ${dir}/.seq/metrics.json.\nRecord one with: seq-record run --issues 12 --outcome success --duration 510 --model opus\n`,
      stderr: '',
    });
    expect(run('seq', ['stats'], { cwd: project([]) }).stdout).toMatch(/^No runs in .*metrics\.json yet\.\n/);
  });

  it('gives every figure, and the same numbers as seq query over the runs dataset', () => {
    const dir = project([
      { outcome: 'success', files: 4, lines: 300, duration: 600, tokens: 1000 },
      { outcome: 'success', files: 2, lines: 100, duration: 300, tokens: 3000, flags: ['--chain'] },
      { outcome: 'partial', files: 6, lines: 500, duration: 900, issues: [2, 3] },
      { outcome: 'failed', failureCategory: 'timeout', issues: [4, 5, 6] },
      { outcome: 'failed' },
    ]);
    const s = stats(dir);
    expect(s).toMatchObject({
      runs: 5,
      outcomes: { success: 2, partial: 1, failed: 2 },
      success_rate: 40,
      averages: { filesChanged: 2.4, linesAdded: 180, duration: 384, tokensUsed: 800 },
      tokens: { totals: { tokensUsed: 4000, inputTokens: 0 }, averages: { tokensUsed: 800 } },
      failure_categories: [
        { category: 'unclassified', runs: 2 },
        { category: 'timeout', runs: 1 },
      ],
      chain: { runs: 1, successes: 1, success_rate: 100 },
      single_issue: { runs: 3, successes: 2, success_rate: (2 / 3) * 100 },
      multi_issue: { runs: 2, successes: 0, success_rate: 0 },
    });
    expect((s.run_list as unknown[]).length).toBe(5);
    const q = jsonLines(run('seq', ['query', '--dataset', 'runs', '--by', 'outcome', '--sort', 'outcome', '--format', 'jsonl'], { cwd: dir }).stdout);
    expect(q).toEqual([
      { outcome: 'failed', count: 2 },
      { outcome: 'partial', count: 1 },
      { outcome: 'success', count: 2 },
    ]);
    const sums = jsonLines(
      run('seq', ['query', '--dataset', 'runs', '--metric', 'sum:metrics.filesChanged:files', '--metric', 'count', '--format', 'jsonl'], { cwd: dir }).stdout,
    );
    expect(sums).toEqual([{ files: 12, count: 5 }]);
  });

  it('insights: success rate thresholds, the first insight', () => {
    const insights = (runs: RunSpec[]): string[] => stats(project(runs)).insights as string[];
    expect(insights([...times(4, {}), { outcome: 'failed' }])).toEqual(['Strong success rate: 80%']);
    expect(insights([...times(3, {}), ...times(2, { outcome: 'failed' as const })])).toEqual([
      'Moderate success rate: 60%. Consider simpler acceptance criteria',
    ]);
    expect(insights([...times(2, {}), ...times(3, { outcome: 'failed' as const })])).toEqual(['Low success rate: 40%. Review issue complexity']);
    // Low, but fewer than five runs: too few to say.
    expect(insights([{}, ...times(3, { outcome: 'failed' as const })])).toEqual([]);
  });

  it('insights: files changed and lines added', () => {
    const insights = (files: number, lines: number): string[] => (stats(project([{ files, lines }])).insights as string[]).slice(1);
    expect(insights(5, 0)).toEqual(['Your sweet spot: 5 files changed avg']);
    expect(insights(10, 200)).toEqual(['Moderate scope: 10 files changed avg', 'Optimal LOC range: ~200 lines avg']);
    expect(insights(11, 400)).toEqual(['High file count: 11 files changed avg. Consider smaller issues', 'Optimal LOC range: ~400 lines avg']);
    expect(insights(0, 450)).toEqual([]);
    expect(insights(0, 501)).toEqual(['Large changes: ~501 lines avg. Consider splitting issues']);
  });

  it('insights: chain mode and multi-issue runs, only past their thresholds', () => {
    const insights = (runs: RunSpec[]): string[] => (stats(project(runs)).insights as string[]).slice(1);
    const chain = (outcome: 'success' | 'failed'): RunSpec => ({ outcome, flags: ['--chain'], issues: [1, 2] });
    // single 100%, chain 50%: more than 10 points apart, both above 0.
    expect(insights([...times(4, {}), chain('success'), chain('failed')])).toEqual(['Chain mode success: 50% vs 100% for single issues']);
    // chain 0%: not above 0, so no insight.
    expect(insights([...times(4, {}), chain('failed')])).toEqual([]);
    const multi = (outcome: 'success' | 'failed'): RunSpec => ({ outcome, issues: [1, 2] });
    expect(insights([...times(5, {}), multi('success'), multi('failed'), multi('failed')])).toEqual([
      'Multi-issue runs succeed less: 33% vs 100% for single issues. Consider one issue per run',
    ]);
    // Two multi-issue runs are too few.
    expect(insights([...times(5, {}), multi('failed'), multi('failed')])).toEqual([]);
  });

  it('insights: rates exactly 10 or 15 points apart are not past their thresholds', () => {
    const insights = (runs: RunSpec[]): string[] => (stats(project(runs)).insights as string[]).slice(1);
    const chain = (n: number, outcome: 'success' | 'failed'): RunSpec[] => times(n, { outcome, flags: ['--chain'], issues: [1, 2] });
    const single = (n: number, outcome: 'success' | 'failed'): RunSpec[] => times(n, { outcome });
    // 5/6 against 11/15: 83.3% and 73.3%, 10 points apart (as doubles, a hair more).
    expect(insights([...single(5, 'success'), ...single(1, 'failed'), ...chain(11, 'success'), ...chain(4, 'failed')])).toEqual([]);
    expect(insights([...single(5, 'success'), ...single(1, 'failed'), ...chain(10, 'success'), ...chain(5, 'failed')])).toEqual([
      'Chain mode success: 67% vs 83% for single issues',
      // The chain runs have two issues each: 16.7 points below.
      'Multi-issue runs succeed less: 67% vs 83% for single issues. Consider one issue per run',
    ]);
    const multi = (n: number, outcome: 'success' | 'failed'): RunSpec[] => times(n, { outcome, issues: [1, 2] });
    // 11/20 against 2/5: 55% and 40%.
    expect(insights([...single(11, 'success'), ...single(9, 'failed'), ...multi(2, 'success'), ...multi(3, 'failed')])).toEqual([]);
    expect(insights([...single(11, 'success'), ...single(9, 'failed'), ...multi(2, 'success'), ...multi(4, 'failed')])).toEqual([
      'Multi-issue runs succeed less: 33% vs 55% for single issues. Consider one issue per run',
    ]);
  });

  it('--since keeps later runs; the human report shows the figures and insights', () => {
    const dir = project([
      { date: '2026-10-01T10:00:00Z', outcome: 'failed' },
      { date: '2026-11-02T10:00:00Z', files: 3, lines: 250, duration: 510 },
    ]);
    expect(stats(dir, ['--since', '2026-11-01'])).toMatchObject({ runs: 1, success_rate: 100 });
    const text = run('seq', ['stats', '--since', '2026-11-01'], { cwd: dir }).stdout;
    expect(text).toMatch(/^seq stats \(local data only\)\n {2}runs: {5}1\n {2}success: {2}1 \(100%\)\n {2}partial: {2}0 \(0%\)\n {2}failed: {3}0 \(0%\)\n/);
    expect(text).toContain('  duration:       8m 30s\n');
    expect(text).toContain('Insights\n  • Strong success rate: 100%\n  • Your sweet spot: 3 files changed avg\n  • Optimal LOC range: ~250 lines avg\n');
    expect(text).toContain(`Data stored locally in ${dir}/.seq/metrics.json\n`);
    expect(run('seq', ['stats', '--since', '2027-01-01'], { cwd: dir }).stdout).toMatch(/^No runs in .* in that time\./);
  });

  it('counts a repeated id once, with a notice; --json has the same shape with or without a store', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.seq'));
    const one = aRun({ flags: ['--chain'] });
    writeFileSync(join(dir, '.seq/metrics.json'), JSON.stringify({ version: 1, runs: [one, one, aRun({ outcome: 'failed' })] }));
    const r = run('seq', ['stats', '--json'], { cwd: dir });
    expect(r.stderr).toBe('seq: skipped 1 run whose id was seen before (each run counts once)\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: 2, chain: { runs: 1 }, partial_rate: 0, failed_rate: 50 });
    const none = JSON.parse(run('seq', ['stats', '--json'], { cwd: tempFiles({}) }).stdout) as Record<string, unknown>;
    expect(Object.keys(none)).toEqual(Object.keys(JSON.parse(r.stdout) as object));
    expect(none).toMatchObject({ runs: 0, success_rate: 0, insights: [], run_list: [] });
  });

  it('leaves out stored runs the figures cannot read, counted with the first named; keeps fields another writer stored', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, '.seq'));
    const good = { ...aRun({}), model: 'claude-opus-4-6[1m]', flags: ['--base', 'main'], phasePolicies: { exec: 'always' } };
    const runs = [
      good,
      { ...aRun({}), outcome: 'SUCCESS' },
      { ...aRun({ files: 2 }), metrics: { ...(aRun({}).metrics as object), filesChanged: '7' } },
      1,
      null,
    ];
    writeFileSync(join(dir, '.seq/metrics.json'), JSON.stringify({ version: 1, runs }));
    const r = run('seq', ['stats', '--json'], { cwd: dir });
    expect(r.stderr).toBe(
      `seq: skipped 4 stored runs that do not follow the run schema (first: ${dir}/.seq/metrics.json: runs[1].outcome: unknown outcome "SUCCESS"; expected one of success, partial, failed; did you mean success?)\n`,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: 1, outcomes: { success: 1, partial: 0, failed: 0 } });
    expect(jsonLines(run('seq', ['query', '--dataset', 'runs', '--select', 'model,phasePolicies', '--format', 'jsonl'], { cwd: dir }).stdout)).toEqual([
      { model: 'claude-opus-4-6[1m]', phasePolicies: { exec: 'always' } },
    ]);
  });

  it('--json gives rates and averages unrounded, as the insights read them', () => {
    const dir = project([...times(799, {}), ...times(200, { outcome: 'failed' as const }), { files: 1 }]);
    const figures = stats(dir);
    expect(figures.success_rate).toBe((800 / 1000) * 100);
    const near = project([...times(2, {}), { outcome: 'failed', files: 1 }]);
    expect(stats(near)).toMatchObject({ success_rate: (2 / 3) * 100, averages: { filesChanged: 1 / 3 } });
  });

  it('a --store that names no file is a mistake (exit 1); SEQ_STORE and the default store before a first run are none yet', () => {
    const dir = tempFiles({});
    expect(run('seq', ['stats', '--store', 'typo.json'], { cwd: dir })).toEqual({
      status: 1,
      stdout: '',
      stderr: `seq: there is no run store at ${dir}/typo.json; check the path, or record a run there first (seq-record run --store ${dir}/typo.json ...)\n`,
    });
    const viaEnv = run('seq', ['stats'], { cwd: dir, env: { SEQ_STORE: join(dir, 'later.json') } });
    expect(viaEnv.status).toBe(0);
    expect(viaEnv.stdout).toMatch(/^No runs recorded yet: there is no run store at .*later\.json\./);
  });

  it('reads --store, SEQ_STORE and an existing .sequant store; a broken store fails with exit 1', () => {
    const dir = project([{}]);
    const other = tempFiles({});
    expect(stats(other, ['--store', join(dir, '.seq/metrics.json')]).runs).toBe(1);
    expect(JSON.parse(run('seq', ['stats', '--json'], { cwd: other, env: { SEQ_STORE: join(dir, '.seq/metrics.json') } }).stdout).runs).toBe(1);
    mkdirSync(join(other, '.sequant'));
    writeFileSync(join(other, '.sequant/metrics.json'), JSON.stringify({ version: 1, runs: [aRun({}), aRun({ outcome: 'failed' })] }));
    expect(stats(other).runs).toBe(2);
    writeFileSync(join(other, '.sequant/metrics.json'), '{"version":1,"runs":[');
    const r = run('seq', ['stats'], { cwd: other });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^seq: the run store .*\.sequant\/metrics\.json cannot be read \(.*\); it was left untouched/);
  });
});
