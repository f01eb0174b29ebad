/** What `seq-scan` runs: its declaration (scan.ts) loads this when it runs. */
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { encodeLines } from '../../jsonl/encode.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { CATALOG, findDataset } from '../../datasets/registry.js';
import { noteTerminalInput } from '../../cli/inputs.js';
import { runChain } from '../../cli/pipeline.js';
import { scanStage } from '../../scan/scan.js';
import type { SCAN_COMMAND_FLAGS } from './scan.js';
import { givenSpec, scanSpecOf } from '../../spec/from-flags.js';

export function runScan(values: Values<typeof SCAN_COMMAND_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
  const { spec } = givenSpec(values, CATALOG);
  const scan = scanSpecOf(spec, values, paths, CATALOG);
  noteTerminalInput(findDataset(scan.dataset)?.readsStdin === true, scan.roots, program);
  const problems = new InputProblems(values.strict === true, program.warn);
  const reader = scanStage(scan, problems, { cache: values.cache !== false });
  return runChain(program, reader, [encodeLines()], stdoutOutput(), problems, values.quiet === true);
}
