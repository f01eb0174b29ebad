/**
 * seq push and seq query --engine clickhouse, run as a user runs them, against ClickHouse's
 * engine behind its HTTP interface (test/helpers/clickhouse-shim.ts over chdb), and against a
 * real server where SEQ_CLICKHOUSE_URL names one: every spec in specs/ gives the stages' output
 * over the pushed rows; a row pushed twice, or from a copy of the logs, counts once; a newer
 * copy of a row replaces the older; only declared columns leave, without paths or text unless
 * asked; a push stopped by the server goes on where it was.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDataset } from '../../lib/datasets/registry.js';
import { requireChdb } from '../helpers/chdb.js';
import { claudeHome } from '../helpers/claude-times.js';
import { startShim, type TestServer } from '../helpers/clickhouse-server.js';
import { ROOT, run, sh, tempFiles, type Result } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const INPUTS = [generatedSessions(), ...(hasFixtures ? [FIXTURES] : [])];
const SPECS = readdirSync(join(ROOT, 'specs'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, spec: JSON.parse(readFileSync(join(ROOT, 'specs', name), 'utf8')) as { dataset: string } }))
  .filter(({ spec }) => findDataset(spec.dataset)?.kind === 'session');

/** Runs SQL on the server, its rows as objects. */
async function sql(address: string, query: string): Promise<Record<string, unknown>[]> {
  const url = new URL(address);
  const headers: Record<string, string> = {};
  if (url.username !== '')
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = '';
  url.password = '';
  const response = await fetch(url, { method: 'POST', headers, body: `${query}\nFORMAT JSONEachRow` });
  const text = await response.text();
  if (!response.ok) throw new Error(text);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function ok(result: Result): Result {
  expect(result.stderr.replace(/^seq: pushed .*\n/m, '')).toBe('');
  expect(result.status).toBe(0);
  return result;
}

/** The suite, against the server at `server().url`; `prefix` keeps its tables apart from others'. */
function suite(server: () => TestServer, prefix: string): void {
  const url = (): string => server().url;
  const push = (args: string[], env: Record<string, string> = {}): Result => run('seq', ['push', '--clickhouse', url(), ...args], { env });
  const team = (args: string[]): Result => run('seq', ['query', '--engine', 'clickhouse', '--clickhouse', url(), ...args]);

  it("every spec in specs/ gives the stages' output over the pushed rows", () => {
    const datasets = [...new Set(SPECS.map(({ spec }) => spec.dataset))];
    for (const dataset of datasets)
      ok(push(['--dataset', dataset, '--table', `${prefix}${dataset}`, '--with-paths', '--with-text', '--machine', 'one', ...INPUTS]));
    for (const { name, spec } of SPECS) {
      const stages = run('seq', ['query', '--spec', `@specs/${name}`, ...INPUTS]);
      expect(stages.status, name).toBe(0);
      const clickhouse = team(['--spec', `@specs/${name}`, '--table', `${prefix}${spec.dataset}`]);
      expect(clickhouse.stderr, name).toBe('');
      expect(clickhouse.stdout, name).toBe(stages.stdout);
    }
  });

  it("the scan's source and time window choose the same rows as the stages", () => {
    ok(push(['--dataset', 'usage', '--table', `${prefix}window`, ...INPUTS]));
    const days = run('seq', ['query', '--dataset', 'usage', '--by', 'day', '--sort', 'day', '--format', 'jsonl', ...INPUTS]);
    const list = days.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { day: string }).day);
    const middle = list[Math.floor(list.length / 2)] as string;
    for (const flags of [
      ['--since', middle],
      ['--until', middle],
      ['--since', `${middle}T06:30:00Z`, '--until', `${middle}T18:00`],
      ['--source', 'claude'],
      ['--source', 'codex', '--since', list[0] as string],
    ]) {
      const query = ['--dataset', 'usage', '--by', 'day,source,model', '--metric', 'sum:total_tokens:tokens', '--metric', 'count', '--sort', 'day', ...flags];
      const stages = run('seq', ['query', ...query, ...INPUTS]);
      const clickhouse = team([...query, '--table', `${prefix}window`]);
      expect(clickhouse.stdout, flags.join(' ')).toBe(stages.stdout);
    }
  });

  it('a time the scan cannot read passes no window on the server either', () => {
    const logs = claudeHome(['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000z', '1772359200', '2026-03-01T25:00:00Z']);
    ok(push(['--dataset', 'usage', '--table', `${prefix}odd`, logs]));
    const query = ['--dataset', 'usage', '--since', '2026-03-01', '--select', 'timestamp,day', '--sort', 'timestamp', '--format', 'jsonl'];
    const stages = run('seq', ['query', ...query, logs]);
    expect(stages.stdout).toBe('{"timestamp":"2026-03-01T10:00:00.000Z","day":"2026-03-01"}\n{"timestamp":"2026-03-01T11:00:00.000Z","day":"2026-03-01"}\n');
    expect(team([...query, '--table', `${prefix}odd`]).stdout).toBe(stages.stdout);
  });

  it('pushing again, or from a copy of the logs on another machine, counts every row once', async () => {
    const table = `${prefix}twice`;
    const first = ok(push(['--dataset', 'usage', '--table', table, '--machine', 'laptop', ...INPUTS]));
    const rows = Number(/pushed (\d+) of (\d+)/.exec(first.stderr)?.[2]);
    expect(first.stderr).toContain(`pushed ${rows} of ${rows} usage rows as laptop`);
    expect(ok(push(['--dataset', 'usage', '--table', table, '--machine', 'laptop', ...INPUTS])).stderr).toContain(`pushed 0 of ${rows} usage rows`);
    // A copy in another place, pushed from another machine (another cache folder: it has sent nothing).
    const copy = mkdtempSync(join(tmpdir(), 'seq-copy-'));
    for (const input of INPUTS) cpSync(input, join(copy, input.replaceAll('/', '_')), { recursive: true });
    const other = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'seq-cache-')) };
    expect(ok(push(['--dataset', 'usage', '--table', table, '--machine', 'desktop', copy], other)).stderr).toContain(`pushed ${rows} of ${rows}`);
    // --full sends everything again; the table still holds each row once.
    ok(push(['--dataset', 'usage', '--table', table, '--machine', 'laptop', '--full', ...INPUTS]));
    const [count] = await sql(url(), `SELECT count() AS n FROM ${table}`);
    expect(Number(count?.n)).toBe(rows);
    const stages = run('seq', ['query', '--dataset', 'usage', '--by', 'model', '--metric', 'sum:total_tokens', '--sort', 'model', ...INPUTS]);
    expect(team(['--dataset', 'usage', '--by', 'model', '--metric', 'sum:total_tokens', '--sort', 'model', '--table', table]).stdout).toBe(stages.stdout);
  });

  it('a log read again holds what it holds now: a response that grew, a request without an id, a session that went on', async () => {
    const line = (request: string | undefined, output: number, second: number, session: string | undefined = 'sess-grow'): string =>
      JSON.stringify({
        type: 'assistant',
        ...(session === undefined ? {} : { sessionId: session }),
        ...(request === undefined ? {} : { requestId: request }),
        uuid: `u-${request}-${output}`,
        timestamp: `2026-03-01T10:00:0${second}.000Z`,
        version: '2.1.0',
        cwd: '/work/secret-project',
        message: {
          id: `msg_${request ?? output}`,
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [{ type: 'text', text: 'hi' }],
          usage: { input_tokens: 10, output_tokens: output },
        },
      });
    // A file with no session id: its path names its session in some datasets, and must not leave.
    const dir = tempFiles({
      'sess-grow.jsonl': `${line('req_a', 5, 1)}\n${line(undefined, 7, 2)}\n`,
      'no-session.jsonl': `${line('req_n', 3, 1, undefined)}\n`,
    });
    const datasets = ['usage', 'sessions', 'token_events', 'token_deltas', 'token_sessions', 'messages', 'tool_calls'];
    for (const dataset of datasets) ok(push(['--dataset', dataset, '--table', `${prefix}grow_${dataset}`, dir]));
    writeFileSync(
      join(dir, 'sess-grow.jsonl'),
      `${line('req_a', 5, 1)}\n${line('req_a', 400, 2)}\n${line(undefined, 7, 2)}\n${line(undefined, 70, 3)}\n${line('req_b', 9, 4)}\n`,
    );
    for (const dataset of datasets) {
      ok(push(['--dataset', dataset, '--table', `${prefix}grow_${dataset}`, dir]));
      const stages = run('seq', ['query', '--dataset', dataset, '--select', 'source,session_id,timestamp', '--sort', 'session_id,timestamp', dir]);
      const teamRows = team([
        '--table',
        `${prefix}grow_${dataset}`,
        '--dataset',
        dataset,
        '--select',
        'source,session_id,timestamp',
        '--sort',
        'session_id,timestamp',
      ]);
      expect(teamRows.stdout, dataset).toBe(stages.stdout);
      const everything = await sql(url(), `SELECT * FROM ${prefix}grow_${dataset}_rows`);
      expect(JSON.stringify(everything), dataset).not.toContain(dir);
    }
    const usage = team([
      '--table',
      `${prefix}grow_usage`,
      '--dataset',
      'usage',
      '--by',
      'session_id',
      '--metric',
      'sum:output_tokens',
      '--sort',
      'session_id',
      '--format',
      'jsonl',
    ]);
    expect(usage.stdout).toBe(
      run('seq', ['query', '--dataset', 'usage', '--by', 'session_id', '--metric', 'sum:output_tokens', '--sort', 'session_id', '--format', 'jsonl', dir])
        .stdout,
    );
  });

  it('rows priced again (a price added) are sent again, whatever file the prices are in', () => {
    const line = JSON.stringify({
      type: 'assistant',
      sessionId: 's-price',
      requestId: 'req_p',
      uuid: 'u-p',
      timestamp: '2026-03-01T10:00:00.000Z',
      version: '2.1.0',
      message: { id: 'msg_p', role: 'assistant', model: 'my-local-model', content: [], usage: { input_tokens: 1000, output_tokens: 100 } },
    });
    const logs = tempFiles({ 's.jsonl': `${line}\n` });
    const prices = join(
      tempFiles({ 'mine.json': JSON.stringify({ 'my-local-model': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 } }) }),
      'mine.json',
    );
    const table = `${prefix}priced`;
    expect(push(['--dataset', 'usage', '--table', table, logs]).stderr).toContain('pushed 1 of 1');
    expect(ok(push(['--dataset', 'usage', '--table', table, '--prices', prices, logs])).stderr).toContain('pushed 1 of 1');
    const cost = team(['--dataset', 'usage', '--table', table, '--select', 'model,cost_usd', '--format', 'jsonl']);
    expect(cost.stdout).toBe(`${JSON.stringify({ model: 'my-local-model', cost_usd: 1000 * 1e-6 + 100 * 2e-6 })}\n`);
  });

  it('a query reads only a table of its own dataset and params; a push adds only to one', () => {
    ok(push(['--dataset', 'messages', '--table', `${prefix}roles`, '--param', 'roles=["user"]', ...INPUTS]));
    const other = push(['--dataset', 'messages', '--table', `${prefix}roles`, ...INPUTS]);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('holds other rows than this push');
    const mixed = team(['--dataset', 'messages', '--table', `${prefix}roles`, '--by', 'role']);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain('holds other rows than this query reads');
    const same = team(['--dataset', 'messages', '--table', `${prefix}roles`, '--roles', 'user', '--by', 'role']);
    expect(same.stdout).toBe(run('seq', ['query', '--dataset', 'messages', '--roles', 'user', '--by', 'role', ...INPUTS]).stdout);
    const wrong = team(['--dataset', 'usage', '--table', `${prefix}roles`, '--by', 'model']);
    expect(wrong.status).toBe(2);
  });

  it('a filter or window chooses the rows sent, and changes no key', async () => {
    const table = `${prefix}filtered`;
    ok(push(['--dataset', 'tool_calls', '--table', table, '--where', 'source == claude', ...INPUTS]));
    ok(push(['--dataset', 'tool_calls', '--table', table, ...INPUTS]));
    const [count] = await sql(url(), `SELECT count() AS n FROM ${table}`);
    const all = run('seq', ['query', '--dataset', 'tool_calls', '--metric', 'count', '--format', 'jsonl', ...INPUTS]);
    expect(Number(count?.n)).toBe((JSON.parse(all.stdout) as { count: number }).count);
  });

  it('only declared columns leave: no path, cwd, message text or snippet unless asked', async () => {
    const table = `${prefix}private`;
    ok(push(['--dataset', 'messages', '--table', table, ...INPUTS]));
    ok(push(['--dataset', 'sessions', '--table', `${table}_sessions`, ...INPUTS]));
    const columns = await sql(
      url(),
      `SELECT table, name FROM system.columns WHERE database = currentDatabase() AND table IN ('${table}_rows', '${table}_sessions_rows')`,
    );
    const names = columns.map((c) => `${String(c.table)}.${String(c.name)}`);
    expect(names).toContain(`${table}_rows.role`);
    for (const name of ['path', 'text', 'cwd']) expect(names.filter((n) => n.endsWith(`.${name}`))).toEqual([]);
    const sample = await sql(url(), `SELECT * FROM ${table}_rows LIMIT 50`);
    for (const input of INPUTS) expect(JSON.stringify(sample)).not.toContain(input);
    const refused = team(['--dataset', 'messages', '--table', table, '--where', 'text ~ hello']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('"text" was not pushed');
    expect(refused.stderr).toContain('--with-text');
    // Asked for, they go, into a table made for them; the first table refuses them.
    const mixed = push(['--dataset', 'messages', '--table', table, '--with-text', ...INPUTS]);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('has other columns than this push');
    ok(push(['--dataset', 'messages', '--table', `${table}_text`, '--with-text', '--with-paths', ...INPUTS]));
    const stages = run('seq', ['query', '--dataset', 'messages', '--select', 'path,text', ...INPUTS]);
    expect(team(['--dataset', 'messages', '--select', 'path,text', '--table', `${table}_text`]).stdout).toBe(stages.stdout);
  });
}

