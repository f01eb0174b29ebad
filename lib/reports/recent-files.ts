/**
 * The status line runs on every prompt, and walking every folder of a long history costs more
 * than the rest of its work: the log files written lately are remembered for a while, and a
 * prompt within that while reads only them. A session begun, or an old one resumed, since the
 * last walk is found by the next one, at most REMEMBER_MS later.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheRoot } from '../cache/layout.js';
import { InputProblems } from '../jsonl/problems.js';
import { findSessionFiles } from '../sources/session-files.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { withLock } from '../storage/lock.js';
import { makeFolder } from '../storage/folders.js';

/** How long a walk's list is used. */
export const REMEMBER_MS = 120_000;
/** The files a walk keeps: those written in this long before it (today, and a block's chain). */
const KEEP_MS = 26 * 3_600_000;

interface Remembered {
  version: 1;
  roots: string[];
  walkedAt: number;
  files: string[];
}

export interface RecentFiles {
  /** The files written since `since`; every row after `since` is in them. */
  files: string[];
  since: number;
}

function statePath(): string {
  return join(cacheRoot(), 'recent-files.json');
}

function remembered(roots: string[], clock: number): Remembered | undefined {
  try {
    const state = JSON.parse(readFileSync(statePath(), 'utf8')) as Partial<Remembered>;
    const fresh = typeof state.walkedAt === 'number' && clock - state.walkedAt >= 0 && clock - state.walkedAt < REMEMBER_MS;
    const files = Array.isArray(state.files) && state.files.every((file) => typeof file === 'string') ? state.files : undefined;
    if (state.version !== 1 || !fresh || JSON.stringify(state.roots) !== JSON.stringify(roots) || files === undefined) return undefined;
    return { version: 1, roots, walkedAt: state.walkedAt as number, files };
  } catch {
    return undefined; // none yet, or not this seq's: walk
  }
}

/** The files under `roots` written lately: remembered, or found by a walk (and remembered). */
export function recentFiles(roots: string[]): RecentFiles {
  const clock = Date.now();
  const known = remembered(roots, clock);
  if (known !== undefined) return { files: known.files.filter((file) => existsSync(file)), since: known.walkedAt - KEEP_MS };
  const since = clock - KEEP_MS;
  const quiet = new InputProblems(false, () => undefined);
  const files: string[] = [];
  for (const file of findSessionFiles(roots, quiet)) {
    try {
      if (statSync(file).mtimeMs >= since) files.push(file);
    } catch {
      // gone since the walk listed it
    }
  }
  const state: Remembered = { version: 1, roots, walkedAt: clock, files };
  try {
    makeFolder(dirname(statePath()));
    // Another status line writing it at the same moment found the same files: either may keep it.
    withLock(statePath(), () => writeFileAtomically(statePath(), `${JSON.stringify(state)}\n`, 0o600), 0);
  } catch {
    // Held by another status line writing the same list, or not writable: the next one walks again.
  }
  return { files, since };
}
