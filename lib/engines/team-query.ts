/**
 * A spec run on a team's ClickHouse server, over the rows everyone pushed (seq push): the
 * spec's SELECT on the dataset's view, its rows streamed back as the stages' rows. Rows that tie
 * on the sort (and groups) come in the order they were read, machine by machine, as pushed.
 */
import { type Readable, Transform } from 'node:stream';
import { InputError, UsageError } from '../base/errors.js';
import type { FieldInfo } from '../datasets/types.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import type { Predicate } from '../spec/types.js';
import { connectClickHouse, MACHINE_FIELD, ORDER_COLUMN, resultRow, rowsTable, SELECT_SETTINGS, tableComment, type ClickHouse } from './clickhouse.js';
import { compileSql, clickhouseText, type SqlQuery } from './sql.js';
import { findDataset } from '../datasets/registry.js';
import { namesRead } from '../spec/fields-read.js';

export interface TeamQuery extends Omit<SqlQuery, 'table' | 'row' | 'window'> {
  address: string;
  database: string;
  /** The view of the dataset's rows. */
  view: string;
  dataset: string;
  params: Record<string, JsonValue>;
  /** The scan's keys that choose rows: which agent's, and the time window. */
  source: string;
  window: NonNullable<SqlQuery['window']>;
}

/** The view's columns, and the declared fields among them (with the machine). */
async function teamFields(clickhouse: ClickHouse, query: TeamQuery): Promise<FieldInfo[]> {
  const found = await clickhouse.select(`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = ${clickhouseText(query.view)}`);
  const columns = new Set(found.map((column) => String(column.name)));
  if (columns.size === 0)
    throw new InputError(
      `there is no table ${query.database}.${query.view} on ${clickhouse.where}; seq push --clickhouse URL --dataset ${query.dataset} makes it and sends this machine's rows`,
    );
  const [table] = await clickhouse.select(
    `SELECT comment FROM system.tables WHERE database = currentDatabase() AND name = ${clickhouseText(rowsTable(query.view))}`,
  );
  const comment = tableComment(query.dataset, query.params, findDataset(query.dataset)?.params ?? []);
  if (table?.comment !== comment)
    throw new UsageError(
      `${query.database}.${query.view} holds other rows than this query reads (${String(table?.comment ?? '') || 'no dataset said'}; this query: ${comment})`,
      'query the dataset with the params it was pushed with, or its own --table',
      'seq query',
    );
  const fields = query.fields.filter((field) => columns.has(field.name));
  const left = query.fields.filter((field) => !columns.has(field.name)).map((field) => field.name);
  const missing = namesRead(query.where, query.group, query)
    .map(({ name }) => name)
    .find((name) => left.includes(name));
  if (missing !== undefined) {
    const why = query.fields.find((field) => field.name === missing)?.private;
    throw new UsageError(
      `"${missing}" was not pushed to ${query.database}.${query.view}`,
      why === undefined
        ? 'push the rows again with a seq that has it'
        : `seq push leaves ${why === 'path' ? 'places on disk' : 'what was written'} on each machine unless --with-${why === 'path' ? 'paths' : 'text'}`,
      'seq query',
    );
  }
  return [...fields, MACHINE_FIELD];
}

/** The rows of a spec's SELECT on the server, and what closes the connection once they are read. */
export async function teamRows(query: TeamQuery): Promise<{ reader: RecordReader; close(): Promise<void> }> {
  const clickhouse = await connectClickHouse(query.address, query.database, '--clickhouse');
  try {
    const fields = await teamFields(clickhouse, query);
    const where: Predicate[] =
      query.source === 'auto' ? query.where : [{ field: 'source', op: 'eq', value: query.source, caseInsensitive: false }, ...query.where];
    const compiled = compileSql(
      {
        table: query.view,
        fields,
        where,
        group: query.group,
        sort: query.sort,
        limit: query.limit,
        select: query.select,
        row: ORDER_COLUMN,
        window: query.window,
      },
      'clickhouse',
    );
    const stream = await clickhouse.stream(`${compiled.sql}\n${SELECT_SETTINGS}`);
    const rows = new Transform({
      objectMode: true,
      transform(values: Record<string, JsonValue>, _encoding, callback) {
        callback(null, resultRow(values, compiled.columns) satisfies Row);
      },
    });
    stream.on('error', (error) => rows.destroy(error));
    const records: Readable = stream.pipe(rows);
    const stop = (): void => {
      stream.unpipe(rows);
      stream.destroy();
      rows.end();
    };
    return { reader: { records, stop }, close: () => clickhouse.close() };
  } catch (error) {
    await clickhouse.close();
    throw error;
  }
}
