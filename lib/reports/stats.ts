/**
 * `seq stats`: the figures and insights of Sequant's local analytics, from the runs dataset
 * through the stages (one scan, a grouping per question), so `seq query --dataset runs` gives the
 * same numbers.
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import type { Block, Fact } from './document.js';
import { scanBranches, sortKeys, type Branch } from './engine.js';
import type { ReportContext } from './run.js';
import type { Metric, Predicate } from '../spec/types.js';
import { shapeRows } from '../stages/shape.js';
import { DERIVED_FIELDS } from '../runs/schema.js';

const TOKEN_METRICS = ['tokensUsed', 'inputTokens', 'outputTokens', 'cacheTokens'] as const;
const SIZE_METRICS = ['filesChanged', 'linesAdded', 'qaIterations', 'acceptanceCriteria'] as const;

export interface Comparison {
  runs: number;
  successes: number;
  /** Successes per run in percent; 0 for no runs. */
  rate: number;
}

export interface Stats {
  runs: number;
  success: number;
  partial: number;
  failed: number;
  successRate: number;
  partialRate: number;
  failedRate: number;
  averages: { filesChanged: number; linesAdded: number; duration: number; tokensUsed: number; qaIterations: number; acceptanceCriteria: number };
  tokens: { totals: Record<string, number>; averages: Record<string, number> };
  failureCategories: Row[];
  chain: Comparison;
  single: Comparison;
  multi: Comparison;
  insights: string[];
}

const is = (field: string, op: Predicate['op'], value: JsonValue): Predicate => ({ field, op, value, caseInsensitive: false });
const SUCCESS = is('outcome', 'eq', 'success');
const COUNT: Metric = { op: 'count', field: undefined, as: 'runs' };

/** Two branches: the runs of a group, and its successful ones. */
function comparison(where: Predicate[]): Branch[] {
  return [
    { where, group: { groupBy: [], metrics: [COUNT] } },
    { where: [...where, SUCCESS], group: { groupBy: [], metrics: [COUNT] } },
  ];
}

function compared(all: Row[] | undefined, successes: Row[] | undefined): Comparison {
  const runs = Number(all?.[0]?.runs ?? 0);
  const ok = Number(successes?.[0]?.runs ?? 0);
  return { runs, successes: ok, rate: runs > 0 ? (ok / runs) * 100 : 0 };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Whether `a`'s success rate is more than `points` percentage points above `b`'s, in whole
 * numbers: the rates as doubles put 5/6 - 11/15 a hair over 10 points.
 */
function ahead(a: Comparison, b: Comparison, points: number): boolean {
  return 100 * (a.successes * b.runs - b.successes * a.runs) > points * a.runs * b.runs;
}

/** The insights, in a fixed order, each shown only past its threshold. */
export function insights(s: Omit<Stats, 'insights'>): string[] {
  const out: string[] = [];
  const rate = Math.round(s.successRate);
  // In whole numbers, as ahead() compares.
  if (s.runs > 0 && 100 * s.success >= 80 * s.runs) out.push(`Strong success rate: ${rate}%`);
  else if (s.runs > 0 && 100 * s.success >= 60 * s.runs) out.push(`Moderate success rate: ${rate}%. Consider simpler acceptance criteria`);
  else if (s.runs >= 5) out.push(`Low success rate: ${rate}%. Review issue complexity`);
  const files = s.averages.filesChanged;
  if (files > 0) {
    if (files <= 5) out.push(`Your sweet spot: ${round1(files)} files changed avg`);
    else if (files <= 10) out.push(`Moderate scope: ${round1(files)} files changed avg`);
    else out.push(`High file count: ${round1(files)} files changed avg. Consider smaller issues`);
  }
  const lines = s.averages.linesAdded;
  if (lines > 0) {
    if (lines >= 200 && lines <= 400) out.push(`Optimal LOC range: ~${Math.round(lines)} lines avg`);
    else if (lines > 500) out.push(`Large changes: ~${Math.round(lines)} lines avg. Consider splitting issues`);
  }
  if (s.chain.successes > 0 && s.single.successes > 0 && ahead(s.single, s.chain, 10)) {
    out.push(`Chain mode success: ${Math.round(s.chain.rate)}% vs ${Math.round(s.single.rate)}% for single issues`);
  }
  if (s.multi.runs >= 3 && ahead(s.single, s.multi, 15)) {
    out.push(`Multi-issue runs succeed less: ${Math.round(s.multi.rate)}% vs ${Math.round(s.single.rate)}% for single issues. Consider one issue per run`);
  }
  return out;
}

/** The figures of the store's runs; a store that is not there yet has none (every figure 0). */
export async function runStats(context: ReportContext, store: string | undefined): Promise<{ stats: Stats; runs: Row[] }> {
  const scan = context.scan({ dataset: 'runs', roots: store === undefined ? [] : [store] });
  const sums: Metric[] = [
    COUNT,
    { op: 'sum', field: 'duration', as: 'duration' },
    ...[...TOKEN_METRICS, ...SIZE_METRICS].map((m): Metric => ({ op: 'sum', field: `metrics.${m}`, as: m })),
  ];
  const answers =
    store === undefined
      ? []
      : await scanBranches(
          scan,
          [],
          [
            { group: { groupBy: [], metrics: sums } },
            { group: { groupBy: ['outcome'], metrics: [COUNT] } },
            { where: [is('outcome', 'neq', 'success')], group: { groupBy: ['failureCategory'], metrics: [COUNT] } },
            ...comparison([is('chain', 'eq', true)]),
            ...comparison([is('issue_count', 'eq', 1)]),
            ...comparison([is('issue_count', 'gt', 1)]),
            { sort: sortKeys('date') },
          ],
          context.run,
        );
  const [totals, byOutcome = [], categories = [], chainAll, chainOk, singleAll, singleOk, multiAll, multiOk, runs = []] = answers;
  const total = totals?.[0] ?? {};
  const n = Number(total.runs ?? 0);
  const per = (field: string): number => (n > 0 ? Number(total[field] ?? 0) / n : 0);
  const outcome = (name: string): number => Number(byOutcome.find((r) => r.outcome === name)?.runs ?? 0);
  const success = outcome('success');
  const base = {
    runs: n,
    success,
    partial: outcome('partial'),
    failed: outcome('failed'),
    successRate: n > 0 ? (success / n) * 100 : 0,
    partialRate: n > 0 ? (outcome('partial') / n) * 100 : 0,
    failedRate: n > 0 ? (outcome('failed') / n) * 100 : 0,
    averages: {
      filesChanged: per('filesChanged'),
      linesAdded: per('linesAdded'),
      duration: per('duration'),
      tokensUsed: per('tokensUsed'),
      qaIterations: per('qaIterations'),
      acceptanceCriteria: per('acceptanceCriteria'),
    },
    tokens: {
      totals: Object.fromEntries(TOKEN_METRICS.map((m) => [m, Number(total[m] ?? 0)])),
      averages: Object.fromEntries(TOKEN_METRICS.map((m) => [m, per(m)])),
    },
    // A run that did not succeed and says not why is "unclassified"; most first, then by name.
    failureCategories: shapeRows(
      categories.map((r) => ({ category: r.failureCategory ?? 'unclassified', runs: r.runs ?? 0 })),
      { select: undefined, sort: sortKeys('-runs', 'category'), limit: 0 },
    ),
    chain: compared(chainAll, chainOk),
    single: compared(singleAll, singleOk),
    multi: compared(multiAll, multiOk),
  };
  return { stats: { ...base, insights: insights(base) }, runs };
}

/** `8m 30s`, `1h 2m 5s`, `45s`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h > 0 ? `${h}h` : '', h > 0 || m > 0 ? `${m}m` : '', `${rest}s`].filter(Boolean).join(' ');
}

/** Every figure as computed, unrounded, so that a script can hold it to the insights' thresholds. */
export function statsJson(stats: Stats, runs: Row[], store: string): JsonValue {
  const rate = (c: Comparison): JsonValue => ({ runs: c.runs, successes: c.successes, success_rate: c.rate });
  return {
    store,
    runs: stats.runs,
    outcomes: { success: stats.success, partial: stats.partial, failed: stats.failed },
    success_rate: stats.successRate,
    partial_rate: stats.partialRate,
    failed_rate: stats.failedRate,
    averages: stats.averages,
    tokens: { totals: stats.tokens.totals, averages: stats.tokens.averages },
    failure_categories: stats.failureCategories,
    chain: rate(stats.chain),
    single_issue: rate(stats.single),
    multi_issue: rate(stats.multi),
    insights: stats.insights,
    run_list: runs.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !(DERIVED_FIELDS as readonly string[]).includes(k)))),
  };
}

