/** Making a folder and the folders above it, with the reason a person can act on when it fails. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`. Node's recursive mkdir says "no such file" for what stopped it (a read-only file
 * system, a file in the way); the first folder that cannot be made is then made alone, so that
 * the error thrown is its own.
 */
export function makeFolder(path: string, mode?: number): void {
  try {
    mkdirSync(path, { recursive: true, mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let first = path;
    while (dirname(first) !== first && !existsSync(dirname(first))) first = dirname(first);
    mkdirSync(first, { mode }); // throws the real reason; where it does not, the first error stands
    throw error;
  }
}
