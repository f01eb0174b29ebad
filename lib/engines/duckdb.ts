/**
 * Embedded DuckDB (`@duckdb/node-api`, no server): a dataset's rows as a table with the
 * dataset's declared column types. The package is loaded only by the commands that use it, so
 * a plain query never pays for it. It reaches no network and loads no extension it was not
 * built with, and what it spills goes to a folder of its own under the system's temporary one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { FieldInfo, FieldType } from '../datasets/types.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import { replacementOf, type Output } from '../jsonl/output.js';
import { errorReason, InputError, UsageError } from '../base/errors.js';
import { onInterrupt } from '../base/interrupts.js';
import { COLUMN_TYPES, compileSql, quoteName, quoteText, type CompiledSql, type SqlColumn, type SqlQuery } from './sql.js';

export interface DuckDB {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuckDB(): Promise<DuckDB> {
  let api: typeof import('@duckdb/node-api');
  try {
    // Required through Node when a run needs it, not imported: the build leaves the package out of seq's scripts.
    api = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
  } catch (error) {
    throw new InputError(`cannot load DuckDB (@duckdb/node-api): ${errorReason(error)}; run npm install in seq's folder`);
  }
  const spill = mkdtempSync(join(tmpdir(), 'seq-duckdb-'));
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    connection?.interrupt();
    connection?.closeSync();
    instance?.closeSync();
    rmSync(spill, { recursive: true, force: true });
  };
  onInterrupt(close);
  try {
    instance = await api.DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      temp_directory: spill,
    });
    connection = await instance.connect();
  } catch (error) {
    close();
    throw new InputError(`cannot start DuckDB: ${errorReason(error)}`);
  }
  return { instance, connection, close };
}

/**
 * A new DuckDB holding an empty table of the fields' columns (and of `row`, a BIGINT, when
 * given), with an appender to fill it; DuckDB is closed again when that fails. `query`: a SELECT
 * over the table that must run, tried on it empty first, so that what DuckDB refuses (a pattern
 * RE2 cannot compile) is said before any log is read.
 */
