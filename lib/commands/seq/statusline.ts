/** `seq statusline`: Claude Code's status line, and `--install` to set it in the settings. */
import type { Command } from '../../base/command.js';

export const STATUSLINE_FLAGS = {
  install: {
    type: 'boolean',
    help: "Set seq statusline as the status line in Claude Code's settings (~/.claude/settings.json, or in $CLAUDE_CONFIG_DIR), keeping every other setting: this seq, by its path unless it is the seq found first on PATH",
  },
  settings: { type: 'string', complete: 'files', help: 'The settings file for --install (default ~/.claude/settings.json, or in $CLAUDE_CONFIG_DIR)' },
} as const;

export const SEQ_STATUSLINE: Command<typeof STATUSLINE_FLAGS> = {
  name: 'seq statusline',
  summary: "One line for Claude Code's status line: session, today, the running block",
  flags: STATUSLINE_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq statusline < status.json | seq statusline --install [--settings FILE]',
    description:
      "Read the JSON that Claude Code passes to its status line on stdin and print one line: the model, this session's cost, today's cost, and the 5-hour block running now with its cost, the time left and the burn rate. It reads Claude Code's logs only (the limits are Claude's): the session's files and those written lately, remembered for two minutes between prompts so that a prompt does not walk every folder. A problem prints one short line, never a trace.",
    examples: [
      ['seq statusline --install', "show it in Claude Code's status line"],
      ['echo \'{"session_id":"…","transcript_path":"…","model":{"display_name":"Opus"}}\' | seq statusline', 'what Claude Code runs'],
    ],
    epilogue: 'Exit status: 0 the line was printed; 1 it could not be (the line says why); 2 a usage error.',
  },
  run: (values, operands, program) => import('./statusline-work.js').then((work) => work.runStatusline(values, operands, program)),
};
