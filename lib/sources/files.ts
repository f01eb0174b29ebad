/**
 * Finding input files: explicit files are taken as they are; folders are walked recursively,
 * in sorted order, following symbolic links but never around a loop, and each file counts once
 * however many ways it is reached. Unreadable places are reported and skipped, never fatal.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { InputProblems } from '../jsonl/problems.js';

export function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Compares paths byte-wise (not by locale), so the order is the same on every machine. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function findFiles(roots: string[], accept: (name: string) => boolean, problems: InputProblems): string[] {
  const files: string[] = [];
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();

  const addFile = (path: string, real: string): void => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(path);
  };

  const walk = (folder: string, real: string): void => {
    if (seenFolders.has(real)) {
      // A symbolic link back up the tree (a loop), or to a folder read already: read once.
      problems.notice(`not following ${folder}: it leads to ${real}, which is read already`);
      return;
    }
    seenFolders.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name));
    } catch (error) {
      problems.unreadable(folder, errorReason(error));
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isFile()) {
        // Where no link was followed the real path is the path: one string, not two per file.
        if (accept(entry.name)) addFile(path, real === folder ? path : join(real, entry.name));
        continue;
      }
      // A real folder's real path is its parent's plus its name: no system call needed.
      if (entry.isDirectory()) {
        walk(path, real === folder ? path : join(real, entry.name));
        continue;
      }
      if (!entry.isSymbolicLink()) continue; // sockets, devices
      let realPath: string;
      let isFolder: boolean;
      try {
        realPath = realpathSync(path);
        isFolder = statSync(realPath).isDirectory();
      } catch (error) {
        // A broken link only matters if it has the name of a file that would be read.
        if (accept(entry.name)) problems.unreadable(path, errorReason(error));
        continue;
      }
      if (isFolder) walk(path, realPath);
      else if (accept(entry.name)) addFile(path, realPath);
    }
  };

  for (const root of roots) {
    let real: string;
    let isFolder: boolean;
    try {
      real = realpathSync(root);
      isFolder = statSync(real).isDirectory();
    } catch (error) {
      problems.unreadable(root, errorReason(error));
      continue;
    }
    if (isFolder) walk(root, real);
    else addFile(root, real);
  }
  return files;
}
