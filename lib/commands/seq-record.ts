/** The `seq-record` executable: its commands are declared in record/. */
import { runCommand } from '../cli/command-line.js';
import { SEQ_RECORD } from './record/record.js';

export function main(argv: string[]): Promise<void> {
  return runCommand(SEQ_RECORD, argv);
}
