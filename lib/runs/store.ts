/**
 * The run store file: found, read, and extended so that nothing is lost. Writers take a lock
 * (a file created exclusively beside the store), read the newest store under it, write a
 * temporary file in the same folder, flush it, and rename it over the store. A store that
 * cannot be parsed is never overwritten.
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { InputError, UsageError } from '../cli/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../jsonl/json.js';
import { errorReason } from '../sources/files.js';
import { findJsonProblem } from '../spec/json-errors.js';
import { writeFileAtomically } from './atomic-write.js';
import { runObject, type MetricRun } from './schema.js';

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

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}

function unreadable(path: string, problem: string): InputError {
  return new InputError(
    `the run store ${path} cannot be read (${problem}); it was left untouched. ` +
      `Repair it, or move it aside (mv ${path} ${path}.broken) and a new store starts with the next run`,
  );
}

/** The store's content: existing runs are kept exactly as they are; only new runs are checked here. */
export interface StoreContent {
  document: JsonObject;
  runs: JsonValue[];
}

/** Reads the store; a missing store is an empty one; a store that does not parse is an error. */
export function readStore(path: string): StoreContent {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { document: { version: 1, runs: [] }, runs: [] };
    throw unreadable(path, errorReason(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const problem = findJsonProblem(text);
    throw unreadable(path, problem ? `invalid JSON at ${lineAndColumn(text, problem.offset)}: ${problem.message}` : 'invalid JSON');
  }
  if (!isJsonObject(parsed)) throw unreadable(path, 'it is not a JSON object');
  if (parsed.version !== 1) throw unreadable(path, `its version is ${JSON.stringify(parsed.version ?? null)}, and this seq reads version 1`);
  if (!Array.isArray(parsed.runs)) throw unreadable(path, '"runs" is not a list');
  return { document: parsed, runs: parsed.runs };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LOCK_WAIT_MS = 30_000;
// A lock this old is stale whoever holds it: a write takes milliseconds.
const LOCK_STALE_MS = 10 * 60_000;

/**
 * Holds the store's lock while `work` runs. A lock left by a process that died (same machine,
 * pid gone), or one far older than any write, is broken; otherwise this waits for its turn.
 */
export function withLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        if (fd !== undefined) {
          // Created but not written (a full disk): a lock nobody holds must not stay behind.
          closeSync(fd);
          unlinkSync(lock);
        }
        throw new InputError(`cannot lock the run store ${path}: ${errorReason(error)}; its folder must be writable (or give --store a path in one that is)`);
      }
    }
    if (breakStaleLock(lock)) continue;
    if (Date.now() > deadline) {
      throw new InputError(`the run store ${path} is locked by another seq-record (${lock}); if none is running, remove that file`);
    }
    sleep(Math.min(50, 2 + attempt) + Math.random() * 10);
  }
  try {
    return work();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // already removed
    }
  }
}

/** Whether the lock's content says its holder is gone: dead on this machine, or far too old. */
function isStale(text: string, ageMs: number): boolean {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(text) as typeof holder;
  } catch {
    return ageMs > 5_000; // being written this instant, or garbage left by a crash
  }
  if (ageMs > LOCK_STALE_MS) return true;
  return holder.host === hostname() && typeof holder.pid === 'number' && !processAlive(holder.pid);
}

/**
 * Breaks a stale lock: it is renamed away first (atomic, so two breakers cannot both remove it)
 * and removed only if it is still the lock judged stale; a live lock taken by mistake goes back.
 */
function breakStaleLock(lock: string): boolean {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(lock, 'utf8');
    ageMs = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return true; // released meanwhile: try again at once
  }
  if (!isStale(text, ageMs)) return false;
  const aside = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, aside);
  } catch {
    return true; // someone else broke it first
  }
  try {
    if (readFileSync(aside, 'utf8') !== text) linkSync(aside, lock);
  } catch {
    // a new lock is already in place; ours goes
  }
  try {
    unlinkSync(aside);
  } catch {
    // gone
  }
  return true;
}

/** Writes the store atomically; a new store is private (0600), an old one keeps its mode. */
function writeStore(path: string, document: JsonObject): void {
  try {
    writeFileAtomically(path, JSON.stringify(document, null, 2) + '\n', 0o600);
  } catch (error) {
    throw new InputError(`cannot write the run store ${path}: ${errorReason(error)}; the store was left as it was`);
  }
}

export interface RecordResult {
  added: number;
  alreadyStored: number;
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
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create the folder of the run store ${path}: ${errorReason(error)}`);
  }
  return withLock(path, () => {
    const { document, runs: stored } = readStore(path);
    const ids = new Set(stored.map((run) => (isJsonObject(run) && typeof run.id === 'string' ? run.id.toLowerCase() : '')));
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
    return { added: fresh.length, alreadyStored: given.length - fresh.length, runs: prepared.runs };
  });
}