async function openTable(table: string, fields: readonly FieldInfo[], row?: string, query?: string): Promise<{ db: DuckDB; appender: DuckDBAppender }> {
  const db = await openDuckDB();
  try {
    const columns = fields.map((field) => `${quoteName(field.name)} ${COLUMN_TYPES.duckdb[field.type]}`);
    if (row !== undefined) columns.push(`${quoteName(row)} BIGINT`);
    await db.connection.run(`CREATE TABLE ${quoteName(table)} (${columns.join(', ')})`);
    if (query !== undefined) {
      try {
        await db.connection.run(`EXPLAIN ${query}`);
      } catch (error) {
        throw new UsageError(`--engine duckdb cannot run this query: ${errorReason(error)}`, 'run it with --engine stages');
      }
    }
    return { db, appender: await db.connection.createAppender(table) };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Appends one value of a row made by the declared stage (each value null or of its field's type). */
function append(appender: DuckDBAppender, value: JsonValue | undefined, type: FieldType): void {
  if (value === undefined || value === null) appender.appendNull();
  else if (type === 'integer') appender.appendBigInt(BigInt(value as number));
  else if (type === 'number') appender.appendDouble(value as number);
  else if (type === 'boolean') appender.appendBoolean(value as boolean);
  else if (type === 'string') appender.appendVarchar(value as string);
  else appender.appendVarchar(JSON.stringify(value));
}

/** Appends a row's values, in the fields' order, without ending the row. */
function appendFields(appender: DuckDBAppender, row: Row, fields: readonly FieldInfo[]): void {
  for (const field of fields) append(appender, row[field.name], field.type);
}

/**
 * The SELECT as it is run: its text columns read as their UTF-8 bytes, which fromDuckDB decodes
 * (the text DuckDB's reader gives has lost a leading U+FEFF, as TextDecoder drops it).
 */
function asRun(compiled: CompiledSql): string {
  if (!compiled.columns.some((column) => column.kind === 'string')) return compiled.sql;
  const list = compiled.columns.map((column) =>
    column.kind === 'string' ? `encode(${quoteName(column.name)}) AS ${quoteName(column.name)}` : quoteName(column.name),
  );
  return `SELECT ${list.join(', ')} FROM (${compiled.sql}) AS q`;
}

/** A value of the SELECT's rows as the stages hold it: integers as numbers, JSON parsed, text from its bytes. */
function fromDuckDB(value: unknown, column: SqlColumn): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Object && 'bytes' in value && value.bytes instanceof Uint8Array)
    return Buffer.from(value.bytes.buffer, value.bytes.byteOffset, value.bytes.byteLength).toString('utf8');
  if (typeof value === 'bigint') return Number(value);
  if (column.kind === 'json' && typeof value === 'string') return JSON.parse(value) as JsonValue;
  return value as JsonValue;
}

/** The name of the rows' order in an engine's table: no dataset field starts with "__". */
const ROW = '__seq_row';

/**
 * The stage that runs a query on DuckDB: it loads the rows it is given (each of the declared
 * stage) into a table, numbered in their order, and at their end gives the rows of the query's
 * SELECT. The format stage after it selects, sorts and cuts as it does after the stages.
 */
export async function duckdbStage(query: Omit<SqlQuery, 'row'>): Promise<Transform> {
  const compiled = compileSql({ ...query, row: ROW });
  const select = asRun(compiled);
  const { db, appender } = await openTable(query.table, query.fields, ROW, select);
  let rows = 0;
  return new Transform({
    objectMode: true,
    transform(row: Row, _encoding, callback) {
      try {
        appendFields(appender, row, query.fields);
        appender.appendBigInt(BigInt(++rows));
        appender.endRow();
        callback();
      } catch (error) {
        callback(new InputError(`cannot add row ${rows} (from 1) to DuckDB: ${errorReason(error)}`));
      }
    },
    flush(callback) {
      const run = async (): Promise<void> => {
        appender.closeSync();
        const result = await db.connection.runAndReadAll(select);
        for (const values of result.getRows()) {
          const out: Row = Object.create(null) as Row;
          compiled.columns.forEach((column, i) => {
            out[column.name] = fromDuckDB(values[i], column);
          });
          this.push(out);
        }
      };
      run()
        .then(
          () => callback(),
          (error: unknown) => callback(new InputError(`DuckDB could not run the query: ${errorReason(error)}`)),
        )
        .finally(() => db.close());
    },
    destroy(error, callback) {
      db.close();
      callback(error);
    },
  });
}

/**
 * An output that loads the rows into a table, then, at their end, has DuckDB write the table as
 * Parquet into the file beside FILE that replaces it when the run succeeds (in place, so that the
 * file is flushed and keeps the mode of the one it replaces).
 */
export async function parquetOutput(path: string, table: string, fields: readonly FieldInfo[]): Promise<Output> {
  const file = replacementOf(path);
  let duck: DuckDB;
  let appender: DuckDBAppender;
  try {
    ({ db: duck, appender } = await openTable(table, fields));
  } catch (error) {
    file.abort();
    throw error;
  }
  // Ctrl-C while DuckDB writes: it is stopped first, then what it wrote is removed.
  onInterrupt(() => {
    duck.close();
    file.abort();
  });
  let rows = 0;
  const stream = new Writable({
    objectMode: true,
    write(row: Row, _encoding, callback) {
      try {
        appendFields(appender, row, fields);
        appender.endRow();
        rows++;
        callback();
      } catch (error) {
        callback(new InputError(`cannot add row ${rows + 1} (from 1) to the Parquet table: ${errorReason(error)}`));
      }
    },
    final(callback) {
      try {
        appender.closeSync();
      } catch (error) {
        callback(new InputError(`cannot add the rows to the Parquet table: ${errorReason(error)}`));
        return;
      }
      duck.connection
        .run(`COPY ${quoteName(table)} TO ${quoteText(file.temporary)} (FORMAT parquet, USE_TMP_FILE false)`)
        .then(() => callback())
        .catch((error: unknown) => callback(new InputError(`cannot write ${path}: ${errorReason(error)}`)));
    },
  });
  return {
    stream,
    path,
    commit() {
      duck.close();
      try {
        file.commit();
      } catch (error) {
        file.abort();
        throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
      }
    },
    abort() {
      duck.close();
      file.abort();
    },
  };
}
