/** Session logs for tests: the shared fixtures when they are there, and the project's own examples. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './cli.js';

export const FIXTURES = resolve(ROOT, '../shared/fixtures');
export const hasFixtures = existsSync(join(FIXTURES, 'EXPECTED.md'));

/** Tests on the fixtures skip without them, with a message, except under CI, where they must run. */
export function requireFixtures(): boolean {
  if (hasFixtures) return true;
  if (process.env.CI) throw new Error(`the shared fixtures are missing at ${FIXTURES}; CI must run the fixture tests`);
  console.warn(`skipping the fixture tests: ${FIXTURES} is not there (it is beside the project in CI)`);
  return false;
}

let examples: string | undefined;

/**
 * Sample sessions written by examples/generate.ts: those written once for the whole run
 * (examples-setup.ts), else once per test process. Read them only; change a copy.
 */
export function generatedSessions(): string {
  if (examples === undefined) {
    const written = process.env.SEQ_TEST_EXAMPLES;
    if (written !== undefined && existsSync(written)) examples = written;
    else {
      examples = mkdtempSync(join(tmpdir(), 'seq-examples-'));
      execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', examples], { stdio: 'ignore' });
    }
  }
  return examples;
}
