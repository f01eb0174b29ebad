/** `seq-record hook`: Claude Code's SessionEnd hook, keeping the session's token usage for the next run. */
import type { Command } from '../../base/command.js';
import { runHook } from '../../reports/session-end-hook.js';
import { RECORD_EXIT_STATUS, RECORD_FLAGS, sayer } from './shared.js';
import { counted } from '../../base/plural.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

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
  async run(values, _operands, program) {
    const say = sayer(values.quiet, program);
    const { path: kept, usage, used, problems } = await runHook(await readStdin(), values.store, program.warn);
    for (const line of problems.summary()) program.warn(line);
    if (kept === undefined && used.requests === 0) say('the transcript holds no token usage of the session; nothing kept');
    else if (kept === undefined) say('nothing new in the session since the last run took its tokens; nothing kept');
    else
      say(
        `kept the session's token usage (${counted(usage.requests, 'request')}, ${usage.input_tokens + usage.output_tokens} input + output tokens) in ${kept} for the next run`,
      );
    return 0;
  },
};
