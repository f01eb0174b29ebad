/**
 * `seq-record install-hook`: adds the SessionEnd hook to Claude Code's settings
 * (`.claude/settings.json` of the project by default), keeping every other setting and hook.
 * A settings file that does not parse is never touched; the change is written atomically.
 */
import { InputError } from '../base/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../jsonl/json.js';
import { changeSettings } from './claude-settings.js';

export interface InstallResult {
  changed: boolean;
  message: string;
}

/** Every command of the settings' SessionEnd hooks. */
function sessionEndCommands(settings: JsonObject): string[] {
  const hooks = settings.hooks;
  if (!isJsonObject(hooks) || !Array.isArray(hooks.SessionEnd)) return [];
  return hooks.SessionEnd.flatMap((group) => (isJsonObject(group) && Array.isArray(group.hooks) ? group.hooks : [])).flatMap((hook) =>
    isJsonObject(hook) && typeof hook.command === 'string' ? [hook.command] : [],
  );
}

/** A command that runs some seq-record's hook (`seq-record hook`, `/path/to/seq-record hook`, quoted or not). */
const RUNS_HOOK = /(^|[/\s'"])seq-record['"]?\s+hook(\s|$)/;

export function installHook(path: string, command: string): InstallResult {
  return changeSettings<InstallResult>(path, 'install-hook', (settings) => {
    const existing = sessionEndCommands(settings).find((c) => c === command || RUNS_HOOK.test(c));
    if (existing !== undefined) return { result: { changed: false, message: `${path} already runs "${existing}" at SessionEnd; nothing changed` } };
    if (settings.hooks !== undefined && !isJsonObject(settings.hooks)) throw new InputError(`${path}: "hooks" is not an object; it was left untouched`);
    const hooks: JsonObject = { ...(settings.hooks ?? {}) };
    if (hooks.SessionEnd !== undefined && !Array.isArray(hooks.SessionEnd))
      throw new InputError(`${path}: "hooks.SessionEnd" is not a list; it was left untouched`);
    const entry: JsonValue = { hooks: [{ type: 'command', command }] };
    hooks.SessionEnd = [...((hooks.SessionEnd as JsonValue[] | undefined) ?? []), entry];
    return {
      settings: { ...settings, hooks },
      result: { changed: true, message: `added to ${path}: hooks.SessionEnd += {"hooks":[{"type":"command","command":${JSON.stringify(command)}}]}` },
    };
  });
}
