/** What `seq completion` runs: its declaration (completion.ts) loads this when it runs. */
import type { Command } from '../../base/command.js';
import { UsageError } from '../../base/errors.js';
import { completionScript } from '../../cli/completion.js';
import { allDatasets, datasetNames } from '../../datasets/registry.js';
import { SHELLS, type Shell } from '../../cli/shells.js';

/** Prints the completion script of `shell` for `programs`. */
export async function runCompletion(shell: string | undefined, programs: readonly Command[]): Promise<number> {
  if (shell === undefined) throw new UsageError('which shell?', `give one of ${SHELLS.join(', ')}`, 'seq completion');
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`no completion for "${shell}"`, `give one of ${SHELLS.join(', ')}`, 'seq completion');
  const fields = new Map(allDatasets().map((dataset) => [dataset.name, (dataset.fields ?? []).map((field) => field.name)]));
  process.stdout.write(completionScript(shell as Shell, programs, { datasets: datasetNames(), fields }));
  return 0;
}
