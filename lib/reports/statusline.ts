/**
 * `seq statusline`: one short line for Claude Code's status line, from the JSON it passes on
 * stdin: the model, this session's cost, today's cost, and the block running now
 * with its cost, time left and burn rate. It runs on every prompt, so it reads only what it
 * needs: the session's own files, and the logs written since the running block's chain began.
 */
import { CATALOG } from '../datasets/registry.js';
import { isJsonObject, type JsonValue, type Row } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import { scanSpecOf } from '../spec/flags.js';
import { readSpec } from '../spec/validate.js';
import type { Predicate } from '../spec/types.js';
import { resolveZone, wallTimeToUtc, zoneOffsetMs } from '../time/zones.js';
import { BLOCK_INPUT, blockRows, HAS_TIME, HOUR_MS } from './blocks.js';
import { ask, sortKeys, type Question } from './engine.js';
import { sessionFiles } from './session-end-hook.js';

export interface StatusInput {
  sessionId: string | undefined;
  transcript: string | undefined;
  model: string | undefined;
}

/** What Claude Code says of the session; anything missing is left out of the line, never an error. */
export function readStatusInput(text: string): StatusInput {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    value = {};
  }
  const input = isJsonObject(value) ? value : {};
  const text_ = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const model = isJsonObject(input.model) ? (text_(input.model.display_name) ?? text_(input.model.id)) : undefined;
  return { sessionId: text_(input.session_id), transcript: text_(input.transcript_path), model };
}

const BLOCK_MS = 5 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;
const COST = [{ op: 'sum' as const, field: 'cost_usd', as: 'cost' }];

/** Dollars as a status line shows them: to the cent. */
export function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

function minutesText(minutes: number): string {
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}

/** The start of today in the local time zone, as an instant. */
function startOfToday(at: number): number {
  const zone = resolveZone('local') ?? 'UTC';
  const wall = at + zoneOffsetMs(at, zone);
  return wallTimeToUtc(wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS), zone);
}

interface Figures {
  session: number | undefined;
  today: number;
  block: Row | undefined;
}

/** Claude Code's usage: the status line is Claude Code's, and so are the limits its blocks count. */
function usageScan(roots: string[], since: string | undefined, where: Predicate[] = []) {
  const spec = readSpec({ dataset: 'usage', source: 'claude', ...(since === undefined ? {} : { since }), tz: 'local' }, CATALOG);
  return { scan: scanSpecOf(spec, {}, roots, CATALOG), where };
}

/**
 * Today's cost and the running block, from the logs written since `since`; `exact` when the
 * first request then read has no request within five hours before it, so its block starts there.
 */
function recentQuestion(since: number, todayStart: number, at: number): Question<{ today: number; block: Row | undefined; exact: boolean }> {
  const { scan } = usageScan([], new Date(since).toISOString());
  const today: Predicate[] = [
    { field: 'timestamp', op: 'gte', value: new Date(todayStart).toISOString(), caseInsensitive: false },
    { field: 'timestamp', op: 'lte', value: new Date(at).toISOString(), caseInsensitive: false },
  ];
  return {
    scan,
    where: [HAS_TIME],
    branches: [
      { where: today, group: { groupBy: [], metrics: COST } },
      { select: BLOCK_INPUT, sort: sortKeys('timestamp') },
    ],
    answer([totals = [], rows = []]) {
      const first = rows[0] === undefined ? undefined : Date.parse(String(rows[0].timestamp));
      const block = blockRows(rows, BLOCK_MS, at).find((row) => row.active === true);
      return { today: Number(totals[0]?.cost ?? 0), block, exact: first === undefined || first - since > BLOCK_MS };
    },
  };
}

function sessionQuestion(input: StatusInput): Question<number> | undefined {
  if (input.transcript === undefined) return undefined;
  const where: Predicate[] = input.sessionId === undefined ? [] : [{ field: 'session_id', op: 'eq', value: input.sessionId, caseInsensitive: false }];
  const { scan } = usageScan(sessionFiles(input.transcript), undefined);
  return { scan, where, branches: [{ group: { groupBy: [], metrics: COST } }], answer: ([totals = []]) => Number(totals[0]?.cost ?? 0) };
}

export async function statusFigures(input: StatusInput, at: number, problems: InputProblems): Promise<Figures> {
  const run = { program: 'seq', problems, progress: false, cache: true };
  const todayStart = startOfToday(at);
  // A running block began at most five hours ago, after a pause of five hours: look back ten,
  // and further only while requests go on without such a pause.
  let lookback = 2 * BLOCK_MS;
  for (;;) {
    const since = Math.min(todayStart, at - lookback);
    const [recent, session] = await ask([recentQuestion(since, todayStart, at), sessionQuestion(input)], run);
    if (recent.exact || lookback >= 14 * 24 * HOUR_MS) return { session, today: recent.today, block: recent.block };
    lookback *= 4;
  }
}

/** The line: `Opus 4.1 | $0.23 session | $1.23 today | $0.45 block, 2h 45m left, $0.12/h`. */
export function statusText(input: StatusInput, figures: Figures): string {
  const parts: string[] = [];
  if (input.model !== undefined) parts.push(input.model);
  if (figures.session !== undefined) parts.push(`${dollars(figures.session)} session`);
  parts.push(`${dollars(figures.today)} today`);
  const block = figures.block;
  if (block === undefined) parts.push('no block running');
  else {
    const rate = typeof block.cost_per_hour === 'number' ? `, ${dollars(block.cost_per_hour)}/h` : '';
    parts.push(`${dollars(Number(block.cost_usd ?? 0))} block, ${minutesText(Number(block.minutes_left ?? 0))} left${rate}`);
  }
  return parts.join(' | ');
}
