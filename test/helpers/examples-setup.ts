/**
 * vitest globalSetup: the generated example sessions (examples/generate.ts), written once for the
 * whole run (after cache-home.ts has made the run's temporary folder) and named to every test
 * process by SEQ_TEST_EXAMPLES. The tests only read them: a test that changes logs changes a copy
 * (changeableLogs in cached.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export default function setup(): void {
  const out = mkdtempSync(join(tmpdir(), 'seq-examples-'));
  execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', out], { stdio: 'ignore' });
  process.env.SEQ_TEST_EXAMPLES = out;
}
