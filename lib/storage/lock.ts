/**
 * A lock beside a file (`<file>.lock`), for every writer of the project's files: the run store
 * and the event cache. A lock file is made whole or not at all (written aside, then linked into
 * place, which fails when one is there), and holds its holder's pid, machine and a nonce.
 *
 * A lock is stale when its holder is gone: a process of this machine that is not running (or is
 * this very process: its pid was reused), or one far older than any write, which no live writer
 * holds (a lock of another machine is judged by that alone).
 * A stale lock is never removed, which would leave a moment without a lock for a third process
 * to take while the breaker still thinks it may: it is replaced whole by the breaker's own
 * (a rename over it), and only by the one breaker that made `<lock>.break-<digest of the stale
 * lock>`. That file is made the way a lock is, so of all the processes that found the same
 * stale lock exactly one replaces it; the others find a live lock after it. A breaker that dies
 * leaves its break file, which is stale in turn and broken the same way.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { errorReason } from '../base/errors.js';
import { nodeCrypto } from '../base/builtins.js';
import { linkedFile } from './atomic-write.js';

/** The lock could not be taken: `busy` when another process holds it, else why it could not be made. */
export class LockError extends Error {
  constructor(
    readonly lock: string,
    readonly busy: boolean,
    reason: string,
  ) {
    super(reason);
  }
}

// A lock this old is stale whoever holds it on another machine: a write takes milliseconds.
const LOCK_STALE_MS = 10 * 60_000;
// Text that is no lock (a disk that lost it): stale once it cannot be one being written.
const GARBAGE_STALE_MS = 5_000;
// Break files of break files: each level needs a breaker that died at the level below.
const MAX_BREAK_DEPTH = 4;
// Tests widen the moment between finding a stale lock and breaking it, where breakers race.
const BREAK_PAUSE_MS = Number(process.env.SEQ_LOCK_BREAK_PAUSE_MS ?? 0);

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process of this machine is running (false for no pid at all). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The content of a lock of this process: unique to this taking of it (the nonce). */
function lockText(): string {
  return JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now(), nonce: nodeCrypto().randomBytes(6).toString('hex') });
}

/** `text` written in a file of its own beside `path`, for `place` to put where `path` is; removed if `place` throws. */
function aside<T>(path: string, text: string, place: (written: string) => T): T {
  const written = `${path}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(written, 'wx', 0o600);
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return place(written);
  } finally {
    try {
      unlinkSync(written);
    } catch {
      // renamed into place, or never made
    }
  }
}

// Where a file system has no hard links, a lock is created in place, exclusively, and written.
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP']);

/** Makes `path` holding `text`, whole, unless it exists: false then. */
function create(path: string, text: string): boolean {
  return aside(path, text, (written) => {
    try {
      linkSync(written, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_LINKS.has(code)) throw error;
    }
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeFileSync(fd, text);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  });
}

/** Puts `text` in place of whatever `path` holds, in one step. */
function replace(path: string, text: string): void {
  aside(path, text, (written) => renameSync(written, path));
}

/** A lock file's text and age, or undefined when there is none. */
function readLock(path: string): { text: string; ageMs: number } | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    return { text, ageMs: Date.now() - statSync(path).mtimeMs };
  } catch {
    return undefined;
  }
}

/** Whether a lock's text says its holder is gone: not running on this machine, or far too old anywhere. */
function isStale(text: string, ageMs: number): boolean {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(text) as typeof holder;
  } catch {
    return ageMs > GARBAGE_STALE_MS;
  }
  if (typeof holder !== 'object' || holder === null) return ageMs > GARBAGE_STALE_MS;
  if (ageMs > LOCK_STALE_MS) return true;
  // A holder of this machine is asked (this process holds no lock it is asking for); one of another machine cannot be.
  return holder.host === hostname() && typeof holder.pid === 'number' && (holder.pid === process.pid || !processAlive(holder.pid));
}

const digest = (text: string): string => nodeCrypto().createHash('sha1').update(text).digest('hex').slice(0, 16);

/**
 * Replaces the lock `path`, found holding `stale`, with `mine`, if this process is the one
 * breaker of that stale lock. True when `path` is now `mine`.
 */
function breakStale(path: string, stale: string, mine: string, depth = 0): boolean {
  const breaker = `${path}.break-${digest(stale)}`;
  if (!create(breaker, mine)) {
    // Another process is breaking the same lock, or died doing it (then its break file is broken the same way).
    const found = readLock(breaker);
    if (found === undefined || depth >= MAX_BREAK_DEPTH || !isStale(found.text, found.ageMs)) return false;
    if (!breakStale(breaker, found.text, mine, depth + 1)) return false;
  }
  try {
    // Only its holder (gone, or too old to be writing) or another breaker of it could change a stale lock now.
    if (readLock(path)?.text !== stale) return false;
    replace(path, mine);
    return true;
  } finally {
    release(breaker, mine);
  }
}

/** Removes `path` if it still holds `mine` (a lock judged stale by another may have been taken over). */
function release(path: string, mine: string): void {
  try {
    if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Holds the lock of `path` while `work` runs; waits for it while each holder holds it less than
 * `waitMs` (and ten times that in all), then throws LockError.
 */
export function withLock<T>(path: string, work: () => T, waitMs: number): T {
  // One lock for every path to the file: beside the file its links lead to.
  const lock = `${linkedFile(path)}.lock`;
  const mine = lockText();
  let deadline = Date.now() + waitMs;
  const last = Date.now() + 10 * waitMs;
  let holder: string | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      if (create(lock, mine)) break;
      const held = readLock(lock);
      if (held === undefined) continue; // released meanwhile: try again at once
      // Waiting is for one holder at a time: a queue of writers that each take their turn is waited out.
      if (held.text !== holder) {
        holder = held.text;
        deadline = Date.now() + waitMs;
      }
      if (isStale(held.text, held.ageMs)) {
        if (BREAK_PAUSE_MS > 0) sleep(Math.random() * BREAK_PAUSE_MS);
        if (breakStale(lock, held.text, mine)) break;
      }
    } catch (error) {
      throw new LockError(lock, false, errorReason(error));
    }
    if (Date.now() > Math.min(deadline, last)) throw new LockError(lock, true, 'held by another process');
    sleep(Math.min(50, 2 + attempt) + Math.random() * 10);
  }
  try {
    return work();
  } finally {
    release(lock, mine);
  }
}
