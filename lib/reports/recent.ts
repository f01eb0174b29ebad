/**
 * What is happening now: today's usage and the 5-hour block running now, read from the logs
 * written since the running block's chain of requests began (the status line and seq watch).
 */
import type { Row } from '../jsonl/json.js';
import type { Metric, Predicate, ScanSpec } from '../spec/types.js';
import { resolveZone, wallTimeToUtc, zoneOffsetMs } from '../time/zones.js';
import { BLOCK_INPUT, blockRows, HAS_TIME, HOUR_MS } from './blocks.js';
import { ask, sortKeys, type Question, type ScanRun } from './engine.js';

const BLOCK_MS = 5 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;

const TODAY: Metric[] = [
  { op: 'sum', field: 'total_tokens', as: 'total_tokens' },
  { op: 'sum', field: 'cost_usd', as: 'cost_usd' },
  { op: 'count', field: undefined, as: 'requests' },
];

export interface Recent {
  /** Today's (local) usage up to now: total_tokens, cost_usd, requests. */
  today: Row;
  /** The block running now, as seq blocks shows it; undefined when none is. */
  block: Row | undefined;
}

/** The start of today in the local time zone, as an instant. */
export function startOfToday(at: number): number {
  const zone = resolveZone('local') ?? 'UTC';
  const wall = at + zoneOffsetMs(at, zone);
  return wallTimeToUtc(wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS), zone);
}

/**
 * Today's usage and the running block from `scan` (the logs written since `since`); `exact` when
 * the first request read has no request within five hours before it, so its block starts there.
 */
function recentQuestion(scan: ScanSpec, since: number, at: number): Question<Recent & { exact: boolean }> {
  const today: Predicate[] = [
    { field: 'timestamp', op: 'gte', value: new Date(startOfToday(at)).toISOString(), caseInsensitive: false },
    { field: 'timestamp', op: 'lte', value: new Date(at).toISOString(), caseInsensitive: false },
  ];
  return {
    scan,
    where: [HAS_TIME],
    branches: [
      { where: today, group: { groupBy: [], metrics: TODAY } },
      { select: BLOCK_INPUT, sort: sortKeys('timestamp') },
    ],
    answer([totals = [], rows = []]) {
      const first = rows[0] === undefined ? undefined : Date.parse(String(rows[0].timestamp));
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
    const since = Math.min(startOfToday(at), at - lookback);
    const [recent, extra] = await ask([recentQuestion(scanOf(new Date(since).toISOString()), since, at), also], run);
    if (recent.exact || lookback >= 14 * DAY_MS) return { recent: { today: recent.today, block: recent.block }, also: extra as T | undefined };
    lookback *= 4;
  }
}
