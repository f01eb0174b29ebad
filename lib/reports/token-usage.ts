/**
 * `seq token-usage`: a summary of tokens (token_deltas rows, days, total, average per
 * day, the smallest and largest day, the top days), and the same tokens by source and by model.
 * Every figure is a grouping of one scan of token_deltas, which gives Codex and Claude sessions
 * alike (a Claude request's delta is its whole usage).
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import type { Metric } from '../spec/types.js';
import { withCost } from '../datasets/costs.js';
import { shapeRows } from '../stages/shape.js';
import { billDollars } from '../stages/formats/cells.js';
import { renderDocument, type Block } from './document.js';
import { ask, sortKeys, type Question } from './engine.js';
import type { Values } from '../base/command.js';
import { countOption, topRows, type Report, type ReportContext } from './run.js';
import type { ReportValues, TOKEN_USAGE_FLAGS } from './flags.js';

export interface TokenUsage {
  rows: number;
  days: number;
  total: number;
  /** What the tokens cost in US dollars; null when some had no price, undefined with --no-cost. */
  cost: number | null | undefined;
  averagePerDay: number | null;
  minDay: Row | undefined;
  maxDay: Row | undefined;
  topDays: Row[];
  byDay: Row[];
  bySource: Row[];
  byModel: Row[];
  /** With no token counts at all: an estimate from the "Original token count" of tool outputs. */
  fallback: TokenFallback;
}

const FALLBACK_LABEL = 'no token counts in these logs; estimated from "Original token count: N" in tool outputs';

export type TokenFallback = { total: number; outputs: number; byDay: Row[] } | undefined;

/** The fallback: the `Original token count` lines Codex writes into tool outputs, per day. */
function fallbackQuestion(context: ReportContext): Question<TokenFallback> {
  const sum: Metric[] = [
    { op: 'sum', field: 'original_token_count', as: 'tokens' },
    { op: 'count', field: undefined, as: 'outputs' },
  ];
  return {
    scan: context.scan({ dataset: 'tool_outputs' }),
    where: [{ field: 'original_token_count', op: 'exists', value: undefined, caseInsensitive: false }],
    branches: [{ group: { groupBy: [], metrics: sum } }, { group: { groupBy: ['day'], metrics: sum }, sort: sortKeys('day') }],
    answer([totals = [], byDay = []]) {
      const outputs = Number(totals[0]?.outputs ?? 0);
      return outputs > 0 ? { total: Number(totals[0]?.tokens ?? 0), outputs, byDay } : undefined;
    },
  };
}

const SUMS: Metric[] = [
  { op: 'sum', field: 'delta_total_tokens', as: 'tokens' },
  { op: 'count', field: undefined, as: 'rows' },
];
/** A cost is not a sum that leaves requests out: where a total, day, source or model has a request of no price, it is null (the scan's notice names the models). */
const COST: Metric = { op: 'sum_strict', field: 'cost_usd', as: 'cost_usd' };

/** The token figures of token_deltas (without the fallback, which is fallbackQuestion's). */
export function tokenUsageQuestion(context: ReportContext<ReportValues & { dedupe?: boolean | undefined }>, top: number): Question<TokenUsage> {
  const params: Record<string, JsonValue> = context.values.dedupe === false ? { dedupe: false } : {};
  const scan = context.scan({ dataset: 'token_deltas', params });
  const withCosts = withCost(scan.params);
  const sums = withCosts ? [...SUMS, COST] : SUMS;
  return {
    scan,
    branches: [
      { group: { groupBy: [], metrics: [...sums, { op: 'count_distinct', field: 'day', as: 'days' }] } },
      { group: { groupBy: ['day'], metrics: sums }, sort: sortKeys('day') },
      { group: { groupBy: ['source'], metrics: sums }, sort: sortKeys('-tokens', 'source') },
      { group: { groupBy: ['model'], metrics: sums }, sort: sortKeys('-tokens', 'model') },
    ],
    answer([totals = [], byDay = [], bySource = [], byModel = []]) {
      const all = totals[0] ?? {};
      const days = Number(all.days ?? 0);
      const total = Number(all.tokens ?? 0);
      const rows = Number(all.rows ?? 0);
      const dated = byDay.filter((row) => row.day !== null);
      return {
        rows,
        days,
        total,
        cost: !withCosts ? undefined : all.cost_usd === null ? null : Number(all.cost_usd ?? 0),
        averagePerDay: days > 0 ? total / days : null,
        minDay: shapeRows(dated, { select: undefined, sort: sortKeys('tokens', 'day'), limit: 1 })[0],
        maxDay: shapeRows(dated, { select: undefined, sort: sortKeys('-tokens', 'day'), limit: 1 })[0],
        topDays: topRows(shapeRows(dated, { select: columnsOf('day', withCosts), sort: sortKeys('-tokens', 'day'), limit: top }), top),
        byDay,
        bySource,
        byModel,
        fallback: undefined,
      };
    },
  };
}

