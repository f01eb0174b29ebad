/**
 * `seq`: the front door. `seq query` chains the stages in one process; the other commands list
 * what there is, run the named reports, or look after the cache. Options may come before or after
 * the command word.
 */
import type { Command, Flags } from '../base/command.js';
import { UsageError } from '../base/errors.js';
import { runProgram } from '../base/program.js';
import { meantForCoreutils, runCoreutilsSeq } from '../cli/coreutils-seq.js';
import { parseCommandLine } from '../cli/command-line.js';
import { SEQ_CACHE } from './seq/cache.js';
import { SEQ_DATASET_SCHEMA, SEQ_DATASETS } from './seq/datasets.js';
import { SEQ_QUERY } from './seq/query.js';
import { REPORTS } from './seq/reports.js';
import { SEQ_STATS } from './seq/stats.js';
import { suggestion } from '../spec/checks.js';

export const COMMANDS: Command[] = [SEQ_QUERY, SEQ_DATASETS, SEQ_DATASET_SCHEMA, ...REPORTS, SEQ_STATS, SEQ_CACHE];

/** `seq query` is typed `seq query`: the word after `seq`. */
const word = (command: Command): string => command.name.slice('seq '.length);
const WORDS = COMMANDS.map(word);
const WIDTH = Math.max(...WORDS.map((w) => w.length)) + 2;

/** Every flag of every command, by its long and short names: what takes a value before the command word. */
const VALUE_FLAGS = new Set(
  COMMANDS.flatMap((c) => Object.entries(c.flags as Flags))
    .filter(([, flag]) => flag.type !== 'boolean')
    .flatMap(([name, flag]) => [`--${name}`, ...(flag.alias === undefined ? [] : [`-${flag.alias}`])]),
);

/** Where the command word is: the first word that is neither an option nor an option's value. */
function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i] as string;
    if (w === '--') return -1;
    if (!w.startsWith('-') || w === '-') return i;
    if (VALUE_FLAGS.has(w)) i++;
  }
  return -1;
}

const SEQ: Command<Record<string, never>> = {
  name: 'seq',
  flags: {},
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
    epilogue: `Commands:\n${COMMANDS.map((c) => `  ${word(c).padEnd(WIDTH)}${c.summary ?? ''}`).join('\n')}`,
  },
  run: () => Promise.resolve(undefined),
};

export function main(argv: string[]): Promise<void> {
  return runProgram('seq', async (program) => {
    if (meantForCoreutils(argv)) {
      const status = runCoreutilsSeq(argv);
      if (status !== undefined) return status;
      throw new UsageError(`"${argv[0]}" is not a command of this seq, and no other seq (coreutils) is installed`, 'see seq --help');
    }
    const at = commandIndex(argv);
    if (at < 0) {
      // --help, --version, or no command word at all.
      if (argv.length > 0 && (await parseCommandLine(SEQ, argv)) === undefined) return;
      throw new UsageError('no command given', 'try seq query --spec FILE, seq datasets, or seq --help');
    }
    const first = argv[at] as string;
    const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
    const command = COMMANDS.find((c) => word(c) === first);
    if (command === undefined) {
      throw new UsageError(`unknown command "${first}"${suggestion(first, WORDS)}`, `the commands are ${WORDS.join(', ')}`);
    }
    const line = await parseCommandLine(command, rest);
    if (line === undefined) return;
    return command.run(line.values, line.operands, program);
  });
}
