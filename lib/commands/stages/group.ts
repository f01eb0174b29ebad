/** The `seq-group` command: its flags, help and run (`seq query` chains it with the other stages). */
import { encodeLines } from '../../jsonl/encode.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { readRecords } from '../../jsonl/read.js';
import { UsageError } from '../../base/errors.js';
import { stageInputs } from '../../cli/inputs.js';
import { STAGE_EXIT_STATUS } from '../../cli/command-line.js';
import { runChain } from '../../cli/pipeline.js';
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { givenSpec, GROUP_FLAGS, groupSpecOf, SPEC_FLAGS } from '../../spec/flags.js';
import { groupStage } from '../../stages/group.js';

const NAME = 'seq-group';

const FLAGS = { ...SPEC_FLAGS, ...GROUP_FLAGS };

export const SEQ_GROUP: Command<typeof FLAGS> = {
  name: NAME,
  flags: FLAGS,
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
  run(values, files, program) {
    const { spec, source } = givenSpec(values);
    const group = groupSpecOf(spec, values);
    if (group === undefined && source === undefined) {
      throw new UsageError('nothing to group by', 'give --by FIELD, --metric OP:FIELD, or a --spec with group_by');
    }
    const problems = new InputProblems(values.strict === true, program.warn);
    const reader = readRecords(stageInputs(files, program), problems);
    // A spec that does not group passes records through, so that a spec's pipe always runs.
    const stages = group === undefined ? [encodeLines()] : [groupStage(group), encodeLines()];
    return runChain(program, reader, stages, stdoutOutput(), problems);
  },
};
