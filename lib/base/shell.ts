import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const SAFE = /^[A-Za-z0-9@%_+=:,./-]+$/;

/** A word as a POSIX shell reads it back: as it is where it holds nothing the shell would act on, else in single quotes. */
export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A path with its links resolved; undefined where it leads nowhere. */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The executables named `name` on PATH, in its order: what a shell would run, then what it would run were that one gone. */
export function onPath(name: string): string[] {
  const found: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      found.push(candidate);
    } catch {
      // not there, or not to be run
    }
  }
  return found;
}

/**
 * How a command written into another program's settings runs this executable (`name`): by its
 * name where the one found first on PATH is this one (a settings file shared with a team then
 * works on every machine), else by its absolute path, which works whatever PATH holds (coreutils
 * has a `seq` of its own).
 */
export function ownCommand(name: string): string {
  const self = resolve(process.argv[1] ?? name);
  const first = onPath(name)[0];
  if (first !== undefined && realPath(first) === realPath(self)) return name;
  return shellQuote(self);
}
