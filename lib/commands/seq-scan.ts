/** The `seq-scan` executable: its command is declared in stages/scan.ts. */
import { runCommand } from '../cli/command-line.js';
import { SEQ_SCAN } from './stages/scan.js';

export function main(argv: string[]): Promise<void> {
  return runCommand(SEQ_SCAN, argv);
}
