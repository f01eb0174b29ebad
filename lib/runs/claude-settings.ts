/**
 * Claude Code's settings file, as seq's installers change it: read whole (a file that does not
 * parse, or that is read-only, is never touched), written back atomically with every other
 * setting kept, under a lock so that two installers at once both keep their change.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError, errorReason } from '../base/errors.js';
import { isJsonObject, type JsonObject } from '../jsonl/json.js';
import { invalidJson } from '../jsonl/json-errors.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { listEnv } from '../sources/common/environment.js';
import { makeFolder } from '../storage/folders.js';
import { LockError, withLock } from '../storage/lock.js';

/**
 * Claude Code's own settings for every project: in $CLAUDE_CONFIG_DIR where that is set (the
 * first of its folders, where it lists several), else in ~/.claude.
 */
export function userSettingsPath(): string {
  return join(listEnv('CLAUDE_CONFIG_DIR')[0] ?? join(homedir(), '.claude'), 'settings.json');
}

/** `installer`: what to run again once the file is fixed. */
function readSettings(path: string, installer: string): JsonObject {
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

function writeSettings(path: string, settings: JsonObject): void {
  // A rename would replace a file its owner made read-only: that is a file not to change.
  if (existsSync(path)) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new InputError(`cannot write ${path}: ${errorReason(error)}; it was left as it was (make it writable, or give another file with --settings)`);
    }
  }
  try {
    writeFileAtomically(path, `${JSON.stringify(settings, null, 2)}\n`, 0o644);
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${errorReason(error)}; it was left as it was`);
  }
}

const LOCK_WAIT_MS = 10_000;

/**
 * Reads the settings and writes the `settings` that `change` returns (where it returns none, the
 * file is left as it is), all under the file's lock. `installer`: the command to run again once a
 * file is fixed.
 */
export function changeSettings<T>(path: string, installer: string, change: (settings: JsonObject) => { settings?: JsonObject; result: T }): T {
  try {
    makeFolder(dirname(path));
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${errorReason(error)}; it was left as it was`);
  }
  try {
    return withLock(
      path,
      () => {
        const { settings, result } = change(readSettings(path, installer));
        if (settings !== undefined) writeSettings(path, settings);
        return result;
      },
      LOCK_WAIT_MS,
    );
  } catch (error) {
    if (!(error instanceof LockError)) throw error;
    throw new InputError(
      error.busy
        ? `${path} stayed locked by another installer (its lock: ${error.lock}); it was left as it was. Run ${installer} again`
        : `cannot lock ${path}: ${error.message}; it was left as it was (its folder must be writable)`,
    );
  }
}
