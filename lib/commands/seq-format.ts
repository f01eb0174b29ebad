/** The `seq-format` executable: its command is declared in stages/format.ts. */
import { runCommand } from '../cli/command-line.js';
import { SEQ_FORMAT } from './stages/format.js';

export function main(argv: string[]): Promise<void> {
  return runCommand(SEQ_FORMAT, argv);
}
