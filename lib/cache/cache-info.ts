/** What the cache holds (`seq cache info`), and removing it (`seq cache clear`). */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IndexView } from './index-news.js';
import { formatFolder, header, cacheRoot } from './layout.js';
import { tablesFolder } from './table-file.js';

/** What the cache holds, per set of needs: for `seq cache info`. */
export interface CacheFolderInfo {
  needs: string;
  files: number;
  bytes: number;
  folder: string;
}

export function cacheInfo(root = cacheRoot()): CacheFolderInfo[] {
  return [...eventFolders(root), ...tables(root)];
}

/** The kept tables (lib/cache/table-file.ts): one row, `files` counting tables. */
function tables(root: string): CacheFolderInfo[] {
  const folder = tablesFolder(root);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.tbl'));
  } catch {
    return [];
  }
  let bytes = 0;
  for (const name of names) {
    try {
      bytes += statSync(join(folder, name)).size;
    } catch {
      // removed meanwhile
    }
  }
  return names.length === 0 ? [] : [{ needs: 'tables', files: names.length, bytes, folder }];
}

function eventFolders(root: string): CacheFolderInfo[] {
  const base = formatFolder(root);
  let names: string[];
  try {
    names = readdirSync(base).sort();
  } catch {
    return [];
  }
  return names.map((needs) => {
    const folder = join(base, needs);
    let bytes = 0;
    for (const name of readdirSync(folder)) {
      try {
        bytes += statSync(join(folder, name)).size;
      } catch {
        // removed meanwhile
      }
    }
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

/** Removes the whole cache (every format); returns the bytes it held. */
export function clearCache(root = cacheRoot()): number {
  let bytes = 0;
  const count = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) count(full);
      else bytes += statSync(full).size;
    }
  };
  try {
    count(root);
  } catch {
    return 0; // no cache
  }
  rmSync(root, { recursive: true, force: true });
  return bytes;
}
