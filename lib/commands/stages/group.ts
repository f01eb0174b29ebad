/** The `seq-group` command: its flags and help; its run loads its work, group-work.ts (`seq query` chains it with the other stages). */
import { STAGE_EXIT_STATUS } from '../../cli/command-line.js';
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { GROUP_FLAGS, SPEC_FLAGS } from '../../spec/flags.js';

const NAME = 'seq-group';

export const GROUP_COMMAND_FLAGS = { ...SPEC_FLAGS, ...GROUP_FLAGS };

export const SEQ_GROUP: Command<typeof GROUP_COMMAND_FLAGS> = {
  name: NAME,
  flags: GROUP_COMMAND_FLAGS,
  specKeys: stageKeys('group'),
  text: {
    usage: `${NAME} [--by FIELD[,FIELD...]] [--metric OP[:FIELD[:NAME]]]... [--spec SPEC] [FILE...]`,
    description:
      'One row per distinct combination of the --by fields, with the metrics of its records. Reads JSON Lines from the FILEs or stdin; writes JSON Lines.',
    examples: [
      [`seq-scan ~/.codex/sessions --dataset jsonl | ${NAME} --by type`, 'how many lines of each type'],
      [`${NAME} --by tool --metric count --metric sum:tokens:tokens calls.jsonl`, 'calls and tokens per tool'],
      [`${NAME} --by day,source --metric count_distinct:session_id:sessions`, 'distinct sessions per day and source'],
      [`${NAME} --metric sum:tokens --metric avg:tokens`, 'no --by: one row of totals over every record'],
      [`${NAME} --by tool | seq-format --sort -count --limit 10 --format table`, 'the ten most used tools'],
    ] as Array<[string, string]>,
    epilogue: [
      'Metrics: count (rows), sum and avg (of numbers and numeric text), sum_strict',
      '(the sum where every row has a number, else null), min and max (of any values,',
      'numbers before text), count_distinct. All but count and sum_strict skip',
      'missing values; avg, min and max of nothing are null. Default name: count, or',
      'OP_FIELD. Rows come out in the order their group was first seen.',
      '',
      STAGE_EXIT_STATUS,
    ].join('\n'),
  },
  run: (values, files, program) => import('./group-work.js').then((work) => work.runGroup(values, files, program)),
};
