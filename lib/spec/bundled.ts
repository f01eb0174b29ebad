/** The spec files that come with seq (specs/), found from where this code runs: dist/ or lib/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let folder: string | undefined;

/** The path of `specs/<name>.json` in seq's own folder. */
export function bundledSpec(name: string): string {
  if (folder === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'specs', 'daily.json')) && dirname(dir) !== dir) dir = dirname(dir);
    folder = join(dir, 'specs');
  }
  return join(folder, `${name}.json`);
}
