/** What `seq-record` runs: its declaration (record.ts) loads this when it runs. */
import { SpecError } from '../../base/errors.js';
import { stageInputs } from '../../cli/inputs.js';
import { InputProblems } from '../../jsonl/problems.js';
import { type PlacedRow, readRecords } from '../../jsonl/read.js';
import { readRuns } from '../../runs/record.js';
import { appendRuns, storePath } from '../../runs/store.js';
import { type RECORD_FLAGS, recordedLine, sayer } from './shared.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';

async function collect(inputs: string[], problems: InputProblems): Promise<PlacedRow[]> {
  const rows: PlacedRow[] = [];
  for await (const item of readRecords(inputs, problems, { placed: true }).records) rows.push(item as PlacedRow);
  return rows;
}

export async function runRecord(values: Values<typeof RECORD_FLAGS>, files: string[], program: Program): Promise<number | undefined> {
  const problems = new InputProblems(false, program.warn);
  const rows = await collect(stageInputs(files, program), problems);
  const bad = problems.firstMalformed;
  if (bad) throw new SpecError(bad.place, `not a run (${bad.reason}); nothing was recorded`);
  if (problems.failed) {
    // The inputs are recorded whole or not at all: an input that could not be read stops them all.
    program.warn('nothing was recorded');
    return 1;
  }
  const runs = readRuns(
    rows.map((r) => r.row),
    rows.map((r) => r.place),
  );
  const path = storePath(values.store);
  sayer(values.quiet, program)(recordedLine(path, appendRuns(path, runs)));
  return 0;
}
