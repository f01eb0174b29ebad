/**
 * `seq`: the front door. `seq query` chains the stages in one process; the other commands list
 * what there is, run the named reports, or look after the cache. Options may come before or after
 * the command word.
 */
import { commandWord, type Command } from '../base/command.js';
import { UsageError } from '../base/errors.js';
import { runProgram } from '../base/program.js';
import { meantForCoreutils, runCoreutilsSeq } from '../cli/coreutils-seq.js';
import { runLine } from '../cli/command-line.js';
import { SEQ_CACHE } from './seq/cache.js';
import { completionCommand } from './seq/completion.js';
import { SEQ_DATASET_SCHEMA, SEQ_DATASETS } from './seq/datasets.js';
import { SEQ_EXPORT } from './seq/export.js';
import { SEQ_PUSH } from './seq/push.js';
import { SEQ_SOURCES } from './seq/sources.js';
import { SEQ_SQL } from './seq/sql.js';
import { SEQ_QUERY } from './seq/query.js';
import { REPORTS } from './seq/reports.js';
import { SEQ_STATS } from './seq/stats.js';
import { SEQ_STATUSLINE } from './seq/statusline.js';
import { SEQ_WATCH } from './seq/watch.js';
import { SEQ_VIEWS } from './seq/views.js';
import { suggestion } from '../base/suggestion.js';
import { SEQ_SCAN } from './stages/scan.js';
import { SEQ_FILTER } from './stages/filter.js';
import { SEQ_GROUP } from './stages/group.js';
import { SEQ_FORMAT } from './stages/format.js';
import { SEQ_RECORD } from './record/record.js';

export const COMMANDS: Command[] = [
  SEQ_QUERY,
  SEQ_SOURCES,
  SEQ_DATASETS,
  SEQ_DATASET_SCHEMA,
  SEQ_EXPORT,
  SEQ_SQL,
  SEQ_PUSH,
  ...SEQ_VIEWS,
  ...REPORTS,
  SEQ_STATUSLINE,
  SEQ_WATCH,
  SEQ_STATS,
  SEQ_CACHE,
  completionCommand(() => [SEQ, SEQ_SCAN, SEQ_FILTER, SEQ_GROUP, SEQ_FORMAT, SEQ_RECORD]),
];

export const SEQ: Command<Record<string, never>> = {
  name: 'seq',
  flags: {},
  subcommands: COMMANDS,
  text: {
    usage: 'seq <command> [options]',
    description:
      'Mine the session logs of AI coding agents with small Unix filters. The commands below; each also exists as a pipe stage (seq-scan, seq-filter, seq-group, seq-format).',
    examples: [
      ['seq query --spec @specs/skills-rank.json', "run a spec over this machine's session logs"],
      ['seq query --dataset usage --by model --metric sum:total_tokens:tokens --sort -tokens', 'tokens per model'],
      ['seq datasets', 'what can be scanned'],
      ['seq query --help', "a command's own options"],
    ],
  },
  run(_values, [word]) {
    if (word === undefined) throw new UsageError('no command given', 'try seq query --spec FILE, seq datasets, or seq --help');
    throw unknownCommand(word);
  },
};

function unknownCommand(word: string): UsageError {
  const words = COMMANDS.map(commandWord);
  return new UsageError(`unknown command "${word}"${suggestion(word, words)}`, `the commands are ${words.join(', ')}`);
}

/** `seq help [COMMAND]` and `seq version`, as git and go read them: the --help and --version flags. */
function asWords(argv: string[]): string[] {
  if (argv[0] === 'help') {
    const word = argv[1];
    if (word !== undefined && !word.startsWith('-') && !COMMANDS.map(commandWord).includes(word)) throw unknownCommand(word);
    return [...argv.slice(1), '--help'];
  }
  if (argv[0] === 'version' && argv.length === 1) return ['--version'];
  return argv;
}

export function main(argv: string[]): Promise<void> {
  return runProgram('seq', async (program) => {
    if (meantForCoreutils(argv)) {
      const status = runCoreutilsSeq(argv);
      if (status !== undefined) return status;
      throw new UsageError(`"${argv[0]}" is not a command of this seq, and no other seq (coreutils) is installed`, 'see seq --help');
    }
    return runLine(SEQ, asWords(argv), program);
  });
}
