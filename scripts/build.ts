/**
 * `npm run build`: the executables' scripts in dist/, and their V8 code caches.
 *
 * The commands' declarations load their work with `import()` (lib/commands), and the build splits
 * the code there: esbuild splits only ES modules, so the code is built as ES modules sharing
 * chunks ("parts"), each then turned into a CommonJS module's body (its imports into `require`,
 * `import()` into a `require` at that point). Each executable gets two scripts of parts: what its
 * every start runs (dist/NAME.cjs) and what its commands load when they run (dist/NAME.work.cjs).
 * lib/cli/launch.ts reads them, each from its code cache, and runs each part once per process.
 * The worker of the reading threads is one CommonJS bundle of its own: a worker starts it with
 * Node's `require`.
 *
 * The caches are written by running each executable with `--version` (what every start compiles:
 * the parts' top level, the parser), then each work script with every part run, all under the
 * Node flags of the executables' first line: V8 refuses a cache made under other flags.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin, transformSync } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const EXECUTABLES = readdirSync(join(ROOT, 'bin')).filter((name) => name.startsWith('seq'));

/**
 * yargs reads the terminal's width when it loads (`process.stdout.columns`), which makes Node's
 * stdout stream at every start; seq gives yargs its width, so the read is made a getter, read
 * only if yargs ever asks. The build fails if yargs no longer reads it so.
 */
const lazyColumns: Plugin = {
  name: 'lazy-columns',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const read = "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null";
      if (!text.includes(read)) return { errors: [{ text: `${args.path} no longer reads the width as scripts/build.ts expects` }] };
      return { contents: text.replace(read, `get stdColumns() { return ${read.slice('stdColumns: '.length)}; }`), loader: 'js' };
    });
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  external: ['@duckdb/node-api', 'better-sqlite3'],
  alias: {
    'readable-stream': 'node:stream',
    'string-width': './lib/cli/string-width.ts',
    assert: './lib/cli/assert.ts',
  },
  // A part's import.meta.url is given by the launcher (a function's parameter in the pack, below);
  // the bundles built whole declare it in their banner.
  define: { 'import.meta.url': '__seqModuleUrl' },
  absWorkingDir: ROOT,
  plugins: [lazyColumns],
};

rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST);

/** Parts as one script: an object of functions, each run (by lib/cli/launch.ts) when its part is first required. */
function pack(names: string[], parts: Map<string, string>): string {
  const entries = names.map(
    (name) => `${JSON.stringify(name)}: function (exports, require, module, __filename, __dirname, __seqModuleUrl) {\n${parts.get(name)}\n}`,
  );
  return `({\n${entries.join(',\n')}\n})\n`;
}

// Each executable is built on its own, so that its parts are split only where its own commands
// load their work, and packed as two scripts: what every start runs (its entry and the parts it
// imports), and its work (the parts its commands load with import()), read only by a run that
// needs it.
const splitOutputs: Record<string, Metafile['outputs'][string]> = {};
const splitInputs: Metafile['inputs'] = {};
for (const name of EXECUTABLES) {
  const split = await build({
    ...common,
    entryPoints: [`lib/commands/${name}.ts`],
    format: 'esm',
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'part-[hash]',
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
    write: false,
    metafile: true,
  });
  /** Each part (the entry or a chunk) as a CommonJS module's body, by its name in dist/. */
  const parts = new Map<string, string>();
  for (const output of split.outputFiles) {
    const script = transformSync(output.text, {
      format: 'cjs',
      target: 'node20',
      // The parts are scripts: an import() of one becomes the launcher's require at that point.
      supported: { 'dynamic-import': false },
      legalComments: 'none',
    });
    parts.set(basename(output.path), script.code);
  }
  /** The parts `part` imports, each once, itself first: `lazily` adds those it loads with import(). */
  const closure = (entry: string, lazily: boolean): string[] => {
    const found = new Set<string>();
    const visit = (part: string): void => {
      if (found.has(part)) return;
      found.add(part);
      for (const imported of split.metafile.outputs[`dist/${part}`]?.imports ?? []) {
        const follows = imported.kind === 'import-statement' || (lazily && imported.kind === 'dynamic-import');
        if (follows && imported.path.startsWith('dist/')) visit(basename(imported.path));
      }
    };
    visit(entry);
    return [...found];
  };
  const start = closure(`${name}.cjs`, false);
  const work = closure(`${name}.cjs`, true).filter((part) => !start.includes(part));
  writeFileSync(join(DIST, `${name}.cjs`), pack(start, parts));
  writeFileSync(join(DIST, `${name}.work.cjs`), pack(work, parts));
  Object.assign(splitOutputs, split.metafile.outputs);
  Object.assign(splitInputs, split.metafile.inputs);
}

/** The module URL of a bundle built whole, as the parts get theirs from the launcher. */
const banner = { js: "const __seqModuleUrl = require('node:url').pathToFileURL(__filename).href;" };
const worker = await build({
  ...common,
  banner,
  entryPoints: ['lib/sources/read-worker.ts'],
  format: 'cjs',
  outfile: 'dist/read-worker.cjs',
  metafile: true,
});
const launcher = await build({
  ...common,
  banner,
  entryPoints: ['lib/cli/launch.ts'],
  format: 'cjs',
  outfile: 'dist/launch.cjs',
  metafile: true,
});
const inputs = { ...splitInputs, ...worker.metafile?.inputs, ...launcher.metafile?.inputs };
const outputs = { ...splitOutputs, ...worker.metafile?.outputs, ...launcher.metafile?.outputs };
writeFileSync(join(DIST, 'meta.json'), `${JSON.stringify({ inputs, outputs }, null, 1)}\n`);

const flags = (readFileSync(join(ROOT, 'bin', 'seq'), 'utf8').split('\n')[0] ?? '')
  .replace(/^#!\/usr\/bin\/env -S node/, '')
  .trim()
  .split(/\s+/)
  .filter(Boolean);
const run = (args: string[], env: NodeJS.ProcessEnv): void => {
  const r = spawnSync(process.execPath, [...flags, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`writing the code caches: node ${args.join(' ')} exited ${r.status ?? r.signal}`);
};
for (const name of EXECUTABLES) {
  run([join(ROOT, 'bin', name), '--version'], { SEQ_WRITE_CODE_CACHE: '1' });
  run(['-e', `require(${JSON.stringify(join(DIST, 'launch.cjs'))}).cacheWork(${JSON.stringify(join(DIST, `${name}.cjs`))})`], {});
}
