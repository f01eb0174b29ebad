/**
 * What is happening now: today's usage and the 5-hour block running now, read from the logs
 * written since the running block's chain of requests began (the status line and seq watch).
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import { parseTime } from '../time/parse.js';
import { instantMs } from '../time/iso.js';
import type { Metric, Predicate, ScanSpec } from '../spec/types.js';
import { bucketsAt } from '../time/buckets.js';
import { resolveZone } from '../time/zones.js';
import { BLOCK_INPUT, BLOCK_MS, blockRequests, blockRows, HAS_TIME } from './blocks.js';
import { DAY_MS } from '../time/units.js';
import { ask, sortKeys, type Question, type ScanRun } from './engine.js';

const TODAY: Metric[] = [
  { op: 'sum', field: 'total_tokens', as: 'total_tokens' },
  { op: 'sum_strict', field: 'cost_usd', as: 'cost_usd' },
  { op: 'count', field: undefined, as: 'requests' },
];

export interface Recent {
  /** Today's (local) usage up to now: total_tokens, cost_usd, requests. */
  today: Row;
  /** The block running now, as seq blocks shows it; undefined when none is. */
  block: Row | undefined;
}

/** Today in the local time zone: its day, and its start as an instant (as --since reads a date). */
function today(at: number): { day: string; startMs: number } {
  const zone = resolveZone('local') ?? 'UTC';
  const { day } = bucketsAt(at, zone);
  return { day, startMs: parseTime(day, zone)?.startMs ?? at };
}

/** Dollars to the cent, as the status line and seq watch show them; `$?` for a cost with a request of no price (null). */
export function dollarsToCent(value: JsonValue | undefined): string {
  if (value === null) return '$?';
  return `$${(typeof value === 'number' ? value : 0).toFixed(2)}`;
}

/** The time a block has left: `2h 5m`, `40m`. */
export function timeLeft(minutes: JsonValue | undefined): string {
  const m = typeof minutes === 'number' ? minutes : 0;
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}m`;
}

/**
 * Today's usage and the running block from `scan` (the logs written since `since`); `exact` when
 * the first request read has no request within five hours before it, so its block starts there.
 */
function recentQuestion(scan: ScanSpec, since: number, at: number): Question<Recent & { exact: boolean }> {
  const todays: Predicate[] = [
    { field: 'day', op: 'eq', value: today(at).day, caseInsensitive: false },
    { field: 'timestamp', op: 'lte', value: new Date(at).toISOString(), caseInsensitive: false },
  ];
  return {
    scan,
    where: [HAS_TIME],
    branches: [
      { where: todays, group: { groupBy: [], metrics: TODAY } },
      { where: blockRequests(scan.source), select: BLOCK_INPUT, sort: sortKeys('timestamp') },
    ],
    answer([totals = [], rows = []]) {
      const first = rows[0] === undefined ? undefined : instantMs(String(rows[0].timestamp));
      const block = blockRows(rows, BLOCK_MS, at).find((row) => row.active === true);
      return { today: totals[0] ?? {}, block, exact: first === undefined || first - since > BLOCK_MS };
    },
  };
}

/**
 * Today's usage and the running block at `at`; `scanOf(since)` reads the logs written since
 * then. `also` is asked in the same scan of the logs.
 */
export async function recentFigures<T>(
  scanOf: (since: string) => ScanSpec,
  at: number,
  run: ScanRun,
  also?: Question<T>,
): Promise<{ recent: Recent; also: T | undefined }> {
  // A running block began at most five hours ago, after a pause of five hours: look back ten,
  // and further only while requests go on without such a pause.
  let lookback = 2 * BLOCK_MS;
  for (;;) {
    const since = Math.min(today(at).startMs, at - lookback);
    const [recent, extra] = await ask([recentQuestion(scanOf(new Date(since).toISOString()), since, at), also], run);
    if (recent.exact || lookback >= 14 * DAY_MS) return { recent: { today: recent.today, block: recent.block }, also: extra as T | undefined };
    lookback *= 4;
  }
}
