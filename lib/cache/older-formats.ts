/**
 * The folders a seq of an older cache or table format left in the cache root (`events-9`,
 * `tables-3`...): this seq never reads them, so they go once it has written its own. Those of a
 * newer format (a newer seq on the same machine) stay.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_FORMAT } from './layout.js';
import { TABLE_FORMAT } from './table-file.js';

const OLDER: Array<[RegExp, number]> = [
  [/^events-(\d+)$/, CACHE_FORMAT],
  [/^tables-(\d+)$/, TABLE_FORMAT],
];

/** Best effort: what cannot be removed now is tried again at the next write. */
export function removeOlderFormats(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    for (const [pattern, format] of OLDER) {
      const found = pattern.exec(name);
      if (found !== null && Number(found[1]) < format) {
        try {
          rmSync(join(root, name), { recursive: true, force: true });
        } catch {
          // in use or not ours to remove: left
        }
      }
    }
  }
}
