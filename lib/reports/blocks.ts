/**
 * `seq blocks`: the windows that Claude's usage limits count (another agent's requests with
 * --source). A block starts at a request's hour (its time floored to the hour, in UTC) and lasts
 * five hours; the first request after its end, or after a pause of more than five hours, starts
 * the next. The rows are the stages' own: the usage rows in time order, each labelled with its
 * block, grouped by it.
 */
import { HOUR_MS } from '../time/units.js';
import { now } from '../time/now.js';
import type { Values } from '../base/command.js';
import { withCost } from '../datasets/costs.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import { FORMATS, type Metric, type Predicate } from '../spec/types.js';
import { timestampMs } from '../spec/time.js';
import { formatRows } from '../stages/format.js';
import { formatShorthand } from '../stages/format-options.js';
import { Grouping } from '../stages/group.js';
import { scanBranches, sortKeys, type Branch } from './engine.js';
import { decimalOption, type Report } from './run.js';
import { counted } from '../base/plural.js';
import type { BLOCKS_FLAGS } from './flags.js';

/** How long a block lasts, unless --session-length says. */
export const BLOCK_MS = 5 * HOUR_MS;
const MINUTE_MS = 60_000;

const TOKENS = ['input_tokens', 'output_tokens', 'cache_write_tokens', 'cache_read_tokens', 'total_tokens'] as const;

const METRICS: Metric[] = [
  { op: 'min', field: 'timestamp', as: 'first_request' },
  { op: 'max', field: 'timestamp', as: 'last_request' },
  { op: 'count', field: undefined, as: 'requests' },
  ...TOKENS.map((field): Metric => ({ op: 'sum', field, as: field.replace('_tokens', '') })),
  // Null where a request had no price: a block's cost leaves nothing out.
  { op: 'sum_strict', field: 'cost_usd', as: 'cost_usd' },
];

/** The columns of a block, in order: the table's and the JSON's. */
export const BLOCK_COLUMNS = [
  'block_start',
  'block_end',
  'first_request',
  'last_request',
  'requests',
  'input',
  'output',
  'cache_write',
  'cache_read',
  'total',
  'cost_usd',
  'models',
  'active',
  'minutes_left',
  'tokens_per_minute',
  'cost_per_hour',
  'projected_total',
  'projected_cost_usd',
];

const TABLE_COLUMNS = [
  'block_start',
  'last_request',
  'requests',
  'total',
  'cost_usd',
  'models',
  'minutes_left',
  'tokens_per_minute',
  'cost_per_hour',
  'projected_total',
];

/** Each row's block: the start of the block it falls in, as ISO text (rows in time order). */
export function labelBlocks(rows: Row[], lengthMs: number): Row[] {
  let start: number | undefined;
  let last = 0;
  return rows.map((row) => {
    const at = timestampMs(row.timestamp) as number;
    if (start === undefined || at - start > lengthMs || at - last > lengthMs) start = Math.floor(at / HOUR_MS) * HOUR_MS;
    last = at;
    return { ...row, block_start: new Date(start).toISOString() };
  });
}

/** A block's row: its sums, its models, and where it is running now, its pace and where that leads. */
function blockRow(sums: Row, models: string[], lengthMs: number, at: number): Row {
  const start = timestampMs(sums.block_start) as number;
  const first = timestampMs(sums.first_request) as number;
  const last = timestampMs(sums.last_request) as number;
  const end = start + lengthMs;
  const active = at - last < lengthMs && at < end;
  const row: Record<string, JsonValue> = { ...sums, block_end: new Date(end).toISOString(), models: models.join(','), active };
  const minutes = (last - first) / MINUTE_MS;
  const total = Number(sums.total ?? 0);
  const cost = typeof sums.cost_usd === 'number' ? sums.cost_usd : null;
  const left = active ? Math.round((end - at) / MINUTE_MS) : null;
  const paced = active && minutes > 0;
  row.minutes_left = left;
  row.tokens_per_minute = paced ? total / minutes : null;
  row.cost_per_hour = paced && cost !== null ? (cost / minutes) * 60 : null;
  row.projected_total = paced && left !== null ? Math.round(total + (total / minutes) * left) : null;
  // To the cent, as ccusage projects it.
  row.projected_cost_usd = paced && left !== null && cost !== null ? Math.round((cost + (cost / minutes) * left) * 100) / 100 : null;
  return Object.fromEntries(BLOCK_COLUMNS.map((column) => [column, row[column] ?? null]));
}

/**
 * The blocks of usage rows in time order (timestamp, model, the tokens, cost_usd), as they stand
 * at `at`: the requests made by then, labelled with their block and grouped by it.
 */
