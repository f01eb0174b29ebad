/**
 * Claude Code's settings file, as seq's installers change it: read whole (a file that does not
 * parse is never touched), written back atomically with every other setting kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError, errorReason } from '../base/errors.js';
import { isJsonObject, type JsonObject } from '../jsonl/json.js';
import { invalidJson } from '../jsonl/json-errors.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { listEnv } from '../sources/common/environment.js';
import { makeFolder } from '../storage/folders.js';

/**
 * Claude Code's own settings for every project: in $CLAUDE_CONFIG_DIR where that is set (the
 * first of its folders, where it lists several), else in ~/.claude.
 */
export function userSettingsPath(): string {
  return join(listEnv('CLAUDE_CONFIG_DIR')[0] ?? join(homedir(), '.claude'), 'settings.json');
}

/** `installer`: what to run again once the file is fixed. */
export function readSettings(path: string, installer: string): JsonObject {
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
    throw new InputError(`${path}: ${invalidJson(text)}; it was left untouched. Fix it, then run ${installer} again`);
  }
  if (!isJsonObject(value)) throw new InputError(`${path} is not a JSON object; it was left untouched`);
  return value;
}

export function writeSettings(path: string, settings: JsonObject): void {
  try {
    makeFolder(dirname(path));
    writeFileAtomically(path, `${JSON.stringify(settings, null, 2)}\n`, 0o644);
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${errorReason(error)}; it was left as it was`);
  }
}
