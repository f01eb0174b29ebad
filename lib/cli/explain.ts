/**
 * `seq query --explain`: the pipe of separate executables that prints what `seq query` prints.
 * Each stage gets the same --spec and the flags it declares, so the two agree byte for byte.
 */
import { flagWords, type Command } from '../base/command.js';
import { shellQuote } from '../base/shell.js';

export interface ExplainStage {
  command: Command;
  /** Whether the stage has work: without a spec, a stage given none of its flags is left out. */
  needed: boolean;
}

/**
 * The pipe: each stage's command with the query's values of the flags it declares, the scan
 * stage with the paths. `output`: the file the pipe's output is sent to.
 */
export function explainPipeline(stages: ExplainStage[], values: Readonly<Record<string, unknown>>, paths: string[], output: string | undefined): string {
  // Paths that look like options are kept apart from them, as on the seq query command line.
  const operands = paths.some((path) => path.startsWith('-')) ? ['--', ...paths] : paths;
  const pipe = stages
    .filter((stage) => stage.needed)
    .map((stage, i) => [stage.command.name, ...flagWords(stage.command.flags, values), ...(i === 0 ? operands : [])])
    .map((words) => words.map(shellQuote).join(' '))
    .join(' \\\n  | ');
  return output === undefined ? pipe : `${pipe} \\\n  > ${shellQuote(output)}`;
}
