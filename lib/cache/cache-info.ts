/**
 * What the cache holds (`seq cache info`), and removing it (`seq cache clear`). A cache that
 * cannot be read or removed whole (another user's files, left by `sudo seq`) is said to be so,
 * with the place: never "empty", nor "removed" while its files stay.
 */
import { lstatSync, readdirSync, realpathSync, rmSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { errorReason, InputError } from '../base/errors.js';
import { IndexView } from './index-news.js';
import { formatFolder, header, cacheRoot, PUSH_STATE } from './layout.js';
import { tablesFolder } from './table-file.js';

/** What the cache holds, per set of needs: for `seq cache info`. */
export interface CacheFolderInfo {
  needs: string;
  files: number;
  bytes: number;
  folder: string;
}

/** What to do about a cache that is not the user's to read or remove (`sudo seq` left it). */
/** What to do about a cache folder that cannot be read or changed: by its cause. */
function fix(path: string, error?: unknown): string {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EROFS') return 'its file system is read-only: point XDG_CACHE_HOME at a writable folder';
  return `make it yours again (sudo chown -R "$USER" ${path}), or remove it (sudo rm -r ${path})`;
}

/** A folder's entries; undefined where it is not there; an error a person can act on where it cannot be read. */
function entries(folder: string): Dirent[] | undefined {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new InputError(`the cache's folder ${folder} is a file; seq keeps its cache there: move the file aside`);
    throw new InputError(`cannot read the cache's folder ${folder}: ${errorReason(error)}; ${fix(folder, error)}`);
  }
}

export function cacheInfo(root = cacheRoot()): CacheFolderInfo[] {
  if (entries(root) === undefined) return [];
  return [...eventFolders(root), ...tables(root)];
}

/** The bytes of the files in a folder (not below it). */
function bytesIn(folder: string, names: Dirent[]): number {
  let bytes = 0;
  for (const entry of names) {
    if (!entry.isFile()) continue;
    try {
      bytes += statSync(join(folder, entry.name)).size;
    } catch {
      // removed meanwhile
    }
  }
  return bytes;
}

/** The kept tables (lib/cache/table-file.ts): one row, `files` counting tables. */
function tables(root: string): CacheFolderInfo[] {
  const folder = tablesFolder(root);
  const names = (entries(folder) ?? []).filter((entry) => entry.isFile() && entry.name.endsWith('.tbl'));
  return names.length === 0 ? [] : [{ needs: 'tables', files: names.length, bytes: bytesIn(folder, names), folder }];
}

function eventFolders(root: string): CacheFolderInfo[] {
  const base = formatFolder(root);
  // Only folders: a file beside them (a .DS_Store) is none of the cache's.
  const kinds = (entries(base) ?? []).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return kinds.sort().map((needs) => {
    const folder = join(base, needs);
    const bytes = bytesIn(folder, entries(folder) ?? []);
    let files = 0;
    try {
      const index = IndexView.open(join(folder, 'index.jsonl'), header(needs));
      if (index !== undefined) {
        const lines = index.lines();
        while (lines.next() !== undefined) files++;
        index.close();
      }
    } catch {
      // unreadable: no files to count
    }
    return { needs, files, bytes, folder };
  });
}

/** The bytes of the files below a folder, of those that can be read. */
function bytesBelow(folder: string): number {
  let bytes = 0;
  let names: Dirent[];
  try {
    names = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0; // its removal says why
  }
  for (const entry of names) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) bytes += bytesBelow(path);
    else if (entry.isFile()) bytes += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  }
  return bytes;
}

/**
 * Removes the whole cache (every format); returns the bytes it held, undefined where there was
 * none. Where the cache's folder is a link, what it links to is emptied and the link kept: the
 * cache is gone, and the next one goes where the user sent it.
 */
export function clearCache(root = cacheRoot()): number | undefined {
  const link = lstatSync(root, { throwIfNoEntry: false });
  if (link === undefined) return undefined;
  let folder = root;
  if (link.isSymbolicLink()) {
    try {
      folder = realpathSync(root);
    } catch {
      return undefined; // a link to nothing: no cache there yet
    }
  }
  const names = (entries(folder) ?? []).filter((entry) => entry.name !== PUSH_STATE);
  const bytes = names.reduce((sum, entry) => sum + (entry.isDirectory() ? bytesBelow(join(folder, entry.name)) : bytesIn(folder, [entry])), 0);
  const failures: string[] = [];
  let cause: unknown;
  for (const entry of names) {
    try {
      rmSync(join(folder, entry.name), { recursive: true, force: true });
    } catch (error) {
      cause ??= error;
      failures.push(`${join(folder, entry.name)} (${errorReason(error)})`);
    }
  }
  if (failures.length > 0) throw new InputError(`could not remove all of the cache: ${failures.join(', ')} stayed; ${fix(folder, cause)}`);
  // The folder goes too, unless it still holds what pushes kept.
  if (!link.isSymbolicLink() && (entries(folder) ?? []).length === 0) rmSync(root, { recursive: true, force: true });
  return bytes;
}
