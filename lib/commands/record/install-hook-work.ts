/** What `seq-record install-hook` runs: its declaration (install-hook.ts) loads this when it runs. */
import { join } from 'node:path';
import { ownCommand } from '../../base/shell.js';
import { UsageError } from '../../base/errors.js';
import { userSettingsPath } from '../../runs/claude-settings.js';
import { installHook } from '../../runs/install-hook.js';
import type { INSTALL_HOOK_FLAGS } from './install-hook.js';
import type { Values } from '../../base/command.js';

export async function runInstallHook(values: Values<typeof INSTALL_HOOK_FLAGS>): Promise<number | undefined> {
  if (values.settings !== undefined && values.user === true) throw new UsageError('--settings and --user each name the file; give one of them');
  if (values.settings === '') throw new UsageError('--settings: no file named', 'give the settings file, or leave --settings out for .claude/settings.json');
  if (values.command !== undefined && values.command.trim() === '')
    throw new UsageError('--command: an empty command', 'leave --command out for this seq-record');
  const settings = values.settings ?? (values.user === true ? userSettingsPath() : join('.claude', 'settings.json'));
  const result = installHook(settings, values.command ?? `${ownCommand('seq-record')} hook`);
  process.stdout.write(`${result.message}\n`);
  return 0;
}
