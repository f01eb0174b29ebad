/**
 * `seq statusline --install`: sets Claude Code's status line to seq's, keeping every other
 * setting; a status line of another command is left as it is. A settings file that does not
 * parse is never touched; the change is written atomically.
 */
import { InputError } from '../base/errors.js';
import { isJsonObject } from '../jsonl/json.js';
import { changeSettings } from './claude-settings.js';

/** A command that runs some seq's status line (`seq statusline`, `/path/to/seq statusline`, quoted or not). */
const RUNS_STATUS_LINE = /(^|[/\s'"])seq['"]?\s+statusline(\s|$)/;

/** Sets the status line to `command`; what it says of the change. */
export function installStatusLine(path: string, command: string): string {
  return changeSettings(path, 'seq statusline --install', (settings) => {
    const current = settings.statusLine;
    if (current !== undefined) {
      const runs = isJsonObject(current) && typeof current.command === 'string' ? current.command : undefined;
      if (runs !== undefined && RUNS_STATUS_LINE.test(runs)) return { result: `${path} already shows "${runs}" as its status line; nothing changed` };
      throw new InputError(
        `${path} already has a status line${runs === undefined ? '' : ` ("${runs}")`}; it was left as it was. Remove "statusLine" from it, then run seq statusline --install again`,
      );
    }
    return {
      settings: { ...settings, statusLine: { type: 'command', command, padding: 0 } },
      result: `added to ${path}: "statusLine": {"type":"command","command":${JSON.stringify(command)},"padding":0}`,
    };
  });
}
