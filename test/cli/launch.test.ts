/**
 * How the executables start: each from its two scripts (what every start runs, and the work its
 * commands load) and the V8 code cache the build wrote beside each, a cache V8 takes under the
 * flags the executable runs with (those on its first line). A cache V8 refused would cost every
 * start the compile it is there to save, without a word.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const EXECUTABLES = ['seq', 'seq-scan', 'seq-filter', 'seq-group', 'seq-format', 'seq-record'];

/** Whether the bundle's code cache is taken, compiled under `flags` in a process of its own. */
function cacheTaken(name: string, flags: string[]): string {
  const launcher = JSON.stringify(join(ROOT, 'dist/launch.cjs'));
  const bundle = JSON.stringify(join(ROOT, `dist/${name}.cjs`));
  const r = spawnSync(process.execPath, [...flags, '-e', `process.stdout.write(String(require(${launcher}).load(${bundle}).cached))`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** Whether V8 takes the code cache of the work script dist/NAME.work.cjs, compiled as the launcher compiles it, under `flags`. */
function workCacheTaken(name: string, flags: string[]): string {
  const file = JSON.stringify(join(ROOT, `dist/${name}.work.cjs`));
  const code = `const { Script } = require('node:vm'); const { readFileSync } = require('node:fs'); const s = new Script(readFileSync(${file}, 'latin1'), { filename: ${file}, cachedData: readFileSync(${file} + '.cache') }); process.stdout.write(String(!s.cachedDataRejected))`;
  const r = spawnSync(process.execPath, [...flags, '-e', code], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe('the executables start from their code caches', () => {
  it.each(EXECUTABLES)('%s: V8 takes its caches under the flags on its first line', (name) => {
    const first = readFileSync(join(ROOT, 'bin', name), 'utf8').split('\n')[0] as string;
    expect(first).toMatch(/^#!\/usr\/bin\/env -S node\b/);
    const flags = first
      .replace(/^#!\/usr\/bin\/env -S node/, '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    expect(cacheTaken(name, flags)).toBe('true');
    expect(workCacheTaken(name, flags)).toBe('true');
  });

  it('a cache made under other flags is refused, and the bundle still runs', () => {
    expect(cacheTaken('seq-filter', ['--max-semi-space-size=7'])).toBe('false');
  });
});

// The launcher gives a part's exports, once it ran, as values: true only while no module of the
// project assigns an exported binding again, which a `let` or `var` export would allow.
describe('the parts an executable shares', () => {
  it('export no binding that could be assigned again', () => {
    const files = readdirSync(join(ROOT, 'lib'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const assignable = files.filter((file) => /^export (let|var)\b/m.test(readFileSync(join(ROOT, 'lib', file), 'utf8')));
    expect(files.length).toBeGreaterThan(100);
    expect(assignable).toEqual([]);
  });
});
