/**
 * vitest globalSetup: every executable the tests run keeps its cache in one temporary folder
 * (XDG_CACHE_HOME), never in the user's ~/.cache. The cache stays on, so that the whole suite
 * also runs through it: the same fixtures are scanned again and again, by processes at once.
 * The suites' own temporary files go under the same folder (TMPDIR), which goes when the run ends.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'seq-test-run-'));
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  process.env.TMPDIR = join(dir, 'tmp');
  mkdirSync(process.env.XDG_CACHE_HOME);
  mkdirSync(process.env.TMPDIR);
  return () => rmSync(dir, { recursive: true, force: true });
}
