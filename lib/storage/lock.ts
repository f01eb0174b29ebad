/**
 * A lock beside a file (`<file>.lock`, created exclusively), for every writer of the project's
 * files: the run store and the event cache. A lock left by a process that died (same machine,
 * pid gone), or one far older than any write, is broken; otherwise a writer waits its turn, up
 * to a limit.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { errorReason } from '../sources/files.js';

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

// A lock this old is stale whoever holds it: a write takes milliseconds.
const LOCK_STALE_MS = 10 * 60_000;

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

/** Holds the lock of `path` while `work` runs; waits up to `waitMs` for it, then throws LockError. */
export function withLock<T>(path: string, work: () => T, waitMs: number): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + waitMs;
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
        throw new LockError(lock, false, errorReason(error));
      }
    }
    if (breakStaleLock(lock)) continue;
    if (Date.now() > deadline) throw new LockError(lock, true, 'held by another process');
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
