/** The `seq-filter` executable: its command is declared in stages/filter.ts. */
import { runCommand } from '../cli/command-line.js';
import { SEQ_FILTER } from './stages/filter.js';

export function main(argv: string[]): Promise<void> {
  return runCommand(SEQ_FILTER, argv);
}
