/**
 * ccusage 20 (the npm package, its Linux binary), the peer that seq's per-day costs are checked
 * against. Installed once into node_modules/.seq-tools/ccusage by the tests' global setup, not from the
 * lock file: its package for each platform is a separate optional package, and the registry here
 * has only Linux x64's. Without it the tests that need it skip with a message, except under CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

const VERSION = '20.0.24';
// A prefix of its own: npm install --no-save into chdb's would drop chdb.
const TOOLS = join(ROOT, 'node_modules/.seq-tools/ccusage');
export const CCUSAGE_BIN = join(TOOLS, 'node_modules/.bin/ccusage');

/** Installs ccusage when it is not there; the reason when that failed. */
export function installCcusage(): string | undefined {
  if (existsSync(CCUSAGE_BIN)) return undefined;
  mkdirSync(TOOLS, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', TOOLS, `ccusage@${VERSION}`], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  return r.status === 0 && existsSync(CCUSAGE_BIN)
    ? undefined
    : `npm install ccusage@${VERSION} failed: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
}

/** Whether ccusage is there for the tests: a message and a skip without it, a failure under CI. */
export function requireCcusage(): boolean {
  if (existsSync(CCUSAGE_BIN)) return true;
  const message = `ccusage is not installed in ${TOOLS} (the tests' global setup installs it from npm)`;
  if (process.env.CI) throw new Error(`${message}; CI must run the cost agreement tests`);
  console.warn(`skipping the ccusage tests: ${message}`);
  return false;
}

/** ccusage's cost per day (`ccusage SOURCE daily --json --offline`) of the logs in `folder` (its CODEX_HOME or CLAUDE_CONFIG_DIR). */
export function ccusageDailyCosts(source: 'codex' | 'claude', folder: string): Map<string, number> {
  const home = mkdtempSync(join(tmpdir(), 'seq-ccusage-home-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, ...(source === 'codex' ? { CODEX_HOME: folder } : { CLAUDE_CONFIG_DIR: folder }) };
  const r = spawnSync(CCUSAGE_BIN, [source, 'daily', '--json', '--offline'], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ccusage ${source} daily failed: ${r.stderr}`);
  const days = (JSON.parse(r.stdout) as { daily: Array<{ date: string; costUSD?: number; totalCost?: number }> }).daily;
  return new Map(days.map((day) => [day.date, day.costUSD ?? day.totalCost ?? 0]));
}

/** One day of ccusage's `daily --json`, in seq's vocabulary. */
export interface PeerDay {
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
}

/**
 * ccusage's per-day tokens and cost for one agent (`ccusage AGENT daily --json --offline
 * --timezone UTC`), with `env` pointing it at the logs (GEMINI_DATA_DIR, QWEN_DATA_DIR, ...) and
 * an empty HOME, so that nothing else on the machine is read.
 */
export function ccusageDaily(agent: string, env: Record<string, string>): Map<string, PeerDay> {
  const home = mkdtempSync(join(tmpdir(), 'seq-ccusage-home-'));
  const r = spawnSync(CCUSAGE_BIN, [agent, 'daily', '--json', '--offline', '--timezone', 'UTC'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', ...env },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`ccusage ${agent} daily failed: ${r.stderr}`);
  const days = (
    JSON.parse(r.stdout) as {
      daily: Array<{
        date: string;
        inputTokens: number;
        cacheReadTokens: number;
        cacheCreationTokens: number;
        outputTokens: number;
        totalTokens: number;
        totalCost?: number;
        costUSD?: number;
      }>;
    }
  ).daily;
  return new Map(
    days.map((day) => [
      day.date,
      {
        input_tokens: day.inputTokens,
        cache_read_tokens: day.cacheReadTokens,
        cache_write_tokens: day.cacheCreationTokens,
        output_tokens: day.outputTokens,
        total_tokens: day.totalTokens,
        cost_usd: day.totalCost ?? day.costUSD ?? 0,
      },
    ]),
  );
}
