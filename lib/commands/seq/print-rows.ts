/** Rows of a command's own, printed through the format stage as a grouped result would be. */
import { Readable } from 'node:stream';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import type { Row } from '../../jsonl/json.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { formatOptions } from '../../stages/format-options.js';
import { runChain } from '../../cli/pipeline.js';
import { emptySpec } from '../../spec/validate.js';
import { formatStage } from '../../stages/format.js';
import type { ROW_FLAGS } from './datasets.js';
import { formatSpecOf } from '../../spec/from-flags.js';

/** Rows printed as a grouped result would be: a table unless --format says otherwise. */
export function printRows(rows: Row[], values: Values<typeof ROW_FLAGS>, program: Program): Promise<number> {
  const format = formatSpecOf(emptySpec(), values, true);
  const problems = new InputProblems(false, program.warn);
  const reader = { records: Readable.from(rows, { objectMode: true }), stop: () => undefined };
  return runChain(program, reader, [formatStage(format, formatOptions(values, program))], stdoutOutput(), problems);
}
