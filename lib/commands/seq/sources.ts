/** `seq sources`: the agents whose logs seq reads, where it looks for them, and what it found here. */
import type { Command } from '../../base/command.js';
import { ROW_FLAGS } from './datasets.js';

export const SEQ_SOURCES: Command<typeof ROW_FLAGS> = {
  name: 'seq sources',
  summary: 'List the agents whose logs seq reads, and where',
  flags: ROW_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq sources [--format FORMAT]',
    description:
      'List the agents whose logs seq reads: the name that --source and the rows use, the places it looks when no path is given (environment variables first), and which of them exist on this machine.',
    examples: [
      ['seq sources', 'as a table'],
      ['seq sources --format jsonl', 'as JSON Lines, for scripts'],
    ],
  },
  run: (values, operands, program) => import('./sources-work.js').then((work) => work.runSources(values, operands, program)),
};
