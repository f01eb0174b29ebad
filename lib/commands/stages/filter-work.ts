/** What `seq-filter` runs: its declaration (filter.ts) loads this when it runs. */
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { encodeLines } from '../../jsonl/encode.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { readRecords } from '../../jsonl/read.js';
import { stageInputs } from '../../cli/inputs.js';
import { runChain } from '../../cli/pipeline.js';
import { filterStage } from '../../stages/filter.js';
import type { FILTER_COMMAND_FLAGS } from './filter.js';
import { filterSpecOf, givenSpec } from '../../spec/from-flags.js';

export function runFilter(values: Values<typeof FILTER_COMMAND_FLAGS>, files: string[], program: Program): Promise<number | undefined> {
  const { spec } = givenSpec(values);
  const filter = filterSpecOf(spec, values);
  const problems = new InputProblems(values.strict === true, program.warn);
  const reader = readRecords(stageInputs(files, program), problems);
  return runChain(program, reader, [filterStage(filter), encodeLines()], stdoutOutput(), problems);
}
