/** What `seq-record run` runs: its declaration (run.ts) loads this when it runs. */
import { gitChangeCounts } from '../../runs/git.js';
import { type Pending, readPending, takePending, withPendingUsage } from '../../runs/pending.js';
import { InputError } from '../../base/errors.js';
import { runFromFlags } from '../../runs/record.js';
import { appendRuns, storePath } from '../../runs/store.js';
import { recordedLine, sayer } from './shared.js';
import { counted } from '../../base/plural.js';
import type { RECORD_RUN_FLAGS } from './run.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { RUN_FLAGS, type RunFlags } from '../../runs/flags.js';

export async function runRecordRun(values: Values<typeof RECORD_RUN_FLAGS>, _operands: string[], program: Program): Promise<number | undefined> {
  const say = sayer(values.quiet, program);
  const path = storePath(values.store);
  const flags: RunFlags = { ...values };
  const base = values['from-git'];
  if (base !== undefined) {
    const counts = gitChangeCounts(base);
    flags['files-changed'] ??= String(counts.filesChanged);
    flags['lines-added'] ??= String(counts.linesAdded);
  }
  const runs = [runFromFlags(flags)];
  const given = new Set(Object.keys(RUN_FLAGS).filter((flag) => flags[flag as keyof RunFlags] !== undefined));
  const result = appendRuns(path, runs, {
    prepare(fresh) {
      let pending: Pending;
      try {
        pending = readPending(path, program.warn);
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`${error.message}; the run was not recorded`);
        throw error;
      }
      if (pending.files.length === 0 || fresh.length === 0) return { runs: fresh, stored: () => undefined };
      return {
        runs: fresh.map((run) => withPendingUsage(run, pending.total, given)),
        stored: () => {
          takePending(path, pending, program.warn);
          say(`added the token usage of ${counted(pending.files.length, 'ended Claude Code session')} to the run`);
        },
      };
    },
  });
  process.stdout.write(`${runs[0]?.id ?? ''}\n`);
  say(recordedLine(path, result));
  return 0;
}
