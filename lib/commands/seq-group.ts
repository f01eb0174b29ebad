/** The `seq-group` executable: its command is declared in stages/group.ts. */
import { runCommand } from '../cli/command-line.js';
import { SEQ_GROUP } from './stages/group.js';

export function main(argv: string[]): Promise<void> {
  return runCommand(SEQ_GROUP, argv);
}
