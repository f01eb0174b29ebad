/** The inputs of a record stage: its positional files, or stdin when there are none. */
import type { Program } from './run.js';

export function stageInputs(paths: string[], program: Program): string[] {
  const inputs = paths.length > 0 ? paths : ['-'];
  if (inputs.includes('-') && process.stdin.isTTY) {
    program.warn('reading JSON Lines from the terminal; end with Ctrl-D, or give a FILE or a pipe');
  }
  return inputs;
}

/** Says so when a scan is about to read stdin from a terminal (it would look stuck otherwise). */
export function noteTerminalInput(readsStdin: boolean, roots: string[], program: Program): void {
  if (readsStdin && (roots.length === 0 || roots.includes('-'))) stageInputs(roots.length === 0 ? [] : roots, program);
}
