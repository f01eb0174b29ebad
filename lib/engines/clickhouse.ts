/**
 * A ClickHouse server over HTTP (`@clickhouse/client`, loaded only by the commands that use it):
 * a team's tables of pushed rows. Each dataset's rows are a table `<name>_rows`, a
 * ReplacingMergeTree keyed by each row's identity (a row pushed twice, or from two copies of a
 * log, is one row), and a view `<name>` of its rows as they are once merged, with the dataset's
 * declared fields as columns: the SELECT of `seq sql --dialect clickhouse` runs on it unchanged.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { FieldInfo } from '../datasets/types.js';
import type { ParamInfo } from '../spec/catalog.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import { errorReason, InputError, UsageError } from '../base/errors.js';
import { COLUMN_TYPES, clickhouseName, clickhouseText, type SqlColumn } from './sql.js';

/** A pushed row's columns besides its dataset's fields, with their types on the server, and what they hold. */
export const PUSH_COLUMNS = {
  machine: { name: 'machine', type: 'LowCardinality(String)', holds: 'the machine whose logs the row was read from (--machine, else its host name)' },
  key: { name: 'seq_key', type: 'String', holds: "a digest of the row's identity: the table's key" },
  version: { name: 'seq_version', type: 'Int64', holds: 'of two rows with one key, the larger is kept (the later pushed on a tie)' },
  deleted: { name: 'seq_deleted', type: 'UInt8', holds: '1: the row is gone from the logs it was read from' },
  row: { name: 'seq_row', type: 'UInt64', holds: 'its place in the push that sent it, for the order of ties' },
  pushedAt: { name: 'pushed_at', type: "DateTime64(3, 'UTC')", holds: 'when it was pushed' },
} as const;

/** The machine column, as a field of the view's rows. */
export const MACHINE_FIELD: FieldInfo = { name: PUSH_COLUMNS.machine.name, type: 'string', description: PUSH_COLUMNS.machine.holds };

/** In the view: (machine, seq_pushed, seq_row), the order in which the rows were pushed and read. */
export const ORDER_COLUMN = 'seq_order';

/** The table that holds the rows, and the view of them merged. */
export function rowsTable(view: string): string {
  return `${view}_rows`;
}

/** A name the tables may have: what needs no quoting anywhere (the client writes it into INSERT as it is). */
export function checkName(name: string, flag: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(`${flag}: "${name}" is not a plain name`, 'use letters, digits and _ (not starting with a digit)');
  return name;
}

function isJson(field: FieldInfo): boolean {
  return field.type === 'object' || field.type === 'array' || field.type === 'any';
}

/** The columns a table of pushed rows has for these fields, with their types, as system.columns names them. */
export function tableColumns(fields: readonly FieldInfo[]): Map<string, string> {
  const columns = new Map(fields.map((field) => [field.name, COLUMN_TYPES.clickhouse[field.type]]));
  for (const column of Object.values(PUSH_COLUMNS)) columns.set(column.name, column.type);
  return columns;
}

/**
 * What a table says of its rows (its comment): the dataset and the params they were made with,
 * those left at their defaults not named (so that a param a newer seq adds changes no table's),
 * nor those that name a file of the pushing machine.
 */
export function tableComment(dataset: string, params: Record<string, JsonValue>, defaults: readonly ParamInfo[]): string {
  const given = Object.entries(params).filter(([name, value]) => {
    const info = defaults.find((p) => p.name === name);
    return info?.local !== true && JSON.stringify(value) !== JSON.stringify(info?.default);
  });
  return JSON.stringify({ seq_dataset: dataset, params: Object.fromEntries(given) });
}

/** The CREATE statements of a dataset's table and view, for these of its fields. */
export function createStatements(view: string, fields: readonly FieldInfo[], comment: string): string[] {
  const columns = [...tableColumns(fields)].map(([name, type]) => `${clickhouseName(name)} ${type}`);
  const { key, version, deleted, machine, row, pushedAt } = PUSH_COLUMNS;
  const hidden = [key, version, deleted].map((column) => clickhouseName(column.name)).join(', ');
  const order = `(${clickhouseName(machine.name)}, ${clickhouseName(pushedAt.name)}, ${clickhouseName(row.name)}) AS ${clickhouseName(ORDER_COLUMN)}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${clickhouseName(rowsTable(view))} (\n  ${columns.join(',\n  ')}\n) ENGINE = ReplacingMergeTree(${clickhouseName(version.name)}, ${clickhouseName(deleted.name)}) ORDER BY ${clickhouseName(key.name)} COMMENT ${clickhouseText(comment)}`,
    `CREATE OR REPLACE VIEW ${clickhouseName(view)} AS SELECT * EXCEPT (${hidden}), ${order} FROM ${clickhouseName(rowsTable(view))} FINAL WHERE ${clickhouseName(deleted.name)} = 0`,
  ];
}

/** A row's values as the table's columns hold them, in the fields' order: objects and arrays as their JSON text. */
/**
 * A row's values as a table takes them. Text holding half of a surrogate pair (a log cut inside an
 * emoji) goes as UTF-8 with U+FFFD in its place, as DuckDB and Parquet store it: ClickHouse refuses
 * the half's escape, and one such row would stop every push after it.
 */
export function tableValues(row: Row, fields: readonly FieldInfo[]): JsonValue[] {
  return fields.map((field) => {
    const value = row[field.name] ?? null;
    if (isJson(field) && value !== null) return JSON.stringify(value, wellFormed);
    return typeof value === 'string' ? value.toWellFormed() : value;
  });
}

function wellFormed(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.toWellFormed() : value;
}

