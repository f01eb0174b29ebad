/** `seq statusline`: Claude Code's status line, and `--install` to set it in the settings. */
import { readFileSync } from 'node:fs';
import type { Command } from '../../base/command.js';
import { errorReason, UsageError } from '../../base/errors.js';
import { ownCommand } from '../../base/shell.js';
import { InputProblems } from '../../jsonl/problems.js';
import { now } from '../../time/now.js';
import { readStatusInput, statusFigures, statusText } from '../../reports/statusline.js';
import { userSettingsPath } from '../../runs/claude-settings.js';
import { installStatusLine } from '../../runs/install-status-line.js';

const FLAGS = {
  install: {
    type: 'boolean',
    help: "Set seq statusline as the status line in Claude Code's settings (~/.claude/settings.json, or in $CLAUDE_CONFIG_DIR), keeping every other setting: this seq, by its path unless it is the seq found first on PATH",
  },
  settings: { type: 'string', complete: 'files', help: 'The settings file for --install (default ~/.claude/settings.json, or in $CLAUDE_CONFIG_DIR)' },
} as const;

export const SEQ_STATUSLINE: Command<typeof FLAGS> = {
  name: 'seq statusline',
  summary: "One line for Claude Code's status line: session, today, the running block",
  flags: FLAGS,
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
  async run(values, _operands, program) {
    if (values.install === true) {
      if (values.settings === '') throw new UsageError('--settings: no file named', 'give the settings file, or leave --settings out for the default');
      const settings = values.settings ?? userSettingsPath();
      process.stdout.write(`${installStatusLine(settings, `${ownCommand('seq')} statusline`)}\n`);
      return 0;
    }
    if (values.settings !== undefined) throw new UsageError('--settings is for --install', 'seq statusline --install --settings FILE');
    try {
      const input = readStatusInput(process.stdin.isTTY ? '' : readFileSync(0, 'utf8'));
      // Logs that could not be read make the figures short: the line says so, stderr names them, the status is 1.
      const problems = new InputProblems(false, program.warn);
      const figures = await statusFigures(input, now(), problems);
      process.stdout.write(`${statusText(input, figures)}${problems.failed ? ' | some logs could not be read' : ''}\n`);
      for (const line of problems.summary()) program.warn(line);
      return problems.failed ? 1 : 0;
    } catch (error) {
      // The line is the user's prompt: a reason, never a stack trace.
      process.stdout.write(`seq: ${errorReason(error)}\n`);
      if (process.env.SEQ_DEBUG === '1') program.warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return 1;
    }
  },
};
