/** What `seq-group` runs: its declaration (group.ts) loads this when it runs. */
import type { Values } from '../../base/command.js';
import { UsageError } from '../../base/errors.js';
import type { Program } from '../../base/program.js';
import { encodeLines } from '../../jsonl/encode.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { readRecords } from '../../jsonl/read.js';
import { stageInputs } from '../../cli/inputs.js';
import { runChain } from '../../cli/pipeline.js';
import { groupStage } from '../../stages/group.js';
import type { GROUP_COMMAND_FLAGS } from './group.js';
import { givenSpec, groupSpecOf } from '../../spec/from-flags.js';

export function runGroup(values: Values<typeof GROUP_COMMAND_FLAGS>, files: string[], program: Program): Promise<number | undefined> {
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
}
