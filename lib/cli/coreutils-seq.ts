/**
 * This toolkit's `seq` shares its name with coreutils' `seq` (the number printer), and an
 * `npm link` may put ours first on PATH. Scripts that run `seq 1 10` must keep working, so a
 * call that can only be meant for that program (numbers, or its options) is handed to it.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NUMBER_FIRST = /^[-+]?(\d|\.\d)/;
const ITS_OPTIONS = /^(-[fsw]|--format|--separator|--equal-width)/;

export function meantForCoreutils(argv: string[]): boolean {
  const first = argv[0];
  return first !== undefined && (NUMBER_FIRST.test(first) || ITS_OPTIONS.test(first));
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The next `seq` on PATH that is not this one. */
function otherSeq(self: string | undefined): string | undefined {
  const me = self === undefined ? undefined : realpath(self);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'seq');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const real = realpath(candidate);
    if (real !== undefined && real !== me && !real.endsWith('/bin/seq.js') && !real.includes('seq-agent-logs')) return candidate;
  }
  return undefined;
}

/** Runs coreutils' seq with these arguments; its exit status, or undefined when it is not installed. */
export function runCoreutilsSeq(argv: string[]): number | undefined {
  const program = otherSeq(process.argv[1]);
  if (program === undefined) return undefined;
  const result = spawnSync(program, argv, { stdio: 'inherit' });
  return result.status ?? 1;
}
