/**
 * What the benchmarks measure with (make bench, make bench-team): commands run by bash with bin/
 * first on PATH, timed run by run and interleaved, their medians with the min and max; peak memory;
 * ccusage installed from npm, once.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const env = { ...process.env, PATH: `${join(ROOT, 'bin')}${delimiter}${process.env.PATH ?? ''}` };

export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[name.toUpperCase()] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export interface Timing {
  median: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** Runs a shell command and returns its wall time in ms and its output. */
export function timed(command: string): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${command}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** Interleaves the commands run by run, so that a slow moment of the machine hits all of them. */
export function compare(commands: Record<string, string>, runs: number): Record<string, Timing> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(commands)) samples[name] = [];
  for (let i = 0; i < runs; i++) {
    for (const [name, command] of Object.entries(commands)) samples[name]?.push(timed(command).ms);
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, stats(list)]));
}

export const fmt = (t: Timing): string => `${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)})`;

/** Peak memory (max RSS, MB) of a command, by GNU time, where it is installed. */
export function peakMb(command: string): number | undefined {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `/usr/bin/time -f '%M' bash -c ${JSON.stringify(command)} 2>&1 >/dev/null | tail -1`], {
    env,
    encoding: 'utf8',
  });
  const kb = Number(r.stdout.trim());
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : undefined;
}

export function sizeOf(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]) / 1e6;
}

let ccusagePath: string | null | undefined;

/** ccusage 20.0.24 installed by npm into a temporary folder, once; null when that fails (offline). */
export function installCcusage(): string | null {
  if (ccusagePath !== undefined) return ccusagePath;
  const dir = mkdtempSync(join(tmpdir(), 'seq-bench-ccusage-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, 'ccusage@20.0.24'], { encoding: 'utf8', timeout: 180_000 });
  const bin = join(dir, 'node_modules/.bin/ccusage');
  ccusagePath = r.status === 0 && spawnSync(bin, ['--version']).status === 0 ? bin : null;
  return ccusagePath;
}
