/** `seq-record`: runs read as JSON Lines into the run store; its subcommands record one run, keep a session's tokens, install the hook. */
import type { Command } from '../../base/command.js';
import { SpecError } from '../../base/errors.js';
import { stageInputs } from '../../cli/inputs.js';
import { InputProblems } from '../../jsonl/problems.js';
import { type PlacedRow, readRecords } from '../../jsonl/read.js';
import { readRuns } from '../../runs/record.js';
import { appendRuns, storePath } from '../../runs/store.js';
import { SEQ_RECORD_HOOK } from './hook.js';
import { SEQ_RECORD_INSTALL_HOOK } from './install-hook.js';
import { SEQ_RECORD_RUN } from './run.js';
import { RECORD_EXIT_STATUS, RECORD_FLAGS, recordedLine, sayer, STORE_NOTE } from './shared.js';

async function collect(inputs: string[], problems: InputProblems): Promise<PlacedRow[]> {
  const rows: PlacedRow[] = [];
  for await (const item of readRecords(inputs, problems, { placed: true }).records) rows.push(item as PlacedRow);
  return rows;
}

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
  async run(values, files, program) {
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
  },
};
