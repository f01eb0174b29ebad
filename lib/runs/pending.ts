/**
 * Token usage that the Claude Code SessionEnd hook keeps until the run it belongs to is
 * recorded: one file per session, `.token-usage-<session>.json`, in the store's folder. A run
 * takes them under the store's lock, and they are removed only once that run is stored. What
 * runs have taken is kept per session in `.token-usage-taken.json`,
 * so a session that ends again (resumed: same id, same transcript, now longer) keeps only
 * what is new. Every file here is written atomically.
 */
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, errorReason } from '../base/errors.js';
import { isJsonObject } from '../jsonl/json.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import type { MetricRun } from './schema.js';

const PREFIX = '.token-usage-';
const TAKEN = '.token-usage-taken.json';
/** A session id safe as part of a file name (Claude's are UUIDs). */
export const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface PendingUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  requests: number;
}

const FIELDS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'requests'] as const;

export const NO_USAGE: PendingUsage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, requests: 0 };

function isUsage(value: unknown): value is PendingUsage {
  return isJsonObject(value) && FIELDS.every((f) => Number.isInteger(value[f]) && (value[f] as number) >= 0);
}

function combine(a: PendingUsage, b: PendingUsage, sign: 1 | -1): PendingUsage {
  const out = { ...NO_USAGE };
  for (const f of FIELDS) out[f] = Math.max(0, a[f] + sign * b[f]);
  return out;
}

export function pendingPath(store: string, sessionId: string): string {
  return join(dirname(store), `${PREFIX}${sessionId}.json`);
}

/** What runs have taken of each session so far; a ledger that does not parse is an error, never overwritten. */
export function readTaken(store: string): Record<string, PendingUsage> {
  const path = join(dirname(store), TAKEN);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new InputError(`cannot read ${path}: ${errorReason(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isJsonObject(value) || !isJsonObject(value.sessions)) {
    throw new InputError(`${path} is damaged; it was left untouched. Remove it (the tokens of sessions that end again may then count twice)`);
  }
  const taken: Record<string, PendingUsage> = {};
  for (const [id, usage] of Object.entries(value.sessions)) if (isUsage(usage)) taken[id] = usage;
  return taken;
}

/**
 * Keeps what a session used that no run has taken yet (the hook calls it under the store's lock);
 * with nothing new, an older pending file of the session is removed. Returns the file, if one.
 */
export function keepPending(store: string, sessionId: string, used: PendingUsage): { path: string | undefined; usage: PendingUsage } {
  const usage = combine(used, readTaken(store)[sessionId] ?? NO_USAGE, -1);
  const path = pendingPath(store, sessionId);
  if (FIELDS.every((f) => usage[f] === 0)) {
    removePending([path], () => undefined);
    return { path: undefined, usage };
  }
  try {
    writeFileAtomically(path, `${JSON.stringify({ version: 1, session_id: sessionId, ...usage })}\n`, 0o600);
  } catch (error) {
    throw new InputError(`cannot keep the session's token usage in ${path}: ${errorReason(error)}`);
  }
  return { path, usage };
}

export interface Pending {
  files: string[];
  total: PendingUsage;
  bySession: Record<string, PendingUsage>;
  /** The ledger as it was read with the files: a damaged one stops the run before the store is written. */
  taken: Record<string, PendingUsage>;
}

/** Every pending file beside the store, summed; a file that does not parse is left alone and named. */
export function readPending(store: string, warn: (message: string) => void): Pending {
  const pending: Pending = { files: [], total: { ...NO_USAGE }, bySession: {}, taken: {} };
  let names: string[];
  try {
    names = readdirSync(dirname(store));
  } catch {
    return pending;
  }
  for (const name of names.sort()) {
    if (!name.startsWith(PREFIX) || !name.endsWith('.json') || name === TAKEN) continue;
    const path = join(dirname(store), name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      warn(`left ${path} alone: it cannot be read as pending token usage (${errorReason(error)})`);
      continue;
    }
    if (!isUsage(value) || !isJsonObject(value) || typeof value.session_id !== 'string') {
      warn(`left ${path} alone: it is not pending token usage`);
      continue;
    }
    pending.total = combine(pending.total, value, 1);
    pending.bySession[value.session_id] = combine(pending.bySession[value.session_id] ?? NO_USAGE, value, 1);
    pending.files.push(path);
  }
  if (pending.files.length > 0) pending.taken = readTaken(store);
  return pending;
}

/** After the run that took them is stored (under the store's lock): the ledger grows, the files go. */
export function takePending(store: string, pending: Pending, warn: (message: string) => void): void {
  const taken = { ...pending.taken };
  for (const [id, usage] of Object.entries(pending.bySession)) taken[id] = combine(taken[id] ?? NO_USAGE, usage, 1);
  const path = join(dirname(store), TAKEN);
  try {
    writeFileAtomically(path, `${JSON.stringify({ version: 1, sessions: taken })}\n`, 0o600);
  } catch (error) {
    // The run is stored; keeping the files would count their tokens again, so they still go.
    warn(`could not update ${path} (${errorReason(error)}); if these sessions end again, their earlier tokens count again`);
  }
  removePending(pending.files, warn);
}

/** The run with the pending usage in the token fields its flags left unset (tokensUsed = input + output, cacheTokens = creation + read). */
export function withPendingUsage(run: MetricRun, usage: PendingUsage, given: ReadonlySet<string>): MetricRun {
  const metrics = { ...run.metrics };
  if (!given.has('tokens-used')) metrics.tokensUsed = usage.input_tokens + usage.output_tokens;
  if (!given.has('input-tokens')) metrics.inputTokens = usage.input_tokens;
  if (!given.has('output-tokens')) metrics.outputTokens = usage.output_tokens;
  if (!given.has('cache-tokens')) metrics.cacheTokens = usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
  return { ...run, metrics };
}

export function removePending(files: string[], warn: (message: string) => void): void {
  for (const file of files) {
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        warn(`could not remove ${file} (${errorReason(error)}); remove it, or its tokens count again with the next run`);
    }
  }
}
