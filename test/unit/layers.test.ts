/**
 * The floors of lib/ (docs/architecture.md lists them, and this test reads that list): a file
 * imports only from its own floor and the floors below; no import cycle between files or between
 * folders; the record stages' executables load none of the scanner, the sources, the cache, the
 * datasets or threads; and no executable loads what its commands run before they run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** Each floor's folders, from the top floor down, as docs/architecture.md lists them. */
function floors(): string[][] {
  const text = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const block = /```text floors\n([\s\S]*?)```/.exec(text)?.[1];
  if (block === undefined) throw new Error('docs/architecture.md has no ```text floors block');
  return block
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).slice(1));
}

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/**
 * The files a file imports (static imports and re-exports, and import() of relative paths:
 * `lazily`, the file loads them where it runs, after it has loaded).
 */
function imports(file: string): Array<{ target: string; lazily: boolean }> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: Array<{ target: string; lazily: boolean }> = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    const target = (match[1] ?? match[2]) as string;
    if (!target.endsWith('.js')) continue; // JSON (package.json) and other assets
    found.push({ target: relative(ROOT, resolve(ROOT, dirname(file), target.replace(/\.js$/, '.ts'))), lazily: match[2] !== undefined });
  }
  return found;
}

/** The cycles of a graph (its strongly connected components of more than one node, or a node that reaches itself). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, order.get(next) as number));
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe('the floors of lib/', () => {
  const table = floors();
  const floorOf = new Map<string, number>();
  for (const [i, folders] of table.entries()) for (const folder of folders) floorOf.set(folder, table.length - i);
  const files = sources('lib');
  const edges = files.flatMap((file) => imports(file).map(({ target, lazily }) => ({ file, target, lazily })));
  // A cycle is one of imports made as a file loads: a command's declaration loads its work with
  // import() when it runs, after both are loaded, and the work may import the declaration.
  const loadEdges = edges.filter(({ lazily }) => !lazily);

  it('names every folder of lib/ once', () => {
    const folders = [...new Set(files.map((file) => dirname(file)))].sort();
    expect(folders).toEqual([...floorOf.keys()].sort());
  });

  it('imports only from the same floor or below', () => {
    const upward = edges
      .filter(({ file, target }) => (floorOf.get(dirname(target)) ?? Infinity) > (floorOf.get(dirname(file)) ?? -Infinity))
      .map(({ file, target }) => `${file} imports ${target}`);
    expect(upward).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const graph = new Map(files.map((file) => [file, new Set<string>()]));
    for (const { file, target } of loadEdges) graph.get(file)?.add(target);
    expect(cycles(graph)).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const { file, target } of loadEdges) {
      if (dirname(file) === dirname(target)) continue;
      const next = graph.get(dirname(file)) ?? new Set<string>();
      next.add(dirname(target));
      graph.set(dirname(file), next);
    }
    expect(cycles(graph)).toEqual([]);
  });
});

describe('what an executable loads', () => {
  type Output = { inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string }> };
  const outputs = (): Record<string, Output> => {
    const meta = join(ROOT, 'dist/meta.json');
    expect(existsSync(meta), 'dist/meta.json is written by the build (make build)').toBe(true);
    return (JSON.parse(readFileSync(meta, 'utf8')) as { outputs: Record<string, Output> }).outputs;
  };
  /**
   * The sources and Node modules the parts of dist/NAME.cjs load at every start (the imports made
   * as the parts load), or `lazily`, also where its commands load their work (import()).
   */
  const loaded = (name: string, lazily: boolean): string[] => {
    const all = outputs();
    expect(all[`dist/${name}.cjs`], `dist/${name}.cjs in dist/meta.json`).toBeDefined();
    const parts = new Set<string>();
    const visit = (part: string): void => {
      if (parts.has(part)) return;
      parts.add(part);
      for (const imported of all[part]?.imports ?? [])
        if (imported.path.startsWith('dist/') && (imported.kind === 'import-statement' || (lazily && imported.kind === 'dynamic-import'))) visit(imported.path);
    };
    visit(`dist/${name}.cjs`);
    return [...parts].flatMap((part) => [
      ...Object.keys(all[part]?.inputs ?? {}),
      ...(all[part]?.imports ?? []).filter((imported) => !imported.path.startsWith('dist/')).map((imported) => imported.path),
    ]);
  };
  const executables = ['seq', 'seq-scan', 'seq-filter', 'seq-group', 'seq-format', 'seq-record'];

  it.each(['seq-filter', 'seq-group', 'seq-format'])('%s: none of the scanner, sources, cache, datasets or threads, even to run', (name) => {
    expect(loaded(name, true).filter((path) => /^lib\/(sources|cache|scan|datasets)\/|node:worker_threads/.test(path))).toEqual([]);
  });

  // What a command runs is loaded when it runs: `seq --version` reads no reader, price or SQL.
  it.each(executables)('%s: starts without the readers, the cache, the scanner, the prices, the engines, the reports or the run store', (name) => {
    const work =
      /^lib\/(sources\/\w+\/(?!about\.ts)|sources\/registry|cache|scan|prices|datasets\/registry|engines\/(?!dialects\.ts)|reports\/(?!flags\.ts)|runs\/(?!flags\.ts|words\.ts))/;
    expect(loaded(name, false).filter((path) => work.test(path))).toEqual([]);
    if (name === 'seq' || name === 'seq-scan') expect(loaded(name, true).filter((path) => work.test(path)).length).toBeGreaterThan(50);
  });

  it.each(executables)('%s: crypto, child processes and threads only at their first use', (name) => {
    expect(loaded(name, true).filter((path) => /^node:(crypto|child_process|worker_threads)$/.test(path))).toEqual([]);
  });

  it('the launcher: nothing of the project', () => {
    const launcher = outputs()['dist/launch.cjs'];
    expect([...Object.keys(launcher?.inputs ?? {}), ...(launcher?.imports ?? []).map((i) => i.path)].filter((path) => !path.startsWith('node:'))).toEqual([
      'lib/cli/launch.ts',
    ]);
  });
});
