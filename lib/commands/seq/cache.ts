/** `seq cache info` and `seq cache clear`: what the cache of session files holds, and removing it. */
import { commandWord, type Command } from '../../base/command.js';
import { UsageError } from '../../base/errors.js';
import { ROW_FLAGS } from './datasets.js';

const SEQ_CACHE_INFO: Command<typeof ROW_FLAGS> = {
  name: 'seq cache info',
  summary: 'What the cache keeps, per kind of scan',
  flags: ROW_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq cache info [--format FORMAT]',
    description:
      'What the cache holds: one row per kind of scan (the events it needs), with the files and megabytes kept and the folder, and a row "tables" for the rows of whole scans kept (files: how many tables).',
    examples: [
      ['seq cache info', 'what is kept, and where'],
      ['seq cache info --format json', 'the same for programs'],
    ],
  },
  run: (values, _operands, program) => import('./cache-work.js').then((work) => work.runCacheInfo(values, program)),
};

const SEQ_CACHE_CLEAR: Command<Record<string, never>> = {
  name: 'seq cache clear',
  summary: 'Remove it all (the next scan rebuilds it)',
  flags: {},
  maxOperands: 0,
  text: {
    usage: 'seq cache clear',
    description: 'Remove the cache; the next scan reads every file again and keeps what it read.',
    examples: [['seq cache clear', 'remove the cache']],
  },
  run: () => import('./cache-work.js').then((work) => work.runCacheClear()),
};

const ACTIONS = [SEQ_CACHE_INFO, SEQ_CACHE_CLEAR];

export const SEQ_CACHE: Command<Record<string, never>> = {
  name: 'seq cache',
  summary: 'What the cache of session files holds (info), or remove it (clear)',
  flags: {},
  subcommands: ACTIONS,
  text: {
    usage: 'seq cache info|clear [--format FORMAT]',
    description:
      'The cache keeps what each scan read from each session file (keyed by path, size, modification time and inode), so that the next scan reads only files that changed, and files that grew from where the last scan stopped; and the rows of each way of scanning (a dataset, its params, roots and window), given again without reading while no file changed, and patched with the files alone where a few changed, were added or removed. It lives in $XDG_CACHE_HOME/seq (default ~/.cache/seq), private to you; it holds what your session logs hold (message text too, for the datasets that need it). --no-cache on any scan reads every file afresh and leaves the cache alone.',
    examples: [
      ['seq cache info', 'what is kept, and where'],
      ['seq cache info --format json', 'the same for programs'],
      ['seq cache clear', 'remove the cache'],
    ],
    epilogue: 'Exit status: 0 done; 1 the cache could not be read or removed whole; 2 a usage error.',
  },
  run(_values, [action]) {
    const words = ACTIONS.map(commandWord).join(' or ');
    throw new UsageError(action === undefined ? `which action? ${words}` : `unknown action "${action}": ${words}`, 'see seq cache --help');
  },
};
