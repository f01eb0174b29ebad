/** Runs a chain of stages from a record source to an output, in one process. */
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RecordReader } from '../jsonl/read.js';
import type { Output } from '../jsonl/output.js';
import type { InputProblems } from '../jsonl/problems.js';
import { EXIT_FAILURE, EXIT_OK, InputError } from '../base/errors.js';
import { showProgress } from '../base/progress.js';
import type { Program } from '../base/program.js';

/**
 * Streams records through the stages into the output. A stage that has all it needs (seq-format
 * with a limit) emits 'complete' and the reading stops. Returns the exit status: 1 when an input
 * could not be read, else 0; the malformed-line summary is printed once, at the end.
 */
export async function runChain(
  program: Program,
  reader: RecordReader,
  stages: Transform[],
  output: Output,
  problems: InputProblems,
  quiet = false,
): Promise<number> {
  for (const stage of stages) stage.on('complete', () => reader.stop());
  const progress = reader.progress;
  const stopProgress = progress ? showProgress(program.name, () => progress(), !quiet) : () => undefined;
  try {
    await pipeline([reader.records, ...stages, output.stream]);
    stopProgress();
    // --strict: what came before the bad line went through; the run still fails, and a report
    // file is not replaced by a partial one.
    if (problems.strictFailure !== undefined) throw new InputError(problems.strictFailure);
    output.commit();
  } catch (error) {
    stopProgress();
    output.abort();
    throw error;
  }
  for (const line of problems.summary()) program.warn(line);
  return problems.failed ? EXIT_FAILURE : EXIT_OK;
}
