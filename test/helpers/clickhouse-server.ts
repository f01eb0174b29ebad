/**
 * A ClickHouse server for a test file (clickhouse-shim.ts, ClickHouse's engine behind its HTTP
 * interface), or the real one SEQ_CLICKHOUSE_URL names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface TestServer {
  url: string;
  stop(): void;
}

/** Starts the shim on a free port; resolves with its URL once it listens. */
export function startShim(folder?: string): Promise<TestServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/helpers/clickhouse-shim.ts'), ...(folder === undefined ? [] : [folder])],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the ClickHouse shim stopped (${code})`)));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (url) => resolve({ url, stop: () => child.kill() }));
  });
}
