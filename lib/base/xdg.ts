/** The XDG base folders, read as the specification says: a variable that is not an absolute path is ignored. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type XdgVariable = 'XDG_CACHE_HOME' | 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME';

/** The variable's folder where it is set to an absolute path; undefined otherwise. */
export function xdgValue(variable: XdgVariable): string | undefined {
  const value = process.env[variable];
  return value !== undefined && isAbsolute(value) ? value : undefined;
}

/** The variable's folder, else its default under the home folder (`.cache`, `.config`, `.local/share`). */
export function xdgFolder(variable: XdgVariable, fallback: string): string {
  return xdgValue(variable) ?? join(homedir(), fallback);
}
