/**
 * `seq statusline`: one short line for Claude Code's status line, from the JSON it passes on
 * stdin: the model, this session's cost, today's cost, and the block running now
 * with its cost, time left and burn rate. It runs on every prompt, so it reads only what it
 * needs: the session's own files, and the logs written since the running block's chain began.
 */
import { CATALOG } from '../datasets/registry.js';
import { isJsonObject, type JsonValue, type Row } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import { readSpec } from '../spec/validate.js';
import type { Predicate, ScanSpec } from '../spec/types.js';
import type { Question } from './engine.js';
import { defaultRoots } from '../sources/session-files.js';
import { dollarsToCent, recentFigures, timeLeft } from './recent.js';
import { recentFiles } from './recent-files.js';
import { sessionFiles } from '../sources/claude/session-files.js';
import { scanSpecOf } from '../spec/from-flags.js';

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

const COST = [{ op: 'sum_strict' as const, field: 'cost_usd', as: 'cost' }];

/** Costs in US dollars; null where a request had no price. */
interface Figures {
  session: number | null | undefined;
  today: number | null;
  block: Row | undefined;
}

/** Claude Code's usage: the status line is Claude Code's, and so are the limits its blocks count. */
function usageScan(roots: string[], since: string | undefined): ScanSpec {
  const spec = readSpec({ dataset: 'usage', source: 'claude', ...(since === undefined ? {} : { since }), tz: 'local' }, CATALOG);
  return scanSpecOf(spec, {}, roots, CATALOG);
}

/** A summed cost: null where a request had no price (sum_strict), 0 where there were none. */
function costOf(value: JsonValue | undefined): number | null {
  return value === null ? null : Number(value ?? 0);
}

/** The session's cost up to `at`: with SEQ_NOW in the past, the line is of one moment, as today's and the block's are. */
function sessionQuestion(input: StatusInput, at: number): Question<number | null> | undefined {
  if (input.transcript === undefined) return undefined;
  const where: Predicate[] = [{ field: 'timestamp', op: 'lte', value: new Date(at).toISOString(), caseInsensitive: false }];
  if (input.sessionId !== undefined) where.push({ field: 'session_id', op: 'eq', value: input.sessionId, caseInsensitive: false });
  return {
    scan: usageScan(sessionFiles(input.transcript), undefined),
    where,
    branches: [{ group: { groupBy: [], metrics: COST } }],
    answer: ([totals = []]) => costOf(totals[0]?.cost),
  };
}

export async function statusFigures(input: StatusInput, at: number, problems: InputProblems): Promise<Figures> {
  // Its window moves with the clock: no scan of it comes again, and none is kept as a table.
  const run = { program: 'seq', problems, progress: false, cache: true, tables: false };
  // The files written lately hold every row since then; an older `since` (a long chain of
  // requests, or SEQ_NOW in the past) walks every folder.
  const lately = recentFiles(defaultRoots('claude'));
  // This session's transcript counts at once, even when it began after the last walk.
  const files = [...new Set([...lately.files, ...(input.transcript === undefined ? [] : [input.transcript])])];
  const scanOf = (since: string) => usageScan(Date.parse(since) >= lately.since && files.length > 0 ? files : [], since);
  const { recent, also } = await recentFigures(scanOf, at, run, sessionQuestion(input, at));
  return { session: also, today: costOf(recent.today.cost_usd), block: recent.block };
}

/** The line: `Opus 4.1 | $0.23 session | $1.23 today | $0.45 block, 2h 45m left, $0.12/h`. */
export function statusText(input: StatusInput, figures: Figures): string {
  const parts: string[] = [];
  if (input.model !== undefined) parts.push(input.model);
  if (figures.session !== undefined) parts.push(`${dollarsToCent(figures.session)} session`);
  parts.push(`${dollarsToCent(figures.today)} today`);
  const block = figures.block;
  if (block === undefined) parts.push('no block running');
  else {
    const rate = typeof block.cost_per_hour === 'number' ? `, ${dollarsToCent(block.cost_per_hour)}/h` : '';
    parts.push(`${dollarsToCent(block.cost_usd)} block, ${timeLeft(block.minutes_left)} left${rate}`);
  }
  return parts.join(' | ');
}
