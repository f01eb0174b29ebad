/**
 * A ClickHouse server for the tests and the team benchmark: ClickHouse's engine in-process
 * (chdb, test/helpers/chdb.ts) behind the part of ClickHouse's HTTP interface that
 * @clickhouse/client speaks (GET /ping; POST / with the SQL in the body, or an INSERT in the
 * `query` parameter and its rows in the body, gzip or not; errors as status 500 with
 * ClickHouse's "Code: N. DB::Exception" text). It prints its URL on its first line, and runs
 * until it is killed. Queries run one at a time, as chdb runs them.
 *
 * For the tests of a push that fails midway: POST /seq-test/fail-inserts?after=N makes every
 * INSERT after the next N fail (after=-1: none), as a server that went away would.
 *
 *   node --import tsx test/helpers/clickhouse-shim.ts [DATA_FOLDER]
 */
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { chdbPackage } from './chdb.js';

interface PathSession {
  query(sql: string, format?: string): string;
}

const folder = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'seq-clickhouse-'));
const chdb = createRequire(chdbPackage())(dirname(chdbPackage())) as { Session: new (path: string) => PathSession };
const session = new chdb.Session(folder);

/** Inserts still let through before they fail; undefined: all are. */
let insertsLeft: number | undefined;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/ping') {
      response.end('Ok.\n');
      return;
    }
    if (url.pathname === '/seq-test/fail-inserts') {
      const after = Number(url.searchParams.get('after'));
      insertsLeft = after < 0 ? undefined : after;
      response.end('');
      return;
    }
    let body = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const prefix = url.searchParams.get('query');
    const sql = prefix === null ? body.toString('utf8') : `${prefix}\n${body.toString('utf8')}`;
    if (/^\s*INSERT\b/i.test(sql) && insertsLeft !== undefined) {
      if (insertsLeft === 0) {
        response.statusCode = 500;
        response.end('Code: 210. DB::NetException: Connection reset by peer (the test asked this insert to fail)');
        return;
      }
      insertsLeft--;
    }
    try {
      // The session's database is the request's, as a server's is.
      session.query(`USE \`${(url.searchParams.get('database') ?? 'default').replaceAll('`', '``')}\``);
      const out = session.query(sql, 'TabSeparated');
      response.setHeader('X-ClickHouse-Summary', '{}');
      response.end(out);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response.statusCode = 500;
      response.end(/Code: \d+/.test(message) ? message : `Code: 1000. DB::Exception: ${message}`);
    }
  });
});

// An idle connection is the client's to close: with no timeout the server sends no Keep-Alive
// hint, and fetch closes its idle connections after 4 s. A server that closes one first races a
// request sent on it at that moment, which then fails with "other side closed".
server.keepAliveTimeout = 0;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`http://127.0.0.1:${address.port}\n`);
});