describe.skipIf(!requireChdb())('seq push to ClickHouse (its engine behind its HTTP interface)', () => {
  let shim: TestServer;
  beforeAll(async () => {
    shim = await startShim();
  });
  afterAll(() => shim?.stop());

  suite(() => shim, '');

  it('a push the server stops goes on where it was, and sends each row once', async () => {
    const table = 'stopped';
    const all = run('seq', ['query', '--dataset', 'tool_calls', '--metric', 'count', '--format', 'jsonl', ...INPUTS]);
    const rows = (JSON.parse(all.stdout) as { count: number }).count;
    expect(rows).toBeGreaterThan(300);
    await fetch(`${shim.url}/seq-test/fail-inserts?after=2`, { method: 'POST' });
    const stopped = run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'tool_calls', '--table', table, '--batch-rows', '100', ...INPUTS]);
    await fetch(`${shim.url}/seq-test/fail-inserts?after=-1`, { method: 'POST' });
    expect(stopped.status).toBe(1);
    expect(stopped.stderr).toContain(`ClickHouse at ${shim.url}: `);
    expect(stopped.stderr).toContain('Connection reset by peer');
    expect(stopped.stderr).toContain('; 200 rows were acknowledged before it stopped: push again to go on from there\n');
    const resumed = ok(run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'tool_calls', '--table', table, '--batch-rows', '100', ...INPUTS]));
    expect(resumed.stderr).toContain(`pushed ${rows - 200} of ${rows} tool_calls rows`);
    const [count] = await sql(shim.url, `SELECT count() AS n FROM ${table}`);
    expect(Number(count?.n)).toBe(rows);
  });

  it('a table an older seq made gains the fields a newer one declares', async () => {
    const table = 'older';
    ok(run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'usage', '--table', table, ...INPUTS]));
    await sql(shim.url, `ALTER TABLE ${table}_rows DROP COLUMN cost_usd`);
    await sql(shim.url, `CREATE OR REPLACE VIEW ${table} AS SELECT * FROM ${table}_rows`);
    ok(run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'usage', '--table', table, '--full', ...INPUTS]));
    const query = ['--dataset', 'usage', '--by', 'source', '--metric', 'sum:cost_usd:cost', '--sort', 'source'];
    const team = run('seq', ['query', '--engine', 'clickhouse', '--clickhouse', shim.url, '--table', table, ...query]);
    expect(team.stdout).toBe(run('seq', ['query', ...query, ...INPUTS]).stdout);
  });

  it('a table emptied on the server is filled again by the next push', async () => {
    const table = 'emptied';
    const first = ok(run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'usage', '--table', table, ...INPUTS]));
    const rows = Number(/pushed (\d+) of/.exec(first.stderr)?.[1]);
    await sql(shim.url, `TRUNCATE TABLE ${table}_rows`);
    const again = run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'usage', '--table', table, ...INPUTS]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`default.${table} on ${shim.url} has lost what this machine pushed (it was emptied): sending every row again`);
    expect(again.stderr).toContain(`pushed ${rows} of ${rows}`);
  });

  it('says what is wrong: no server, no table, a bad URL, flags of another engine', () => {
    const refused = run('seq', ['push', '--clickhouse', 'http://127.0.0.1:9', '--dataset', 'usage', ...INPUTS]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'seq: cannot reach ClickHouse at http://127.0.0.1:9: ECONNREFUSED; is the server running? (docs/team.md says how to start one)\n',
    );
    // Another HTTP server: one that answers an empty 404, one a page of HTML (its /ping says Ok.).
    const servers =
      `node -e "require('http').createServer((q, r) => { r.statusCode = 404; r.end() }).listen(18917)" & a=$!; ` +
      `node -e "require('http').createServer((q, r) => { const ping = q.url.startsWith('/ping'); r.statusCode = ping ? 200 : 501; r.end(ping ? 'Ok.\\n' : '<html><h1>Error 501</h1></html>') }).listen(18918)" & b=$!; sleep 0.5; `;
    const other = sh(
      `${servers}for port in 18917 18918; do seq push --clickhouse http://127.0.0.1:$port --dataset usage ${INPUTS.join(' ')}; echo "status $?" >&2; done; kill $a $b`,
    );
    expect(other.stderr).toBe(
      "seq: http://127.0.0.1:18917 gave an answer that is not ClickHouse's (an empty error); is it the HTTP interface of a ClickHouse server (http://HOST:8123)?\nstatus 1\n" +
        "seq: http://127.0.0.1:18918 gave an answer that is not ClickHouse's (Error 501); is it the HTTP interface of a ClickHouse server (http://HOST:8123)?\nstatus 1\n",
    );
    const database = run('seq', ['push', '--clickhouse', shim.url, '--dataset', 'usage', '--database', 'nosuchdb', ...INPUTS]);
    expect(database.status).toBe(1);
    expect(database.stderr).toContain(`ClickHouse at ${shim.url}: `);
    expect(database.stderr).toContain('nosuchdb');
    const none = run('seq', ['query', '--engine', 'clickhouse', '--clickhouse', shim.url, '--dataset', 'usage', '--table', 'nothing_here']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('there is no table default.nothing_here');
    for (const [args, message] of [
      [['push', '--clickhouse', 'ch:8123', '--dataset', 'usage'], '--clickhouse: "ch:" is not http: or https:'],
      [['push', '--clickhouse', 'not a url', '--dataset', 'usage'], '--clickhouse: "not a url" is not a URL'],
      [['push', '--clickhouse', 'http//alice:s3cret@ch:8123', '--dataset', 'usage'], '--clickhouse: "…@ch:8123" is not a URL'],
      [['push', '--clickhouse', 'http://alice:50%off@127.0.0.1:9', '--dataset', 'usage'], 'the user or password of http://127.0.0.1:9 is not URL-encoded'],
      [['push', '--clickhouse', shim.url, '--dataset', 'usage', '--table', 'we"ird'], '--table: "we"ird" is not a plain name'],
      [['push', '--clickhouse', shim.url, '--dataset', 'usage', '--database', ''], '--database: "" is not a plain name'],
      [['push', '--dataset', 'usage'], 'no server given'],
      [['push', '--clickhouse', shim.url, '--dataset', 'jsonl'], 'dataset "jsonl" keeps its input\'s own fields'],
      [['push', '--clickhouse', shim.url, '--dataset', 'usage', '--tz', 'Europe/Paris'], 'unknown option --tz'],
      [['push', '--clickhouse', shim.url, '--dataset', 'usage', '--batch-rows', '0'], '--batch-rows: "0" is not a positive whole number'],
      [['query', '--dataset', 'usage', '--clickhouse', shim.url], '--clickhouse is for --engine clickhouse'],
      [['query', '--engine', 'clickhouse', '--dataset', 'usage'], '--engine clickhouse needs the server'],
      [['query', '--engine', 'clickhouse', '--clickhouse', shim.url, '--dataset', 'usage', 'some/path'], 'reads the rows pushed to the server, not files'],
      [['query', '--engine', 'clickhouse', '--clickhouse', shim.url, '--dataset', 'usage', '--tz', 'Europe/Paris'], 'are in UTC, not in "Europe/Paris"'],
    ] as const) {
      const r = run('seq', [...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
  });
});

const REAL = process.env.SEQ_CLICKHOUSE_URL;
describe.skipIf(REAL === undefined)('seq push to the ClickHouse server SEQ_CLICKHOUSE_URL names', () => {
  if (REAL === undefined) console.warn('skipping the tests against a ClickHouse server: set SEQ_CLICKHOUSE_URL (docs/team.md says how to start one)');
  suite(() => ({ url: REAL as string, stop: () => undefined }), `seq_test_${process.pid}_`);
});
