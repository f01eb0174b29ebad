/**
 * The run store file: found, read, and extended so that nothing is lost. Writers take a lock
 * (a file created exclusively beside the store), read the newest store under it, write a
 * temporary file in the same folder, flush it, and rename it over the store. A store that
 * cannot be parsed is never overwritten.
 */
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, UsageError, errorReason } from '../base/errors.js';
import { shellQuote } from '../base/shell.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../jsonl/json.js';
import { invalidJson } from '../jsonl/json-errors.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { LockError, withLock } from '../storage/lock.js';
import { runObject, type MetricRun } from './schema.js';
import { makeFolder } from '../storage/folders.js';

export const DEFAULT_STORE = '.seq/metrics.json';
const SEQUANT_STORE = '.sequant/metrics.json';

/**
 * --store, else SEQ_STORE, else `.seq/metrics.json` in the current folder; an existing Sequant
 * store (`.sequant/metrics.json`) is used when there is no seq store yet, so it is extended.
 */
export function storePath(flag: string | undefined, cwd = process.cwd()): string {
  if (flag === '') throw new UsageError('--store needs a file name', 'e.g. --store .seq/metrics.json');
  if (flag !== undefined) return resolve(cwd, flag);
  const fromEnv = process.env.SEQ_STORE;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  const own = resolve(cwd, DEFAULT_STORE);
  const sequant = resolve(cwd, SEQUANT_STORE);
  return !existsSync(own) && existsSync(sequant) ? sequant : own;
}

/** A store that cannot be read: what is wrong, and how to recover where it can be repaired. */
export class StoreUnreadable extends InputError {
  /** What a reader of several stores says of this one before it reads the others. */
  readonly reason: string;

  constructor(path: string, problem: string, repairable = true) {
    const aside = `mv ${shellQuote(path)} ${shellQuote(`${path}.broken`)}`;
    super(
      repairable
        ? `the run store ${path} cannot be read (${problem}); it was left untouched. Repair it, or move it aside (${aside}) and a new store starts with the next run`
        : `${path} is ${problem}`,
    );
    this.reason = repairable ? `${problem}; repair it, or move it aside (${aside}) and seq-record starts a new store with the next run` : problem;
  }
}

const unreadable = (path: string, problem: string): StoreUnreadable => new StoreUnreadable(path, problem);

/** The store's content: existing runs are kept exactly as they are; only new runs are checked here. */
export interface StoreContent {
  document: JsonObject;
  runs: JsonValue[];
}

/**
 * A path that names something other than a file (a folder, a device such as /dev/null, a pipe):
 * nothing to repair or move aside, and never read (a device has no end) nor locked.
 */
function checkIsFile(path: string): void {
  let stat: Stats | undefined;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch {
    return; // said by the read
  }
  if (stat === undefined || stat.isFile()) return;
  const what = stat.isDirectory() ? 'a folder' : 'a device, a pipe or a socket';
  throw new StoreUnreadable(path, `${what}, not a run store: a run store is the JSON file seq-record writes (give its path)`, false);
}

/** Reads the store; a missing store is an empty one; a store that does not parse is an error. */
export function readStore(path: string): StoreContent {
  checkIsFile(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { document: { version: 1, runs: [] }, runs: [] };
    throw unreadable(path, errorReason(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unreadable(path, invalidJson(text));
  }
  if (!isJsonObject(parsed)) throw unreadable(path, 'it is not a JSON object');
  if (parsed.version !== 1) throw unreadable(path, `its version is ${JSON.stringify(parsed.version ?? null)}, and this seq reads version 1`);
  if (!Array.isArray(parsed.runs)) throw unreadable(path, '"runs" is not a list');
  return { document: parsed, runs: parsed.runs };
}

const LOCK_WAIT_MS = 30_000;

/** Holds the store's lock while `work` runs (waiting for another seq-record's turn to end). */
export function withStoreLock<T>(path: string, work: () => T): T {
  checkIsFile(path);
  try {
    return withLock(path, work, LOCK_WAIT_MS);
  } catch (error) {
    if (!(error instanceof LockError)) throw error;
    if (error.busy)
      throw new InputError(
        `the run store ${path} stayed locked by other seq-records longer than one waits (${LOCK_WAIT_MS / 1000} s for each, its lock: ${error.lock}); run this again once they are done (a lock whose holder is gone is taken over by itself)`,
      );
    throw new InputError(`cannot lock the run store ${path}: ${error.message}; its folder must be writable (or give --store a path in one that is)`);
  }
}

/** Writes the store atomically; a new store is private (0600), an old one keeps its mode. */
function writeStore(path: string, document: JsonObject): void {
  try {
    writeFileAtomically(path, `${JSON.stringify(document, null, 2)}\n`, 0o600);
  } catch (error) {
    throw new InputError(`cannot write the run store ${path}: ${errorReason(error)}; the store was left as it was`);
  }
}

export interface RecordResult {
  added: number;
  /** Runs whose id the store held before. */
  alreadyStored: number;
  /** Runs whose id came earlier in the same input: kept once. */
  repeated: number;
}

export interface AppendOptions {
  /**
   * Under the lock, just before writing: the runs to store (a run takes the pending token usage
   * here, so two recorders cannot both take it), and what to do once they are safely stored.
   */
  prepare?(runs: MetricRun[]): { runs: MetricRun[]; stored(): void };
}

/** Adds runs to the store under its lock; a run whose id is stored already changes nothing. */
export function appendRuns(path: string, given: MetricRun[], options: AppendOptions = {}): RecordResult & { runs: MetricRun[] } {
  try {
    makeFolder(dirname(path));
  } catch (error) {
    throw new InputError(`cannot create the folder of the run store ${path}: ${errorReason(error)}`);
  }
  return withStoreLock(path, () => {
    const { document, runs: stored } = readStore(path);
    const ids = new Set(stored.map((run) => (isJsonObject(run) && typeof run.id === 'string' ? run.id.toLowerCase() : '')));
    const alreadyStored = given.filter((run) => ids.has(run.id)).length;
    const prepared = options.prepare?.(given.filter((run) => !ids.has(run.id))) ?? { runs: given, stored: () => undefined };
    const fresh: JsonValue[] = [];
    for (const run of prepared.runs) {
      if (ids.has(run.id)) continue;
      ids.add(run.id);
      fresh.push(runObject(run));
    }
    if (fresh.length > 0) {
      writeStore(path, { ...document, version: 1, runs: [...stored, ...fresh] });
      prepared.stored();
    }
    return { added: fresh.length, alreadyStored, repeated: given.length - fresh.length - alreadyStored, runs: prepared.runs };
  });
}
