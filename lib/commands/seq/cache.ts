/** `seq cache info|clear`: what the cache of session files holds, and removing it. */
import { Readable } from 'node:stream';
import type { Argv } from 'yargs';
import { formatOptions } from '../../stages/format-options.js';
import { addFormatOptions, type CommandText } from '../../cli/options.js';
import { runChain } from '../../cli/pipeline.js';
import type { Program } from '../../base/program.js';
import { UsageError } from '../../base/errors.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { formatSpecOf, stageFlags } from '../../spec/flags.js';
import { emptySpec } from '../../spec/validate.js';
import { formatStage } from '../../stages/format.js';
import { cacheInfo, clearCache } from '../../cache/cache-info.js';
import { cacheRoot, CACHE_FORMAT } from '../../cache/layout.js';

export const CACHE_TEXT: CommandText = {
  usage: 'seq cache info|clear [--format FORMAT]',
  description:
    'The cache keeps what each scan read from each session file (keyed by path, size, modification time and inode), so that the next scan reads only files that changed, and files that grew from where the last scan stopped. It lives in $XDG_CACHE_HOME/seq (default ~/.cache/seq), private to you; it holds what your session logs hold (message text too, for the datasets that need it). info: one row per kind of scan (the events it needs), with the files and bytes kept. clear: remove it all (it is rebuilt by the next scan). --no-cache on any scan reads every file afresh and leaves the cache alone.',
  examples: [
    ['seq cache info', 'what is kept, and where'],
    ['seq cache info --format json', 'the same for programs'],
    ['seq cache clear', 'remove the cache'],
  ],
  epilogue: 'Exit status: 0 done; 1 the cache could not be removed; 2 a usage error.',
};

export const cacheOptions = (parser: Argv): Argv => addFormatOptions(parser);

export function cache(args: Record<string, unknown>, paths: string[], program: Program): Promise<number> {
  const [action, extra] = paths;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (action === 'clear') {
    const bytes = clearCache();
    process.stdout.write(bytes > 0 ? `removed the cache (${(bytes / 1e6).toFixed(1)} MB) from ${cacheRoot()}\n` : `there is no cache in ${cacheRoot()}\n`);
    return Promise.resolve(0);
  }
  if (action !== 'info') throw new UsageError(action === undefined ? 'which action? info or clear' : `unknown action "${action}": info or clear`, 'see seq cache --help');
  const rows = cacheInfo().map((info) => ({ needs: info.needs, files: info.files, mb: Math.round(info.bytes / 1e4) / 100, folder: info.folder }));
  if (rows.length === 0 && (args.format === undefined || args.format === 'table')) {
    process.stdout.write(`the cache is empty (${cacheRoot()}, format ${CACHE_FORMAT})\n`);
    return Promise.resolve(0);
  }
  const format = formatSpecOf(emptySpec(), stageFlags(args), true);
  const reader = { records: Readable.from(rows, { objectMode: true }), stop: () => undefined };
  return runChain(program, reader, [formatStage(format, formatOptions(args, program))], stdoutOutput(), new InputProblems(false, program.warn));
}
