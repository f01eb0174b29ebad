/**
 * `make bench-team`: a simulated team. Each machine's logs are generated (examples/generate.ts,
 * a seed per machine) and pushed with `seq push --machine mNN` into one ClickHouse (its engine,
 * chdb, behind its HTTP interface: test/helpers/clickhouse-shim.ts); as machines join, team
 * queries are timed with `seq query --engine clickhouse`. Prints a Markdown table for docs/team.md.
 *
 *   npx tsx test/bench/team.ts [--machines 50] [--sessions 100] [--runs 5] [--steps 10,25,50]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startShim } from '../helpers/clickhouse-server.js';
import { ROOT, stats } from './measure.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const MACHINES = Number(option('machines', '50'));
const SESSIONS = Number(option('sessions', '100'));
const RUNS = Number(option('runs', '5'));
const STEPS = option('steps', '10,25,50')
  .split(',')
  .map(Number)
  .filter((n) => n <= MACHINES);
const DATASETS = ['usage', 'sessions', 'tool_calls'];

const QUERIES: [string, string[]][] = [
  ['tokens per machine', ['--dataset', 'usage', '--by', 'machine', '--metric', 'sum:total_tokens:tokens', '--sort', '-tokens']],
  ['tokens per day and model', ['--dataset', 'usage', '--by', 'day,model', '--metric', 'sum:total_tokens:tokens', '--sort', 'day,model']],
  ['top 10 tools', ['--dataset', 'tool_calls', '--by', 'tool', '--metric', 'count', '--sort', '-count', '--limit', '10']],
  ['longest 10 sessions', ['--dataset', 'sessions', '--select', 'machine,session_id,duration_s', '--sort', '-duration_s', '--limit', '10']],
];

function seq(args: string[], env: Record<string, string> = {}): { ms: number; stderr: string; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(join(ROOT, 'bin/seq'), args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(ROOT, 'bin')}${delimiter}${process.env.PATH ?? ''}`, ...env },
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`seq ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stderr: r.stderr, stdout: r.stdout };
}

function bytesUnder(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? path, entry.name)).size;
  return total;
}

const work = mkdtempSync(join(tmpdir(), 'seq-team-'));
const server = await startShim(join(work, 'clickhouse'));
try {
  const pushes: Record<string, { rows: number; bytes: number; ms: number[] }> = Object.fromEntries(DATASETS.map((d) => [d, { rows: 0, bytes: 0, ms: [] }]));
  let logBytes = 0;
  const results: string[] = [];
  for (let m = 1; m <= MACHINES; m++) {
    const logs = join(work, `m${m}`);
    spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', logs, '--sessions', String(SESSIONS), '--seed', String(m)], {
      stdio: 'ignore',
    });
    logBytes += bytesUnder(logs);
    const env = { XDG_CACHE_HOME: join(work, `cache${m}`) };
    for (const dataset of DATASETS) {
      const r = seq(['push', '--clickhouse', server.url, '--dataset', dataset, '--machine', `m${String(m).padStart(2, '0')}`, logs], env);
      const said = /pushed (\d+) of \d+ .* (\d+) bytes\)/.exec(r.stderr);
      const entry = pushes[dataset] as { rows: number; bytes: number; ms: number[] };
      entry.rows += Number(said?.[1]);
      entry.bytes += Number(said?.[2]);
      entry.ms.push(r.ms);
    }
    rmSync(logs, { recursive: true, force: true });
    if (STEPS.includes(m)) {
      const row = [`${m}`, `${(logBytes / 1e6).toFixed(0)} MB`, `${(pushes.usage?.rows ?? 0).toLocaleString('en')}`];
      for (const [, args] of QUERIES) {
        const times = Array.from({ length: RUNS }, () => seq(['query', '--engine', 'clickhouse', '--clickhouse', server.url, '--format', 'jsonl', ...args]).ms);
        const t = stats(times);
        row.push(`${t.median.toFixed(0)} ms (${t.min.toFixed(0)}–${t.max.toFixed(0)})`);
      }
      results.push(`| ${row.join(' | ')} |`);
    }
  }
  console.log(`${MACHINES} machines, ${SESSIONS} generated sessions each, ${(logBytes / 1e6).toFixed(0)} MB of logs in all; ${RUNS} runs of each query.\n`);
  console.log('| dataset | rows pushed | JSON bytes sent | per GB of logs | push per machine (median, min–max) |');
  console.log('|---|---|---|---|---|');
  for (const dataset of DATASETS) {
    const p = pushes[dataset] as { rows: number; bytes: number; ms: number[] };
    const t = stats(p.ms);
    const perGb = 1e9 / logBytes;
    console.log(
      `| ${dataset} | ${p.rows.toLocaleString('en')} | ${(p.bytes / 1e6).toFixed(1)} MB | ${Math.round(p.rows * perGb).toLocaleString('en')} rows, ${((p.bytes * perGb) / 1e6).toFixed(1)} MB | ${t.median.toFixed(0)} ms (${t.min.toFixed(0)}–${t.max.toFixed(0)}) |`,
    );
  }
  const stored = await fetch(`${server.url}/`, {
    method: 'POST',
    body: 'SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table FORMAT JSONEachRow',
  });
  const parts = (await stored.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { table: string; rows: string; bytes: string });
  console.log(
    `\nOn the server: ${parts.map((p) => `${p.table} ${(Number(p.bytes) / 1e6).toFixed(1)} MB (${Number(p.rows).toLocaleString('en')} rows)`).join(', ')}.`,
  );
  console.log(`\n| machines | logs | usage rows | ${QUERIES.map(([name]) => name).join(' | ')} |`);
  console.log(`|---|---|---|${QUERIES.map(() => '---').join('|')}|`);
  for (const line of results) console.log(line);
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