export function blockRows(rows: Row[], lengthMs: number, at: number): Row[] {
  const labelled = labelBlocks(
    rows.filter((row) => (timestampMs(row.timestamp) as number) <= at),
    lengthMs,
  );
  const sums = new Grouping({ groupBy: ['block_start'], metrics: METRICS });
  const models = new Grouping({ groupBy: ['block_start', 'model'], metrics: [] });
  for (const row of labelled) {
    sums.add(row);
    if (row.model !== null && row.model !== undefined) models.add(row);
  }
  const modelsOf = new Map<string, string[]>();
  for (const row of models.rows()) modelsOf.set(String(row.block_start), [...(modelsOf.get(String(row.block_start)) ?? []), String(row.model)]);
  return [...sums.rows()].map((row) => blockRow(row, modelsOf.get(String(row.block_start)) ?? [], lengthMs, at));
}

/** What blockRows reads of each usage row. */
export const BLOCK_INPUT = ['timestamp', 'model', ...TOKENS, 'cost_usd'];

/** A block's columns of costs: cost_usd, cost_per_hour, projected_cost_usd. */
const isCostColumn = (column: string): boolean => column.includes('cost');

/** Blocks without their costs (--no-cost: they would be columns of nothing). */
export function withoutCosts(rows: Row[]): Row[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !isCostColumn(column))));
}

/** A row with a time that reads: its day is null exactly where its timestamp is missing or does not read. */
export const HAS_TIME: Predicate = { field: 'day', op: 'exists', value: undefined, caseInsensitive: false };

/**
 * Whose requests blocks are made of unless --source names agents: Claude's limits are the ones
 * blocks count; every agent's limits are its own, and a block of two agents' requests would be a
 * window of neither.
 */
export const BLOCK_SOURCE = 'claude';

/** Where a scan keeps the requests blocks are made of: Claude's, unless its source (--source) names agents. */
export function blockRequests(source: string | undefined): Predicate[] {
  return source === undefined || source === 'auto' ? [HAS_TIME, { field: 'source', op: 'eq', value: BLOCK_SOURCE, caseInsensitive: false }] : [HAS_TIME];
}

/** The requests whose timestamp does not read, counted, with the first of them: no block or day has them. */
export const UNREAD_TIMES: Branch = {
  where: [
    { field: 'timestamp', op: 'exists', value: undefined, caseInsensitive: false },
    { field: 'day', op: 'not_exists', value: undefined, caseInsensitive: false },
  ],
  group: {
    groupBy: [],
    metrics: [
      { op: 'count', field: undefined, as: 'requests' },
      { op: 'min', field: 'timestamp', as: 'first' },
    ],
  },
};

/** Says how many requests UNREAD_TIMES found, where it found any. */
export function sayUnreadTimes(found: Row | undefined, problems: InputProblems): void {
  const left = Number(found?.requests ?? 0);
  if (left > 0) problems.notice(`${counted(left, 'request')} left out: a time that does not read (first: ${JSON.stringify(found?.first)})`);
}

export const blocks: Report<Values<typeof BLOCKS_FLAGS>> = (context) => {
  const format = formatShorthand(context.values) === 'json' ? 'json' : context.format(FORMATS, 'table');
  const hours = decimalOption(context.values['session-length'], 'session-length', BLOCK_MS / HOUR_MS, 'a number of hours above 0 (5, 2.5)', (h) => h > 0);
  const lengthMs = hours * HOUR_MS;
  const at = now();
  // Where a block begins depends on the requests before it: the whole history is read, and
  // --since and --until choose the blocks that run in the window, whole.
  const windowed = context.scan({ dataset: 'usage', source: BLOCK_SOURCE });
  const { sinceMs, untilMs } = windowed.window;
  const scan = { ...windowed, window: { sinceMs: undefined, untilMs: undefined }, noticeWindow: windowed.window };
  // A block holds a request at its very end (5 h after its start): it runs until then, inclusive.
  const chosen = (row: Row): boolean =>
    (sinceMs === undefined || (timestampMs(row.block_end) as number) >= sinceMs) &&
    (untilMs === undefined || (timestampMs(row.block_start) as number) < untilMs);
  return async () => {
    const [rows = [], unread = []] = await scanBranches(
      scan,
      [],
      [{ where: [HAS_TIME], select: BLOCK_INPUT, sort: sortKeys('timestamp') }, UNREAD_TIMES],
      context.run,
    );
    sayUnreadTimes(unread[0], context.run.problems);
    // Logs of other agents alone give no block: say why, so that none seems lost.
    if (rows.length === 0 && context.values.source === undefined)
      context.run.problems.notice("blocks are made of Claude Code's requests, and there are none here; --source names another agent (--source codex)");
    let out = blockRows(rows, lengthMs, at).filter(chosen);
    if (context.values.active === true) out = out.filter((row) => row.active === true);
    // --no-cost: no columns of costs, which would be columns of nothing.
    const costs = withCost(scan.params);
    if (!costs) out = withoutCosts(out);
    const columns = (format === 'table' || format === 'markdown' || format === 'chart' ? TABLE_COLUMNS : BLOCK_COLUMNS).filter(
      (c) => costs || !isCostColumn(c),
    );
    return formatRows(out, format, format === 'chart' ? ['block_start', 'total'] : columns, context.options);
  };
};
