/** Runs a chain of stages from a record source to an output, in one process. */
import type { Transform, Writable } from 'node:stream';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import type { Row } from '../jsonl/json.js';
import { fused, stageHandlers, type StageHandlers } from '../base/transform.js';
import type { RecordReader } from '../jsonl/read.js';
import { endOutput, type Output } from '../jsonl/output.js';
import type { InputProblems } from '../jsonl/problems.js';
import { EXIT_FAILURE, EXIT_OK, InputError } from '../base/errors.js';
import { showProgress } from '../base/progress.js';
import type { Program } from '../base/program.js';

/** How long rows are taken at a time before the event loop is handed back (the progress line and Ctrl-C need it). */
const TURN_MS = 50;

/**
 * Gives rows taken one at a time to a stage's handlers, writing what comes out to the output
 * (waiting while it is full), and ends both after the last row.
 */
async function drive(pull: () => Row | undefined, handlers: StageHandlers<unknown, unknown>, output: Writable): Promise<void> {
  // The output's failure (a disk full, say) stops the rows; it is thrown once they have stopped.
  let failure: { error: unknown } | undefined;
  const over = finished(output).catch((error: unknown) => {
    failure = { error };
  });
  let full: Promise<unknown> | undefined;
  const push = (chunk: unknown): void => {
    // Its failure is the output's, seen through `over`.
    if (!output.write(chunk)) full ??= once(output, 'drain').catch(() => undefined);
  };
  for (;;) {
    const until = Date.now() + TURN_MS;
    let row = pull();
    for (let n = 1; row !== undefined; n++) {
      handlers.record(row, push);
      if (full !== undefined || (n % 1024 === 0 && Date.now() > until)) break;
      row = pull();
    }
    if (row === undefined) break;
    if (full !== undefined) await Promise.race([full, over]);
    else await new Promise((resolve) => setImmediate(resolve));
    full = undefined;
    if (failure !== undefined) throw failure.error;
  }
  if (failure === undefined) {
    handlers.end?.(push);
    output.end();
  }
  await over;
  if (failure !== undefined) throw failure.error;
}

/**
 * Streams records through the stages into the output. A stage that has all it needs (seq-format
 * with a limit) emits 'complete' and the reading stops. Stages that stage() made run as one;
 * where the reader has its rows at hand, they are given to that one stage without a stream.
 * Returns the exit status: 1 when an input could not be read, else 0; the malformed-line
 * summary is printed once, at the end.
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
    const chain = fused(stages);
    const handlers = chain && stageHandlers(chain);
    // Where the rows are another reader's once some work is done, that one is read.
    const rows = handlers !== undefined && reader.ready !== undefined ? await reader.ready() : reader;
    if (rows.pull !== undefined && handlers !== undefined) {
      try {
        await drive(rows.pull, handlers, output.stream);
      } finally {
        reader.stop();
      }
    } else await pipeline([rows.records, ...(chain === undefined ? stages : [chain]), output.stream]);
    stopProgress();
    // --strict: what came before the bad line went through; the run still fails, and a report
    // file is not replaced by a partial one.
    if (problems.strictFailure !== undefined) throw new InputError(problems.strictFailure);
    endOutput(output, problems.failed, program.warn);
  } catch (error) {
    stopProgress();
    output.abort();
    throw error;
  }
  for (const line of problems.summary()) program.warn(line);
  return problems.failed ? EXIT_FAILURE : EXIT_OK;
}
