/** `seq-record install-hook`: adds the SessionEnd hook to a Claude Code settings file. */
import { join } from 'node:path';
import { ownCommand } from '../../base/shell.js';
import type { Command } from '../../base/command.js';
import { UsageError } from '../../base/errors.js';
import { userSettingsPath } from '../../runs/claude-settings.js';
import { installHook } from '../../runs/install-hook.js';

const FLAGS = {
  settings: { type: 'string', complete: 'files', help: 'The Claude Code settings file (default .claude/settings.json)' },
  user: { type: 'boolean', help: 'Into ~/.claude/settings.json (or $CLAUDE_CONFIG_DIR/settings.json), for every project' },
  command: { type: 'string', help: 'The command the hook runs (default: this seq-record, by its path, with "hook")' },
} as const;

export const SEQ_RECORD_INSTALL_HOOK: Command<typeof FLAGS> = {
  name: 'seq-record install-hook',
  summary: 'Add the SessionEnd hook to a Claude Code settings file',
  flags: FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq-record install-hook [--settings FILE | --user] [--command COMMAND]',
    description:
      "Add seq-record hook as a SessionEnd hook to Claude Code's settings, so that each session's token usage is kept for the next seq-record run. A settings file that already has it is left as it is.",
    examples: [
      ['seq-record install-hook', "into this project's .claude/settings.json"],
      ['seq-record install-hook --user', 'into ~/.claude/settings.json, for every project'],
    ],
    epilogue: 'Exit status: 0 installed or there already; 1 the settings cannot be read or written; 2 a usage error.',
  },
  run(values) {
    if (values.settings !== undefined && values.user === true) throw new UsageError('--settings and --user each name the file; give one of them');
    if (values.settings === '') throw new UsageError('--settings: no file named', 'give the settings file, or leave --settings out for .claude/settings.json');
    if (values.command !== undefined && values.command.trim() === '')
      throw new UsageError('--command: an empty command', 'leave --command out for this seq-record');
    const settings = values.settings ?? (values.user === true ? userSettingsPath() : join('.claude', 'settings.json'));
    const result = installHook(settings, values.command ?? `${ownCommand('seq-record')} hook`);
    process.stdout.write(`${result.message}\n`);
    return Promise.resolve(0);
  },
};
