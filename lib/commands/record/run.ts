/** `seq-record run`: one run from flags, with the token usage the SessionEnd hook kept. */
import type { Command } from '../../base/command.js';
import { gitChangeCounts } from '../../runs/git.js';
import { type Pending, readPending, takePending, withPendingUsage } from '../../runs/pending.js';
import { InputError } from '../../base/errors.js';
import { RUN_FLAGS, type RunFlags, runFromFlags } from '../../runs/record.js';
import { appendRuns, storePath } from '../../runs/store.js';
import { RECORD_EXIT_STATUS, RECORD_FLAGS, recordedLine, sayer, STORE_NOTE } from './shared.js';
import { counted } from '../../base/plural.js';

const FLAGS = {
  ...RECORD_FLAGS,
  ...RUN_FLAGS,
  'from-git': { type: 'string', help: 'Files changed and lines added from git diff --numstat BASE (only the counts are kept)' },
} as const;

export const SEQ_RECORD_RUN: Command<typeof FLAGS> = {
  name: 'seq-record run',
  summary: 'Record one run from flags',
  flags: FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq-record run --issues N[,N...] --outcome OUTCOME [run flags] [--from-git BASE] [--store PATH]',
    description:
      'Record one run from flags and print its id. Token usage kept by the SessionEnd hook (seq-record hook) is added to it (tokensUsed = input + output, cacheTokens = cache creation + read, inputTokens, outputTokens; a token flag given wins), and the kept files are removed once the run is stored.',
    examples: [
      [
        'seq-record run --issues 12,13 --outcome success --phases spec,exec,qa --duration 510 --model opus --flags=--chain --files-changed 6 --lines-added 380 --qa-iterations 1 --acceptance-criteria 4',
        'record one run',
      ],
      ['seq-record run --issues 12 --outcome success --from-git main', 'files changed and lines added since main; the kept session tokens are added'],
    ],
    epilogue: `${STORE_NOTE}\n\n${RECORD_EXIT_STATUS}`,
  },
  run(values, _operands, program) {
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
    return Promise.resolve(0);
  },
};