/** A row of a SELECT's output (JSONEachRow, 64-bit integers unquoted) as the stages' row: JSON columns parsed. */
export function resultRow(values: Record<string, JsonValue>, columns: readonly SqlColumn[]): Row {
  const list = Object.values(values);
  const row: Row = {};
  columns.forEach((column, i) => {
    const value = list[i] ?? null;
    row[column.name] = column.kind === 'json' && typeof value === 'string' ? (JSON.parse(value) as JsonValue) : value;
  });
  return row;
}

/** Settings a SELECT of ours ends with: numbers as JSON numbers, as the stages print them. */
export const SELECT_SETTINGS = 'SETTINGS output_format_json_quote_64bit_integers = 0';

/** A connection to a server: what the push and the engine ask of it. */
export interface ClickHouse {
  /** The server, as messages name it (no password). */
  readonly where: string;
  command(sql: string): Promise<void>;
  /** Sends rows (their values, in the order of `columns`) to a table; resolves once the server has them. */
  insert(table: string, columns: readonly string[], rows: readonly JsonValue[][]): Promise<void>;
  /** The rows of a SELECT whose answer is small. */
  select(sql: string): Promise<Record<string, JsonValue>[]>;
  /** The rows of a SELECT as a stream of objects. */
  stream(sql: string): Promise<Readable>;
  close(): Promise<void>;
}

/** Where a server is, for a message: its address without user or password. */
function redacted(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** What went wrong talking to the server, for a person. */
function failure(where: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'ETIMEDOUT')
    return new InputError(`cannot reach ClickHouse at ${where}: ${code}; is the server running? (docs/team.md says how to start one)`);
  const message = errorReason(error).replace(/\s+/g, ' ').trim();
  if (/authentication failed|password is incorrect|REQUIRED_PASSWORD/i.test(message))
    return new InputError(
      `ClickHouse at ${where} refused the user: ${message}; give it in the URL (http://USER:PASSWORD@HOST:8123) or in CLICKHOUSE_USER and CLICKHOUSE_PASSWORD`,
    );
  // An answer without ClickHouse's code and type, empty or a page of HTML: another server answered.
  const fromClickHouse = typeof (error as { type?: unknown } | undefined)?.type === 'string';
  if (!fromClickHouse && (message === '' || message.startsWith('<'))) {
    const text = message
      .replace(/(?:<[^>]*>|\s)+/g, ' ')
      .trim()
      .slice(0, 120);
    return new InputError(
      `${where} gave an answer that is not ClickHouse's${text === '' ? ' (an empty error)' : ` (${text})`}; is it the HTTP interface of a ClickHouse server (http://HOST:8123)?`,
    );
  }
  return new InputError(`ClickHouse at ${where}: ${message}`);
}

/**
 * Connects to the server at `address` (http or https; user and password in it, or in CLICKHOUSE_USER
 * and CLICKHOUSE_PASSWORD), in `database`. `flag` names the option the address came from.
 */
export async function connectClickHouse(address: string, database: string, flag: string): Promise<ClickHouse> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    // What comes before an @ may be a password: it is never repeated.
    throw new UsageError(`${flag}: "${address.replace(/^.*@/, '…@')}" is not a URL`, 'give the server as http://HOST:8123 (https for TLS)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag}: "${url.protocol}" is not http: or https:`, 'ClickHouse is reached over its HTTP interface, http://HOST:8123');
  const where = redacted(url);
  let username: string;
  let password: string;
  try {
    username = decodeURIComponent(url.username) || process.env.CLICKHOUSE_USER || 'default';
    password = decodeURIComponent(url.password) || process.env.CLICKHOUSE_PASSWORD || '';
  } catch {
    throw new UsageError(
      `${flag}: the user or password of ${where} is not URL-encoded`,
      'write % as %25 in it, or give it in CLICKHOUSE_USER and CLICKHOUSE_PASSWORD',
    );
  }
  let api: typeof import('@clickhouse/client');
  try {
    // Required through Node when a run needs it, not imported: the build leaves the package out of seq's scripts.
    api = createRequire(import.meta.url)('@clickhouse/client') as typeof import('@clickhouse/client');
  } catch (error) {
    throw new InputError(`cannot load the ClickHouse client (@clickhouse/client): ${errorReason(error)}; run npm install in seq's folder`);
  }
  url.username = '';
  url.password = '';
  const client: ClickHouseClient = api.createClient({
    url: url.toString(),
    username,
    password,
    database,
    application: 'seq',
    compression: { request: true, response: false },
    // Failures come back to the caller, and are said once, as the message of the command.
    log: { level: api.ClickHouseLogLevel.OFF },
  });
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw failure(where, error);
    }
  };
  await guard(async () => {
    const ping = await client.ping();
    if (!ping.success) throw ping.error;
  });
  return {
    where,
    command: (sql) => guard(async () => void (await client.command({ query: sql }))),
    insert: (table, columns, rows) =>
      guard(
        async () =>
          void (await client.insert({
            table,
            columns: [...columns] as [string, ...string[]],
            values: rows as JsonValue[][],
            format: 'JSONCompactEachRow',
            // A server that inserts asynchronously answers only once the rows are written: what it acknowledged is kept.
            clickhouse_settings: { wait_for_async_insert: 1 },
          })),
      ),
    select: (sql) => guard(async () => (await (await client.query({ query: sql, format: 'JSONEachRow' })).json()) as Record<string, JsonValue>[]),
    stream: (sql) =>
      guard(async () => {
        const result = await client.query({ query: sql, format: 'JSONEachRow' });
        const rows = async function* (): AsyncGenerator<Record<string, JsonValue>> {
          try {
            for await (const batch of result.stream()) for (const row of batch) yield row.json() as Record<string, JsonValue>;
          } catch (error) {
            throw failure(where, error);
          }
        };
        return Readable.from(rows(), { objectMode: true });
      }),
    close: () => client.close(),
  };
}
