/** Runs the real executables from bin/, as a user's shell would. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin');

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a plain shell: bin/ first on PATH, no colour decisions from the host. */
export function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  delete base.COLUMNS;
  return { ...base, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}

function result(r: SpawnSyncReturns<string>): Result {
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One executable with arguments; `input` is its stdin; `timeoutMs`: killed after it (a hang fails, status null). */
export function run(command: string, args: string[], options: { input?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Result {
  const r = spawnSync(join(BIN, command), args, {
    input: options.input ?? '',
    cwd: options.cwd ?? ROOT,
    env: env(options.env),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return { status: null, stdout: r.stdout, stderr: `${r.stderr}(killed after ${options.timeoutMs} ms)` };
  return result(r);
}

/** One executable started in the background (to run several at once): its stdout, once it exits. */
export function stdoutOf(command: string, args: string[], extra: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(join(BIN, command), args, { env: env(extra), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', () => resolve(out));
  });
}

/** A shell pipeline, with pipefail so that any failing stage shows in the status. */
export function sh(script: string, options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Result {
  return result(
    spawnSync('bash', ['-o', 'pipefail', '-c', script], {
      input: options.input ?? '',
      cwd: options.cwd ?? ROOT,
      env: env(options.env),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
}

/** A fresh temporary folder with the given files in it. */
export function tempFiles(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'seq-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

export function jsonLines(text: string): unknown[] {
  return lines(text).map((line) => JSON.parse(line) as unknown);
}
