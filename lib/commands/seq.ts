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
      'Mine the session logs of AI coding agents with small Unix filters. seq query, the views and the reports chain the stages that also exist as executables of their own (seq-scan, seq-filter, seq-group, seq-format).',
    examples: [
      ['seq query --spec @specs/skills-rank.json', "run a spec over this machine's session logs"],
      ['seq query --dataset usage --by model --metric sum:total_tokens:tokens --sort -tokens', 'tokens per model'],
      ['seq datasets', 'what can be scanned'],
      ['seq query --help', "a command's own options"],
    ],
  },
  run(_values, [word]) {
    const words = COMMANDS.map(commandWord);
    if (word === undefined) throw new UsageError('no command given', 'try seq query --spec FILE, seq datasets, or seq --help');
    throw new UsageError(`unknown command "${word}"${suggestion(word, words)}`, `the commands are ${words.join(', ')}`);
  },
};

/** Whether each word names a command of the one before it, down to one without commands (whose operands follow). */
function namesCommands(words: string[]): boolean {
  let command: Command = SEQ;
  for (const word of words) {
    if (command.subcommands === undefined || word.startsWith('-')) return true;
    const next = command.subcommands.find((sub) => commandWord(sub) === word);
    if (next === undefined) return false;
    command = next;
  }
  return true;
}

/**
 * `seq help [COMMAND...]` and `seq version`, as git and go read them: the --help and --version
 * flags. A word that names no command is run as it is, to give the same usage error.
 */
function asWords(argv: string[]): string[] {
  if (argv[0] === 'help') {
    const words = argv.slice(1);
    if (words[0] === 'help' || words[0] === 'version') return ['--help'];
    return namesCommands(words) ? [...words, '--help'] : words;
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