/**
 * The usage, with the fallback when the logs have no token counts at all. Only then are the tool
 * outputs read (a second scan, of every output): logs with token counts never pay for it.
 */
export async function withFallback(context: ReportContext, usage: TokenUsage): Promise<TokenUsage> {
  if (usage.rows > 0) return usage;
  const [fallback] = await ask([fallbackQuestion(context)], context.run);
  return { ...usage, fallback };
}

function dollars(cost: number | null): string | null {
  return cost === null ? null : billDollars(cost);
}

/** A breakdown's columns: its key, the tokens, their cost where shown, the rows. */
function columnsOf(key: string, withCost: boolean): string[] {
  return withCost ? [key, 'tokens', 'cost_usd', 'rows'] : [key, 'tokens', 'rows'];
}

const dayOf = (row: Row | undefined): JsonValue => (row ? { day: row.day ?? null, tokens: row.tokens ?? null } : null);

export function tokenUsageJson(usage: TokenUsage): JsonValue {
  return {
    rows: usage.rows,
    days: usage.days,
    total_tokens: usage.total,
    ...(usage.cost === undefined ? {} : { total_cost_usd: usage.cost }),
    average_per_day: usage.averagePerDay,
    min_day: dayOf(usage.minDay),
    max_day: dayOf(usage.maxDay),
    top_days: usage.topDays,
    by_source: usage.bySource,
    by_model: usage.byModel,
    fallback: usage.fallback
      ? { label: FALLBACK_LABEL, total_tokens: usage.fallback.total, tool_outputs: usage.fallback.outputs, by_day: usage.fallback.byDay }
      : null,
  };
}

export function tokenUsageBlocks(usage: TokenUsage): Block[] {
  const withCost = usage.cost !== undefined;
  const day = (row: Row | undefined): JsonValue => (row ? `${String(row.day)} (${String(row.tokens)})` : null);
  if (usage.rows === 0 && usage.fallback) {
    return [
      { kind: 'heading', text: 'Token usage (estimated)' },
      { kind: 'note', text: FALLBACK_LABEL },
      {
        kind: 'facts',
        facts: [
          ['tool outputs', usage.fallback.outputs],
          ['total tokens', usage.fallback.total],
        ],
      },
      { kind: 'table', rows: usage.fallback.byDay, columns: ['day', 'tokens', 'outputs'] },
    ];
  }
  if (usage.rows === 0)
    return [
      { kind: 'heading', text: 'Token usage' },
      { kind: 'note', text: '(no results)' },
    ];
  return [
    { kind: 'heading', text: 'Token usage' },
    {
      kind: 'facts',
      facts: [
        ['token rows', usage.rows],
        ['days', usage.days],
        ['total tokens', usage.total],
        ...(usage.cost === undefined ? [] : [['total cost (USD)', dollars(usage.cost)] as [string, JsonValue]]),
        ['average per day', usage.averagePerDay],
        ['smallest day', day(usage.minDay)],
        ['largest day', day(usage.maxDay)],
      ],
    },
    ...(usage.topDays.length > 0
      ? [{ kind: 'heading', text: 'Top days' } as Block, { kind: 'table', rows: usage.topDays, columns: columnsOf('day', withCost) } as Block]
      : []),
    { kind: 'heading', text: 'By source' },
    { kind: 'table', rows: usage.bySource, columns: columnsOf('source', withCost) },
    { kind: 'heading', text: 'By model' },
    { kind: 'table', rows: usage.byModel, columns: columnsOf('model', withCost) },
  ];
}

export const tokenUsage: Report<Values<typeof TOKEN_USAGE_FLAGS>> = (context) => {
  const format = context.format(['table', 'markdown', 'json'], 'table');
  const top = countOption(context.values.top, 'top', 10);
  return async () => {
    const [found] = await ask([tokenUsageQuestion(context, top)], context.run);
    const usage = await withFallback(context, found);
    if (format === 'json') return `${JSON.stringify(tokenUsageJson(usage), null, 2)}\n`;
    return renderDocument(tokenUsageBlocks(usage), format, context.options);
  };
};
