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
import type { JsonValue, Row } from '../jsonl/json.js';
import { errorReason, InputError, UsageError } from '../base/errors.js';
import { COLUMN_TYPES, quoteName, type SqlColumn } from './sql.js';

/** The columns a pushed row has besides its dataset's fields. */
export const PUSH_COLUMNS = {
  /** The machine whose logs the row was read from. */
  machine: 'machine',
  /** The row's identity, as a digest: the table's key. */
  key: 'seq_key',
  /** Of two rows with one key, the one kept: the larger (the later pushed on a tie). */
  version: 'seq_version',
  /** The row's place in its push, for the order of rows that nothing else orders. */
  row: 'seq_row',
  pushedAt: 'pushed_at',
  /** (machine, seq_row), in the view: the order the rows were read in, machine by machine. */
  order: 'seq_order',
} as const;

const PUSH_COLUMN_TYPES: Record<keyof typeof PUSH_COLUMNS, string | undefined> = {
  machine: 'LowCardinality(String)',
  key: 'String',
  version: 'Int64',
  row: 'UInt64',
  pushedAt: "DateTime64(3, 'UTC')",
  order: undefined,
};

/** The table that holds the rows, and the view of them merged. */
export function rowsTable(view: string): string {
  return `${view}_rows`;
}

function isJson(field: FieldInfo): boolean {
  return field.type === 'object' || field.type === 'array' || field.type === 'any';
}

/** The CREATE statements of a dataset's table and view, for these of its fields. */
export function createStatements(view: string, fields: readonly FieldInfo[]): string[] {
  const columns = [
    ...fields.map((field) => `${quoteName(field.name)} ${COLUMN_TYPES.clickhouse[field.type]}`),
    ...Object.entries(PUSH_COLUMNS).flatMap(([name, column]) => {
      const type = PUSH_COLUMN_TYPES[name as keyof typeof PUSH_COLUMNS];
      return type === undefined ? [] : [`${quoteName(column)} ${type}`];
    }),
  ];
  const { key, version, machine, row, order } = PUSH_COLUMNS;
  return [
    `CREATE TABLE IF NOT EXISTS ${quoteName(rowsTable(view))} (\n  ${columns.join(',\n  ')}\n) ENGINE = ReplacingMergeTree(${quoteName(version)}) ORDER BY ${quoteName(key)}`,
    `CREATE VIEW IF NOT EXISTS ${quoteName(view)} AS SELECT * EXCEPT (${quoteName(key)}, ${quoteName(version)}), (${quoteName(machine)}, ${quoteName(row)}) AS ${quoteName(order)} FROM ${quoteName(rowsTable(view))} FINAL`,
  ];
}

/** The columns a table of pushed rows must have for these fields, with their types, as system.columns names them. */
export function expectedColumns(fields: readonly FieldInfo[]): Map<string, string> {
  const columns = new Map(fields.map((field) => [field.name, COLUMN_TYPES.clickhouse[field.type]]));
  for (const [name, column] of Object.entries(PUSH_COLUMNS)) {
    const type = PUSH_COLUMN_TYPES[name as keyof typeof PUSH_COLUMNS];
    if (type !== undefined) columns.set(column, type);
  }
  return columns;
}

/** A row's values as the table's columns hold them, in the fields' order: objects and arrays as their JSON text. */
export function tableValues(row: Row, fields: readonly FieldInfo[]): JsonValue[] {
  return fields.map((field) => {
    const value = row[field.name] ?? null;
    return isJson(field) && value !== null ? JSON.stringify(value) : value;
  });
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
    throw new UsageError(`${flag}: "${address}" is not a URL`, 'give the server as http://HOST:8123 (https for TLS)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag}: "${url.protocol}" is not http: or https:`, 'ClickHouse is reached over its HTTP interface, http://HOST:8123');
  const where = redacted(url);
  let api: typeof import('@clickhouse/client');
  try {
    // required, not imported: the executables run their bundle as a script, which has no import().
    api = createRequire(import.meta.url)('@clickhouse/client') as typeof import('@clickhouse/client');
  } catch (error) {
    throw new InputError(`cannot load the ClickHouse client (@clickhouse/client): ${errorReason(error)}; run npm install in seq's folder`);
  }
  const username = decodeURIComponent(url.username) || process.env.CLICKHOUSE_USER || 'default';
  const password = decodeURIComponent(url.password) || process.env.CLICKHOUSE_PASSWORD || '';
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
          void (await client.insert({ table, columns: [...columns] as [string, ...string[]], values: rows as JsonValue[][], format: 'JSONCompactEachRow' })),
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
