/** `seq-record`: runs read as JSON Lines into the run store; its subcommands record one run, keep a session's tokens, install the hook. */
import type { Command } from '../../base/command.js';
import { SEQ_RECORD_HOOK } from './hook.js';
import { SEQ_RECORD_INSTALL_HOOK } from './install-hook.js';
import { SEQ_RECORD_RUN } from './run.js';
import { RECORD_EXIT_STATUS, RECORD_FLAGS, STORE_NOTE } from './shared.js';

export const SEQ_RECORD: Command<typeof RECORD_FLAGS> = {
  name: 'seq-record',
  flags: RECORD_FLAGS,
  subcommands: [SEQ_RECORD_RUN, SEQ_RECORD_HOOK, SEQ_RECORD_INSTALL_HOOK],
  text: {
    usage: 'seq-record [FILE...] [--store PATH]\n       seq-record run|hook|install-hook [options]',
    description:
      'Append workflow runs to the local run store (Sequant\'s metrics.json, version 1): JSON Lines of runs from the FILEs or stdin, or one run from flags with "run". Every run is checked first; one invalid run means nothing is written.',
    examples: [
      ['seq-scan --dataset jsonl old-runs.jsonl | seq-record --store .seq/metrics.json', 'record runs kept as JSON Lines'],
      [
        "jq -c '.runs[]' ../app/.sequant/metrics.json | seq-record --store .seq/metrics.json",
        "copy another project's Sequant runs into this project's store (a field outside the version-1 schema is refused by name; jq's del() drops it)",
      ],
      ['seq-record run --issues 12 --outcome success --duration 510 --model opus', 'record one run (seq-record run --help)'],
    ],
    epilogue: `${STORE_NOTE}\n\n${RECORD_EXIT_STATUS}`,
  },
  run: (values, operands, program) => import('./record-work.js').then((work) => work.runRecord(values, operands, program)),
};
