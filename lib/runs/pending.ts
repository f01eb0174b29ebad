/**
 * Token usage that the Claude Code SessionEnd hook keeps until the run it belongs to is
 * recorded: one file per session, `.token-usage-<session>.json`, in the store's folder (the
 * seed's name and place). Written atomically; read and removed under the store's lock, and
 * removed only after the run that took them is safely stored.
 */
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../cli/errors.js';
import { isJsonObject } from '../jsonl/json.js';
import { errorReason } from '../sources/files.js';
import { writeFileAtomically } from './atomic-write.js';
import type { MetricRun } from './schema.js';

const PREFIX = '.token-usage-';
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

export function pendingPath(store: string, sessionId: string): string {
  return join(dirname(store), `${PREFIX}${sessionId}.json`);
}

/** Keeps a session's usage (replacing what an earlier end of the same session kept: a transcript only grows). */
export function writePending(store: string, sessionId: string, usage: PendingUsage): string {
  const path = pendingPath(store, sessionId);
  try {
    writeFileAtomically(path, JSON.stringify({ version: 1, session_id: sessionId, ...usage }) + '\n', 0o600);
  } catch (error) {
    throw new InputError(`cannot keep the session's token usage in ${path}: ${errorReason(error)}`);
  }
  return path;
}

/** Every pending file beside the store, summed; a file that does not parse is left alone and named. */
export function readPending(store: string, warn: (message: string) => void): { files: string[]; total: PendingUsage } {
  const total: PendingUsage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, requests: 0 };
  const files: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(store));
  } catch {
    return { files, total };
  }
  for (const name of names.sort()) {
    if (!name.startsWith(PREFIX) || !name.endsWith('.json')) continue;
    const path = join(dirname(store), name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      warn(`left ${path} alone: it cannot be read as pending token usage (${errorReason(error)})`);
      continue;
    }
    if (!isJsonObject(value) || !FIELDS.every((f) => Number.isInteger(value[f]) && (value[f] as number) >= 0)) {
      warn(`left ${path} alone: it is not pending token usage`);
      continue;
    }
    for (const f of FIELDS) total[f] += value[f] as number;
    files.push(path);
  }
  return { files, total };
}

/** The run with the pending usage in the token fields its flags left unset (seed: tokensUsed = input + output, cacheTokens = creation + read). */
export function withPendingUsage(run: MetricRun, usage: PendingUsage, given: ReadonlySet<string>): MetricRun {
  const metrics = { ...run.metrics };
  if (!given.has('tokensUsed')) metrics.tokensUsed = usage.input_tokens + usage.output_tokens;
  if (!given.has('inputTokens')) metrics.inputTokens = usage.input_tokens;
  if (!given.has('outputTokens')) metrics.outputTokens = usage.output_tokens;
  if (!given.has('cacheTokens')) metrics.cacheTokens = usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
  return { ...run, metrics };
}

export function removePending(files: string[], warn: (message: string) => void): void {
  for (const file of files) {
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`could not remove ${file} (${errorReason(error)}); remove it, or its tokens count again with the next run`);
    }
  }
}
