/**
 * Finding input files: explicit files are taken as they are; folders are walked recursively,
 * in sorted order, following symbolic links but never around a loop, and each file counts once
 * however many ways it is reached. Unreadable places are reported and skipped, never fatal.
 */
import { existsSync, readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorReason } from '../base/errors.js';
import type { InputProblems } from '../jsonl/problems.js';

/** What a walk tells of: folders it does not follow, files and folders it cannot read. */
export type WalkProblems = Pick<InputProblems, 'notice' | 'unreadable'>;

/** Compares names by code unit (not by locale), so the order is the same on every machine. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order in which a walk finds the files under one root: by name, folder level by folder
 * level, which is the order of the paths with "/" before any other character.
 */
export function walkOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x === 47 ? -1 : y === 47 ? 1 : x - y;
  }
  return a.length - b.length;
}

/**
 * A folder's entries, sorted by name, and what each is, a letter each in `kinds`: f(ile),
 * d(folder), l(symbolic link), o(ther).
 */
export interface FolderEntries {
  names: string[];
  kinds: string;
}

/** A folder's entries; throws as readdirSync does. */
export type ListFolder = (folder: string) => FolderEntries;

export const listFolder: ListFolder = (folder) => {
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name));
  return {
    names: entries.map((entry) => entry.name),
    kinds: entries.map((entry) => (entry.isFile() ? 'f' : entry.isDirectory() ? 'd' : entry.isSymbolicLink() ? 'l' : 'o')).join(''),
  };
};

/** The real path; a pipe's /dev/stdin or /proc/self/fd/N, whose link names no file (pipe:[…]), is its own. */
function realPathOf(path: string): string {
  const real = realpathSync(path);
  return !existsSync(real) && existsSync(path) ? path : real;
}

const NO_PIPES = 'it is a pipe or a device, and session logs are read from files: save it to one first';

/**
 * `list`: how a folder's entries are read (a kept table's listings stand in for unchanged folders).
 * `streams`: a root that is a pipe (`<(…)`, /dev/stdin, a FIFO) is given too; else it is
 * refused (what reads session logs reads a file's head again, and from a point).
 */
export function* findFiles(
  roots: string[],
  accept: (name: string) => boolean,
  problems: WalkProblems,
  onRoot?: (root: string | undefined) => void,
  list: ListFolder = listFolder,
  streams = false,
): Generator<string> {
  const seenFolders = new Set<string>();
  const linked = new Set<string>();

  /**
   * Whether a file reached other than by walking its folder (through a link, or as a root) is
   * new: not reached before that way, and not in a folder walked (or being walked), where the
   * walk finds it by its own name.
   */
  const takeLinked = (real: string): boolean => {
    if (linked.has(real) || (seenFolders.has(dirname(real)) && accept(basename(real)))) return false;
    linked.add(real);
    return true;
  };

  function* walk(folder: string, real: string): Generator<string> {
    if (seenFolders.has(real)) {
      // A symbolic link back up the tree (a loop), or to a folder read already: read once.
      problems.notice(`not following ${folder}: it leads to ${real}, which is read already`);
      return;
    }
    seenFolders.add(real);
    let entries: FolderEntries;
    try {
      entries = list(folder);
    } catch (error) {
      problems.unreadable(folder, errorReason(error));
      return;
    }
    const { names, kinds } = entries;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const kind = kinds[i];
      const path = join(folder, name);
      if (kind === 'f') {
        // Where no link was followed the real path is the path: one string, not two per file.
        if (accept(name) && (linked.size === 0 || !linked.has(real === folder ? path : join(real, name)))) yield path;
        continue;
      }
      // A real folder's real path is its parent's plus its name: no system call needed.
      if (kind === 'd') {
        yield* walk(path, real === folder ? path : join(real, name));
        continue;
      }
      if (kind !== 'l') continue; // sockets, devices
      let realPath: string;
      let stat: Stats;
      try {
        realPath = realPathOf(path);
        stat = statSync(realPath);
      } catch (error) {
        // A broken link only matters if it has the name of a file that would be read.
        if (accept(name)) problems.unreadable(path, errorReason(error));
        continue;
      }
      if (stat.isDirectory()) yield* walk(path, realPath);
      else if (!accept(name)) continue;
      else if (!stat.isFile() && !streams) problems.unreadable(path, NO_PIPES);
      // A link to a pipe (/dev/stdin) is its own real path: it is read where it is found.
      else if (realPath === path || takeLinked(realPath)) yield path;
    }
  }

  for (const root of roots) {
    onRoot?.(root);
    let real: string;
    let stat: Stats;
    try {
      real = realPathOf(root);
      stat = statSync(real);
    } catch (error) {
      problems.unreadable(root, errorReason(error));
      continue;
    }
    if (!stat.isDirectory() && !stat.isFile() && !streams) {
      problems.unreadable(root, NO_PIPES);
      continue;
    }
    if (stat.isDirectory()) yield* walk(root, real);
    else if (takeLinked(real)) yield root;
  }
  onRoot?.(undefined);
}
