/**
 * How every executable starts (bin/*). Its code is two scripts (scripts/build.ts makes them):
 * dist/NAME.cjs, the parts every start runs (the command line, the commands' declarations), and
 * dist/NAME.work.cjs, the parts its commands load when they run. Each script is an object of
 * functions, one per part, and a part runs once per process, where it is first required, so
 * that the two scripts share one instance of each part. The work script is read only by a run
 * that requires one of its parts: `seq --version` reads none of the readers.
 *
 * Each script is compiled with V8's code cache beside it (FILE.cache), so that Node neither
 * parses it nor compiles the functions a start needs again at each start. The build writes the
 * caches by running each executable once with SEQ_WRITE_CODE_CACHE=1, then each work script
 * with every part run, so that a cache is made under the same Node and V8 flags as the
 * executable runs under (V8 refuses a cache made under others). A missing or refused cache only
 * costs the compile it would have saved. V8 knows a cache's script by its length alone, and takes
 * the cache of another script of the same length: the build removes the old caches first.
 *
 * This file is built on its own (dist/launch.cjs) and loads nothing of the project.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** What an executable's entry part exports. */
interface Entry {
  main(argv: string[]): unknown;
}

/** A part's code: a CommonJS module's body, and its file's URL (its `import.meta.url`). */
type Part = (exports: object, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string, url: string) => void;

interface Compiled {
  /** The exports of the script's entry part. */
  entry: Entry;
  script: Script;
  /** Whether V8 used the code cache beside the script (false when there is none, or V8 refused it). */
  cached: boolean;
}

/** The scripts this process read, by path. */
const scripts = new Map<string, Script>();
/** The parts of those scripts, by name, and the modules of those that ran. */
const parts = new Map<string, Part>();
const modules = new Map<string, { exports: unknown }>();
/** The work script of the executable, read at the first part the start's script lacks. */
let workScript: string | undefined;

/** A part's name, as the parts require each other (the entries are required by none). */
const PART = /^\.\/(part-[\w-]+\.cjs)$/;

/** Compiles and runs a script of parts (an absolute path), from its code cache where V8 takes it. */
function readScript(file: string): boolean {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // not built, or removed: compiled from the text
  }
  // esbuild writes ASCII only (non-ASCII characters as escapes), so latin1 reads it exactly, and faster.
  const script = new Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
  scripts.set(file, script);
  for (const [name, part] of Object.entries(script.runInThisContext() as Record<string, Part>)) parts.set(name, part);
  return cachedData !== undefined && !script.cachedDataRejected;
}

const folderUrls = new Map<string, string>();
const folderRequires = new Map<string, NodeJS.Require>();

/** A folder's file URL, made once: every part in it asks. */
function folderUrl(folder: string): string {
  const known = folderUrls.get(folder);
  if (known !== undefined) return known;
  const url = pathToFileURL(folder).href;
  folderUrls.set(folder, url);
  return url;
}

/** The `require` of the parts in a folder, made once: another part by its name, else what Node's require finds from there. */
function folderRequire(folder: string): NodeJS.Require {
  const known = folderRequires.get(folder);
  if (known !== undefined) return known;
  const nodeRequire = createRequire(join(folder, 'launch.cjs'));
  const require = Object.assign((id: string): unknown => {
    const m = PART.exec(id);
    return m === null ? nodeRequire(id) : requirePart(folder, m[1] as string);
  }, nodeRequire);
  folderRequires.set(folder, require);
  return require;
}

/**
 * A part's exports are getters (an ES module's bindings, live), which other parts' code calls at
 * every use. Once the part has run, no binding of the project's modules is assigned again (none
 * exports a `let`), so the parts that require it after get its values as plain properties, read
 * without a call. (A part that required it while it ran, in a cycle, keeps the getters.)
 */
function settled(exports: unknown): unknown {
  if (typeof exports !== 'object' || exports === null) return exports;
  const plain = {};
  for (const [key, property] of Object.entries(Object.getOwnPropertyDescriptors(exports)))
    Object.defineProperty(plain, key, { value: (exports as Record<string, unknown>)[key], enumerable: property.enumerable ?? false });
  return plain;
}

/** The exports of the part `name` of the scripts in `folder`, run at its first require. */
function requirePart(folder: string, name: string): unknown {
  const known = modules.get(name);
  if (known !== undefined) return known.exports;
  if (!parts.has(name) && workScript !== undefined && !scripts.has(workScript)) {
    if (!existsSync(workScript)) throw new Error(`${workScript} is missing: the build is not whole (run make build)`);
    readScript(workScript);
  }
  const part = parts.get(name);
  if (part === undefined) throw new Error(`${join(folder, name)}: no such part in the built scripts (run make build)`);
  const exports = {};
  const module: { exports: unknown } = { exports };
  modules.set(name, module);
  try {
    part.call(exports, exports, folderRequire(folder), module, join(folder, name), folder, `${folderUrl(folder)}/${name}`);
  } catch (error) {
    // As Node's loader does: a part that failed is run again by the next require, not given half made.
    modules.delete(name);
    throw error;
  }
  module.exports = settled(module.exports);
  return module.exports;
}

/** Reads the executable whose start script is `file` (an absolute path, dist/NAME.cjs) and runs its entry part. */
export function load(file: string): Compiled {
  workScript = file.replace(/\.cjs$/, '.work.cjs');
  const cached = readScript(file);
  return { entry: requirePart(dirname(file), basename(file)) as Entry, script: scripts.get(file) as Script, cached };
}

/** Writes the code cache of each script in `files` (default: every one this process read), holding what it compiled so far. */
function writeCaches(files: Iterable<string> = scripts.keys()): void {
  for (const file of files) {
    const script = scripts.get(file) as Script;
    const cacheFile = `${file}.cache`;
    writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
    renameSync(`${cacheFile}.tmp`, cacheFile);
  }
}

/** Runs the executable whose start script is `file` (an absolute path) with the command line's words. */
export function launch(file: string): void {
  // At exit, the caches hold the functions this run compiled too, not only the top level.
  if (process.env.SEQ_WRITE_CODE_CACHE === '1') process.once('exit', () => writeCaches());
  load(file).entry.main(process.argv.slice(2));
}

/** The build's last step for an executable (its start script `file`): runs every part of its work script, and writes that script's cache. */
export function cacheWork(file: string): void {
  const folder = dirname(file);
  load(file);
  const work = file.replace(/\.cjs$/, '.work.cjs');
  if (!scripts.has(work)) readScript(work);
  for (const name of [...parts.keys()]) requirePart(folder, name);
  writeCaches([work]);
}
