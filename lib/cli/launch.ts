/**
 * How every executable starts (bin/*): its bundle (dist/NAME.cjs) is compiled with V8's code
 * cache beside it (dist/NAME.cjs.cache), so that Node neither parses the bundle nor compiles the
 * functions a start needs (yargs, the command's declaration) again at each start. The build
 * writes the caches by running each executable once with SEQ_WRITE_CODE_CACHE=1, so that a cache
 * is made under the same Node and V8 flags as the executable runs under (V8 refuses a cache made
 * under others). A missing or refused cache only costs the compile it would have saved. V8 knows
 * a cache's bundle by its length alone, and takes the cache of another bundle of the same length:
 * the build removes the old caches before it makes the new ones.
 *
 * This file is built on its own (dist/launch.cjs) and loads nothing of the project.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

interface Bundle {
  main(argv: string[]): unknown;
}

interface Compiled {
  bundle: Bundle;
  script: Script;
  /** Whether V8 used the code cache beside the bundle (false when there is none, or V8 refused it). */
  cached: boolean;
}

/** Compiles and runs the bundle in `file` (an absolute path), from its code cache where V8 takes it. */
export function load(file: string): Compiled {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // not built, or removed: compiled from the text
  }
  // esbuild writes ASCII only (non-ASCII characters as escapes), so latin1 reads it exactly, and faster.
  const script = new Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  const module = { exports: {} as Bundle };
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { bundle: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** Runs the executable bundled in `file` (an absolute path) with the command line's words. */
export function launch(file: string): void {
  const { bundle, script } = load(file);
  if (process.env.SEQ_WRITE_CODE_CACHE === '1') {
    // At exit, the cache holds the functions this run compiled too, not only the top level.
    process.once('exit', () => {
      const cacheFile = `${file}.cache`;
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    });
  }
  bundle.main(process.argv.slice(2));
}
