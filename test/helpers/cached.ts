/**
 * Scans through the cache, as the tests of the cache and its tables run them: each with a cache
 * folder of its own, against the same command with --no-cache (what every cached scan must print).
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { IndexView } from '../../lib/cache/index-news.js';
import { header } from '../../lib/cache/layout.js';
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

/** The lines of the index of a folder of the cache of events (`.../events-N/<needs>`), as a scan sees it: with its news, without its first and last lines. */
export function indexLines(folder: string): string[] {
  const view = IndexView.open(join(folder, 'index.jsonl'), header(basename(folder)));
  if (view === undefined) return [];
  try {
    const out: string[] = [];
    const lines = view.lines();
    for (let line = lines.next(); line !== undefined; line = lines.next()) out.push(line.text);
    return out;
  } finally {
    view.close();
  }
}
