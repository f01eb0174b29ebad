/** What `seq cache info` and `seq cache clear` run: their declarations (cache.ts) load this when one runs. */
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { cacheInfo, clearCache } from '../../cache/cache-info.js';
import { CACHE_FORMAT, cacheRoot } from '../../cache/layout.js';
import type { ROW_FLAGS } from './datasets.js';
import { printRows } from './print-rows.js';

export function runCacheInfo(values: Values<typeof ROW_FLAGS>, program: Program): Promise<number> {
  const rows = cacheInfo().map((info) => ({ needs: info.needs, files: info.files, mb: Math.round(info.bytes / 1e4) / 100, folder: info.folder }));
  if (rows.length === 0 && (values.format === undefined || values.format === 'table')) {
    process.stdout.write(`the cache is empty (${cacheRoot()}, format ${CACHE_FORMAT})\n`);
    return Promise.resolve(0);
  }
  return printRows(rows, values, program);
}

export function runCacheClear(): Promise<number> {
  const bytes = clearCache();
  process.stdout.write(
    bytes !== undefined ? `removed the cache (${(bytes / 1e6).toFixed(1)} MB) from ${cacheRoot()}\n` : `there is no cache in ${cacheRoot()}\n`,
  );
  return Promise.resolve(0);
}
