/** `seq-record install-hook`: adds the SessionEnd hook to a Claude Code settings file. */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Command } from '../../base/command.js';
import { installHook } from '../../runs/install-hook.js';

/**
 * The command the hook entry runs: `seq-record hook` when the seq-record found on PATH is this
 * one (a settings file shared with a team then works on every machine), else this seq-record by
 * its absolute path, which works without PATH.
 */
function hookCommand(): string {
  const self = resolve(process.argv[1] ?? 'seq-record');
  const real = (path: string): string | undefined => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'seq-record'))
    .find((candidate) => existsSync(candidate));
  if (onPath !== undefined && real(onPath) === real(self)) return 'seq-record hook';
  const quoted = /^[A-Za-z0-9_./-]+$/.test(self) ? self : `'${self.replace(/'/g, "'\\''")}'`;
  return `${quoted} hook`;
}

const FLAGS = {
  settings: { type: 'string', complete: 'files', help: 'The Claude Code settings file (default .claude/settings.json)' },
  user: { type: 'boolean', help: 'Into ~/.claude/settings.json, for every project' },
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
    const settings = values.settings ?? (values.user === true ? join(homedir(), '.claude', 'settings.json') : join('.claude', 'settings.json'));
    const result = installHook(settings, values.command ?? hookCommand());
    process.stdout.write(`${result.message}\n`);
    return Promise.resolve(0);
  },
};
