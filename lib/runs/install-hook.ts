/**
 * `seq-record install-hook`: adds the SessionEnd hook to Claude Code's settings
 * (`.claude/settings.json` of the project by default), keeping every other setting and hook.
 * A settings file that does not parse is never touched; the change is written atomically.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError, errorReason } from '../base/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../jsonl/json.js';
import { findJsonProblem } from '../jsonl/json-errors.js';
import { writeFileAtomically } from '../storage/atomic-write.js';

export interface InstallResult {
  changed: boolean;
  message: string;
}

function readSettings(path: string): JsonObject {
  if (!existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${errorReason(error)}; it was left untouched (give the settings file with --settings)`);
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const problem = findJsonProblem(text);
    throw new InputError(`${path} is not valid JSON${problem ? ` (${problem.message})` : ''}; it was left untouched. Fix it, then run install-hook again`);
  }
  if (!isJsonObject(value)) throw new InputError(`${path} is not a JSON object; it was left untouched`);
  return value;
}

function writeSettings(path: string, settings: JsonObject): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomically(path, `${JSON.stringify(settings, null, 2)}\n`, 0o644);
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${errorReason(error)}; it was left as it was`);
  }
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
  const settings = readSettings(path);
  const existing = sessionEndCommands(settings).find((c) => c === command || RUNS_HOOK.test(c));
  if (existing !== undefined) return { changed: false, message: `${path} already runs "${existing}" at SessionEnd; nothing changed` };
  if (settings.hooks !== undefined && !isJsonObject(settings.hooks)) throw new InputError(`${path}: "hooks" is not an object; it was left untouched`);
  const hooks: JsonObject = { ...(settings.hooks ?? {}) };
  if (hooks.SessionEnd !== undefined && !Array.isArray(hooks.SessionEnd))
    throw new InputError(`${path}: "hooks.SessionEnd" is not a list; it was left untouched`);
  const entry: JsonValue = { hooks: [{ type: 'command', command }] };
  hooks.SessionEnd = [...((hooks.SessionEnd as JsonValue[] | undefined) ?? []), entry];
  writeSettings(path, { ...settings, hooks });
  return { changed: true, message: `added to ${path}: hooks.SessionEnd += {"hooks":[{"type":"command","command":${JSON.stringify(command)}}]}` };
}
