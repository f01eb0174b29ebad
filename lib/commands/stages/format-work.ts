/** What `seq-format` runs: its declaration (format.ts) loads this when it runs. */
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { readRecords } from '../../jsonl/read.js';
import { formatOptions } from '../../stages/format-options.js';
import { stageInputs } from '../../cli/inputs.js';
import { runChain } from '../../cli/pipeline.js';
import { formatStage } from '../../stages/format.js';
import type { FORMAT_COMMAND_FLAGS } from './format.js';
import { formatSpecOf, givenSpec } from '../../spec/from-flags.js';

export function runFormat(values: Values<typeof FORMAT_COMMAND_FLAGS>, files: string[], program: Program): Promise<number | undefined> {
  const { spec } = givenSpec(values);
  const format = formatSpecOf(spec, values);
  const options = formatOptions(values, program);
  const problems = new InputProblems(values.strict === true, program.warn);
  const reader = readRecords(stageInputs(files, program), problems);
  return runChain(program, reader, [formatStage(format, options)], stdoutOutput(), problems);
}
