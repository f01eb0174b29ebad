/**
 * The floors of lib/ (docs/architecture.md lists them, and this test reads that list): a file
 * imports only from its own floor and the floors below; no import cycle between files or between
 * folders; and the record stages' executables load none of the scanner, the sources, the cache,
 * the datasets or threads.
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

/** The files a file imports (static imports, re-exports and import() of relative paths). */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    const target = (match[1] ?? match[2]) as string;
    if (!target.endsWith('.js')) continue; // JSON (package.json) and other assets
    found.push(relative(ROOT, resolve(ROOT, dirname(file), target.replace(/\.js$/, '.ts'))));
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
  const edges = files.flatMap((file) => imports(file).map((target) => ({ file, target })));

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
    for (const { file, target } of edges) graph.get(file)?.add(target);
    expect(cycles(graph)).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const { file, target } of edges) {
      if (dirname(file) === dirname(target)) continue;
      const next = graph.get(dirname(file)) ?? new Set<string>();
      next.add(dirname(target));
      graph.set(dirname(file), next);
    }
    expect(cycles(graph)).toEqual([]);
  });
});

describe('what an executable loads', () => {
  const meta = join(ROOT, 'dist/meta.json');
  const heavy = /^lib\/(sources|cache|scan|datasets)\/|node:worker_threads/;
  type Output = { inputs: Record<string, unknown>; imports: Array<{ path: string }> };
  const bundle = (name: string): Output | undefined => {
    expect(existsSync(meta), 'dist/meta.json is written by the build (make build)').toBe(true);
    const outputs = (JSON.parse(readFileSync(meta, 'utf8')) as { outputs: Record<string, Output> }).outputs;
    const output = outputs[`dist/${name}.cjs`];
    expect(output, `dist/${name}.cjs in dist/meta.json`).toBeDefined();
    return output;
  };
  const loaded = (output: Output | undefined): string[] => [...Object.keys(output?.inputs ?? {}), ...(output?.imports ?? []).map((i) => i.path)];

  it.each(['seq-filter', 'seq-group', 'seq-format'])('%s: none of the scanner, sources, cache, datasets or threads', (name) => {
    expect(loaded(bundle(name)).filter((path) => heavy.test(path))).toEqual([]);
  });

  it.each(['seq', 'seq-scan', 'seq-filter', 'seq-group', 'seq-format', 'seq-record'])(
    '%s: crypto, child processes and threads only at their first use',
    (name) => {
      expect(loaded(bundle(name)).filter((path) => /^node:(crypto|child_process|worker_threads)$/.test(path))).toEqual([]);
    },
  );

  it('the launcher: nothing of the project', () => {
    expect(loaded(bundle('launch')).filter((path) => !path.startsWith('node:'))).toEqual(['lib/cli/launch.ts']);
  });
});
