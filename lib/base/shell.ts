import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const SAFE = /^[A-Za-z0-9@%_+=:,./-]+$/;

/** A word as a POSIX shell reads it back: as it is where it holds nothing the shell would act on, else in single quotes. */
export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * How a command written into another program's settings runs this executable (`name`): by its
 * name where the one found first on PATH is this one (a settings file shared with a team then
 * works on every machine), else by its absolute path, which works whatever PATH holds (coreutils
 * has a `seq` of its own).
 */
export function ownCommand(name: string): string {
  const self = resolve(process.argv[1] ?? name);
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate));
  if (onPath !== undefined && realPath(onPath) === realPath(self)) return name;
  return shellQuote(self);
}
