/**
 * Scans through the cache, as the tests of the cache and its tables run them: each with a cache
 * folder of its own, against the same command with --no-cache (what every cached scan must print).
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run, type Result } from './cli.js';
import { generatedSessions } from './sessions.js';

export const SESSION_DATASETS = [
  'messages',
  'skill_mentions',
  'token_events',
  'token_deltas',
  'token_sessions',
  'tool_calls',
  'tool_outputs',
  'usage',
  'sessions',
];

/** A copy of the generated examples that a test may change, and a cache folder of its own. */
export function changeableLogs(): { logs: string; home: string } {
  const logs = mkdtempSync(join(tmpdir(), 'seq-cached-logs-'));
  cpSync(generatedSessions(), logs, { recursive: true });
  return { logs, home: mkdtempSync(join(tmpdir(), 'seq-cached-home-')) };
}

export function cached(command: string, home: string, args: string[], extra: Record<string, string> = {}, cwd?: string): Result {
  return run(command, args, { env: { XDG_CACHE_HOME: home, ...extra }, ...(cwd === undefined ? {} : { cwd }) });
}

export function truth(command: string, args: string[], extra: Record<string, string> = {}, cwd?: string): Result {
  return run(command, [...args, '--no-cache'], { env: { XDG_CACHE_HOME: '/nonexistent-cache-never-made', ...extra }, ...(cwd === undefined ? {} : { cwd }) });
}

export function same(a: Result, b: Result): void {
  expect(a.stderr).toBe(b.stderr);
  expect(a.stdout).toBe(b.stdout);
  expect(a.status).toBe(b.status);
}
