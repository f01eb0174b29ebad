/**
 * ClickHouse's engine in-process: the npm package chdb (540 MB, ClickHouse 26.7), for the tests
 * that run the ClickHouse SQL of a spec. It is installed once into node_modules/.seq-tools by the
 * global setup (installChdb), not from the lock file: npm ci needs every platform's package of it
 * in the lock, and the registry here has only Linux x64's. Without it the tests that need it skip
 * with a message, except under CI, where they must run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './cli.js';

const VERSION = '3.4.0';
const TOOLS = join(ROOT, 'node_modules/.seq-tools');
const PACKAGE = join(TOOLS, 'node_modules/chdb/package.json');

/** What the tests use of a chdb session. */
export interface ChdbSession {
  query(sql: string, format?: string): string;
  close(): void;
}

/** Installs chdb when it is not there; the reason when that failed. */
export function installChdb(): string | undefined {
  if (existsSync(PACKAGE)) return undefined;
  mkdirSync(TOOLS, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', TOOLS, `chdb@${VERSION}`], { encoding: 'utf8', timeout: 600_000 });
  return r.status === 0 && existsSync(PACKAGE) ? undefined : `npm install chdb@${VERSION} failed: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
}

/** Whether chdb is there for the tests: a message and a skip without it, a failure under CI. */
export function requireChdb(): boolean {
  if (existsSync(PACKAGE)) return true;
  const message = `chdb is not installed in ${TOOLS} (the tests' global setup installs it from npm)`;
  if (process.env.CI) throw new Error(`${message}; CI must run the ClickHouse tests`);
  console.warn(`skipping the ClickHouse tests: ${message}`);
  return false;
}

/** The package.json of the installed chdb, to require it from. */
export function chdbPackage(): string {
  return PACKAGE;
}

/** A new in-memory ClickHouse session. */
export function chdbSession(): ChdbSession {
  const chdb = createRequire(PACKAGE)('chdb') as { Session: new () => ChdbSession };
  return new chdb.Session();
}
