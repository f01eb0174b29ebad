/**
 * vitest globalSetup: every executable the tests run keeps its cache in one temporary folder
 * (XDG_CACHE_HOME), never in the user's ~/.cache. The cache stays on, so that the whole suite
 * also runs through it: the same fixtures are scanned again and again, by processes at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'seq-test-cache-'));
  process.env.XDG_CACHE_HOME = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
