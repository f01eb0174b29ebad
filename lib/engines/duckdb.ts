/**
 * Embedded DuckDB (`@duckdb/node-api`, no server): a dataset's rows as a table with the
 * dataset's declared column types. The package is loaded only by the commands that use it, so
 * a plain query never pays for it. It reaches no network: extensions it lacks are not installed.
 */
import { createRequire } from 'node:module';
import { Transform, Writable } from 'node:stream';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { FieldInfo, FieldType } from '../datasets/types.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import { replacementOf, type Output } from '../jsonl/output.js';
import { errorReason, InputError } from '../base/errors.js';
import { COLUMN_TYPES, compileSql, quoteName, quoteText, type SqlColumn, type SqlQuery } from './sql.js';

export interface DuckDB {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuckDB(): Promise<DuckDB> {
  let api: typeof import('@duckdb/node-api');
  try {
    // required, not imported: the executables run their bundle as a script, which has no import().
    api = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
  } catch (error) {
    throw new InputError(`cannot load DuckDB (@duckdb/node-api): ${errorReason(error)}; run npm install in seq's folder`);
  }
  const instance = await api.DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  let open = true;
  return {
    instance,
    connection,
    close() {
      if (!open) return;
      open = false;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Creates the table of the fields' columns, and of `row` (a BIGINT) when given. */
export async function createTable(db: DuckDB, table: string, fields: readonly FieldInfo[], row?: string): Promise<void> {
  const columns = fields.map((field) => `${quoteName(field.name)} ${COLUMN_TYPES.duckdb[field.type]}`);
  if (row !== undefined) columns.push(`${quoteName(row)} BIGINT`);
  await db.connection.run(`CREATE TABLE ${quoteName(table)} (${columns.join(', ')})`);
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

/**
 * An output that loads the rows into a table, then, at their end, has DuckDB write the table
 * as Parquet to a file beside FILE, renamed over it when the run succeeds.
 */
/** A value of the SELECT's rows as the stages hold it: integers as numbers, JSON parsed. */
function fromDuckDB(value: unknown, column: SqlColumn): JsonValue {
  if (value === null || value === undefined) return null;
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
  const db = await openDuckDB();
  let appender: DuckDBAppender;
  try {
    await createTable(db, query.table, query.fields, ROW);
    appender = await db.connection.createAppender(query.table);
  } catch (error) {
    db.close();
    throw error;
  }
  let rows = 0;
  return new Transform({
    objectMode: true,
    transform(row: Row, _encoding, callback) {
      try {
        for (const field of query.fields) append(appender, row[field.name], field.type);
        appender.appendBigInt(BigInt(rows++));
        appender.endRow();
        callback();
      } catch (error) {
        callback(new InputError(`cannot add row ${rows} to DuckDB: ${errorReason(error)}`));
      }
    },
    flush(callback) {
      const run = async (): Promise<void> => {
        appender.closeSync();
        const result = await db.connection.runAndReadAll(compiled.sql);
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

export async function parquetOutput(path: string, table: string, fields: readonly FieldInfo[]): Promise<Output & { rows(): number }> {
  const file = replacementOf(path);
  let db: DuckDB;
  let appender: DuckDBAppender;
  try {
    db = await openDuckDB();
    await createTable(db, table, fields);
    appender = await db.connection.createAppender(table);
  } catch (error) {
    file.abort();
    throw error;
  }
  let rows = 0;
  const stream = new Writable({
    objectMode: true,
    write(row: Row, _encoding, callback) {
      try {
        for (const field of fields) append(appender, row[field.name], field.type);
        appender.endRow();
        rows++;
        callback();
      } catch (error) {
        callback(new InputError(`cannot add row ${rows + 1} to the Parquet table: ${errorReason(error)}`));
      }
    },
    final(callback) {
      try {
        appender.closeSync();
      } catch (error) {
        callback(new InputError(`cannot add the rows to the Parquet table: ${errorReason(error)}`));
        return;
      }
      db.connection
        .run(`COPY ${quoteName(table)} TO ${quoteText(file.temporary)} (FORMAT parquet)`)
        .then(() => callback())
        .catch((error: unknown) => callback(new InputError(`cannot write ${path}: ${errorReason(error)}`)));
    },
  });
  return {
    stream,
    rows: () => rows,
    commit() {
      db.close();
      try {
        file.commit();
      } catch (error) {
        file.abort();
        throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
      }
    },
    abort() {
      db.close();
      file.abort();
    },
  };
}