export function statsBlocks(stats: Stats, store: string): Block[] {
  const pct = (n: number): string => `${Math.round(n)}%`;
  const facts: Fact[] = [
    ['runs', stats.runs],
    ['success', `${stats.success} (${pct(stats.successRate)})`],
    ['partial', `${stats.partial} (${pct(stats.partialRate)})`],
    ['failed', `${stats.failed} (${pct(stats.failedRate)})`],
  ];
  const blocks: Block[] = [
    { kind: 'heading', text: 'seq stats (local data only)' },
    { kind: 'facts', facts },
    { kind: 'heading', text: 'Averages per run' },
    {
      kind: 'facts',
      facts: [
        ['files changed', round1(stats.averages.filesChanged)],
        ['lines added', Math.round(stats.averages.linesAdded)],
        ['duration', duration(stats.averages.duration)],
        ['QA iterations', round1(stats.averages.qaIterations)],
        ['tokens', Math.round(stats.averages.tokensUsed)],
      ],
    },
    { kind: 'heading', text: 'Tokens' },
    {
      kind: 'table',
      rows: TOKEN_METRICS.map((m) => ({ tokens: m, total: stats.tokens.totals[m] ?? 0, 'per run': Math.round(stats.tokens.averages[m] ?? 0) })),
      columns: ['tokens', 'total', 'per run'],
    },
  ];
  if (stats.failureCategories.length > 0) {
    blocks.push({ kind: 'heading', text: 'Why runs did not succeed' }, { kind: 'table', rows: stats.failureCategories, columns: ['category', 'runs'] });
  }
  blocks.push(
    { kind: 'heading', text: 'Modes' },
    {
      kind: 'table',
      rows: [
        { runs: 'chain (--chain)', count: stats.chain.runs, success: pct(stats.chain.rate) },
        { runs: 'single issue', count: stats.single.runs, success: pct(stats.single.rate) },
        { runs: 'several issues', count: stats.multi.runs, success: pct(stats.multi.rate) },
      ],
      columns: ['runs', 'count', 'success'],
    },
    { kind: 'heading', text: 'Insights' },
    stats.insights.length > 0 ? { kind: 'note', text: stats.insights.map((i) => `  • ${i}`).join('\n') } : { kind: 'note', text: '  (none yet)' },
    { kind: 'note', text: `Data stored locally in ${store}` },
  );
  return blocks;
}
