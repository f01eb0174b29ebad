/**
 * This toolkit's `seq` shares its name with coreutils' `seq` (the number printer), and an
 * `npm link` may put ours first on PATH. Scripts that run `seq 1 10` must keep working, so a
 * call that can only be meant for that program (numbers, or its options) is handed to it.
 */
import { constants as osConstants } from 'node:os';
import { nodeChildProcess } from '../base/builtins.js';
import { onPath, realPath } from '../base/shell.js';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * True when the words can only be coreutils' `seq [-w] [-f FORMAT] [-s SEP] [FIRST [INCR]] LAST`:
 * one to three numbers, last, and nothing but its options before them. Anything else, such as
 * `seq -f csv datasets`, is this seq's (whose -f, -s and -w are --format, --select, --where).
 */
export function meantForCoreutils(argv: string[]): boolean {
  let numbers = 0;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (NUMBER.test(word)) {
      numbers++;
      continue;
    }
    if (numbers > 0) return false; // options and words after the numbers: not coreutils
    if (word === '-w' || word === '--equal-width') continue;
    if (word === '-f' || word === '-s' || word === '--format' || word === '--separator') {
      i++; // its value
      continue;
    }
    if (/^(-[fs].+|--format=.*|--separator=.*)$/.test(word)) continue;
    return false;
  }
  return numbers >= 1 && numbers <= 3;
}

/** The next `seq` on PATH that is not this one. */
function otherSeq(self: string | undefined): string | undefined {
  const me = self === undefined ? undefined : realPath(self);
  return onPath('seq').find((candidate) => {
    const real = realPath(candidate);
    return real !== undefined && real !== me && !real.endsWith('/bin/seq.js') && !real.includes('seq-agent-logs');
  });
}

/** Runs coreutils' seq with these arguments; its exit status, or undefined when it is not installed. */
export function runCoreutilsSeq(argv: string[]): number | undefined {
  const program = otherSeq(process.argv[1]);
  if (program === undefined) return undefined;
  const result = nodeChildProcess().spawnSync(program, argv, { stdio: 'inherit' });
  // Killed by a signal (SIGPIPE under `| head`): the status a shell gives such a death, 128 + its number.
  if (result.signal !== null) return 128 + (osConstants.signals[result.signal] ?? 0);
  return result.status ?? 1;
}
