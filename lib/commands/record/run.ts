/** `seq-record run`: one run from flags, with the token usage the SessionEnd hook kept. */
import type { Command } from '../../base/command.js';
import { RECORD_EXIT_STATUS, RECORD_FLAGS, STORE_NOTE } from './shared.js';
import { RUN_FLAGS } from '../../runs/flags.js';

export const RECORD_RUN_FLAGS = {
  ...RECORD_FLAGS,
  ...RUN_FLAGS,
  'from-git': { type: 'string', help: 'Files changed and lines added from git diff --numstat BASE (only the counts are kept)' },
} as const;

export const SEQ_RECORD_RUN: Command<typeof RECORD_RUN_FLAGS> = {
  name: 'seq-record run',
  summary: 'Record one run from flags',
  flags: RECORD_RUN_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq-record run --issues N[,N...] --outcome OUTCOME [run flags] [--from-git BASE] [--store PATH]',
    description:
      'Record one run from flags and print its id. Token usage kept by the SessionEnd hook (seq-record hook) is added to it (tokensUsed = input + output, cacheTokens = cache creation + read, inputTokens, outputTokens; a token flag given wins), and the kept files are removed once the run is stored.',
    examples: [
      [
        'seq-record run --issues 12,13 --outcome success --phases spec,exec,qa --duration 510 --model opus --flags=--chain --files-changed 6 --lines-added 380 --qa-iterations 1 --acceptance-criteria 4',
        'record one run',
      ],
      ['seq-record run --issues 12 --outcome success --from-git main', 'files changed and lines added since main; the kept session tokens are added'],
    ],
    epilogue: `${STORE_NOTE}\n\n${RECORD_EXIT_STATUS}`,
  },
  run: (values, operands, program) => import('./run-work.js').then((work) => work.runRecordRun(values, operands, program)),
};
