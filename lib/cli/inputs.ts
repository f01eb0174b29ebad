/** The inputs of a record stage, and a word when stdin is a terminal (else it looks stuck). */
import type { Program } from '../base/program.js';

function warnIfTerminal(program: Program): void {
  if (process.stdin.isTTY) program.warn('reading JSON Lines from the terminal; end with Ctrl-D, or give a FILE or a pipe');
}

/** A stage's positional files, or stdin (`-`) when there are none. */
export function stageInputs(paths: string[], program: Program): string[] {
  const inputs = paths.length > 0 ? paths : ['-'];
  if (inputs.includes('-')) warnIfTerminal(program);
  return inputs;
}

/** Before a scan: the dataset reads stdin when it reads JSON Lines and has no input or `-`. */
export function noteTerminalInput(readsStdin: boolean, roots: string[], program: Program): void {
  if (readsStdin && (roots.length === 0 || roots.includes('-'))) warnIfTerminal(program);
}
