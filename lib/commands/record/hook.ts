/** `seq-record hook`: Claude Code's SessionEnd hook, keeping the session's token usage for the next run. */
import type { Command } from '../../base/command.js';
import { RECORD_EXIT_STATUS, RECORD_FLAGS } from './shared.js';

export const SEQ_RECORD_HOOK: Command<typeof RECORD_FLAGS> = {
  name: 'seq-record hook',
  summary: "Claude Code's SessionEnd hook: keep a session's tokens",
  flags: RECORD_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq-record hook [--store PATH]          (reads the hook JSON on stdin)',
    description:
      "A Claude Code SessionEnd hook. It reads {session_id, transcript_path, cwd} on stdin, sums the session's usage from the transcript and its subagents (one usage per message.id and requestId, the largest), and keeps it in .token-usage-<session>.json beside the store, for the next seq-record run.",
    examples: [
      ['seq-record install-hook', 'set it up for this project'],
      ['echo \'{"session_id":"…","transcript_path":"…"}\' | seq-record hook', 'what Claude Code runs when a session ends'],
    ],
    epilogue: RECORD_EXIT_STATUS,
  },
  run: (values, operands, program) => import('./hook-work.js').then((work) => work.runRecordHook(values, operands, program)),
};
