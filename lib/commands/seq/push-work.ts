/** What `seq push` runs: its declaration (push.ts) loads this when it runs. */
import { nodeCrypto } from '../../base/builtins.js';
import { hostname } from 'node:os';
import { InputError, OutputError, UsageError } from '../../base/errors.js';
import { counted } from '../../base/plural.js';
import { runChain } from '../../cli/pipeline.js';
import { CATALOG, checkSpecFields, findDataset, sqlTable } from '../../datasets/registry.js';
import type { FieldInfo } from '../../datasets/types.js';
import { InputProblems } from '../../jsonl/problems.js';
import { declaredStage, mismatchWarnings } from '../../engines/declared.js';
import {
  checkName,
  connectClickHouse,
  createStatements,
  PUSH_COLUMNS,
  rowsTable,
  tableColumns,
  tableComment,
  type ClickHouse,
} from '../../engines/clickhouse.js';
import type { Row } from '../../jsonl/json.js';
import { printRows } from './print-rows.js';
import { clickhouseName, clickhouseText } from '../../engines/sql.js';
import { PushState } from '../../engines/push-state.js';
import { KeyStage, pushOutput, RowKeys, type PushCounts } from '../../engines/push.js';
import { cacheRoot } from '../../cache/layout.js';
import { scanPriceTable } from '../../datasets/costs.js';
import { filterStage } from '../../stages/filter.js';
import { scanStage, windowStage } from '../../scan/scan.js';
import type { PUSH_FLAGS } from './push.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { filterSpecOf, givenSpec, scanSpecOf } from '../../spec/from-flags.js';

/** The batch size asked for. */
function batchRows(given: string | undefined): number {
  // Larger batches cost memory (each is held as JSON until the server has it) and gain no time.
  if (given === undefined) return 5_000;
  const n = Number(given);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--batch-rows: "${given}" is not a positive whole number`, undefined, 'seq push');
  return n;
}

/** The fields that leave the machine: the declared ones, less the private ones not asked for. */
function pushedFields(fields: readonly FieldInfo[], withPaths: boolean, withText: boolean): FieldInfo[] {
  return fields.filter((field) => (field.private === 'path' ? withPaths : field.private === 'text' ? withText : true));
}

/**
 * Makes the table and its view where they are not, and checks that a table there holds this
 * push's rows: the same dataset, params and columns. Returns the table's id on the server.
 */
async function prepareTable(clickhouse: ClickHouse, view: string, fields: readonly FieldInfo[], comment: string): Promise<string> {
  for (const statement of createStatements(view, fields, comment)) await clickhouse.command(statement);
  const table = rowsTable(view);
  const [info] = await clickhouse.select(
    `SELECT toString(uuid) AS id, toString(metadata_modification_time) AS made, comment FROM system.tables WHERE database = currentDatabase() AND name = ${clickhouseText(table)}`,
  );
  if (info?.comment !== comment)
    throw new InputError(
      `table ${table} on ${clickhouse.where} holds other rows than this push's (${String(info?.comment) || 'no dataset said'}; this push: ${comment}); push to another --table`,
    );
  const columns = await clickhouse.select(`SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = ${clickhouseText(table)}`);
  const found = new Map(columns.map((column) => [String(column.name), String(column.type)]));
  const expected = tableColumns(fields);
  // A field a newer seq declares is added to a table an older one made (its rows have it null); a
  // field that stays on machines unless asked is not: a table holds it for all its rows or for none.
  const added = fields.filter((field) => field.private === undefined && !found.has(field.name));
  for (const field of added) {
    await clickhouse.command(
      `ALTER TABLE ${clickhouseName(table)} ADD COLUMN IF NOT EXISTS ${clickhouseName(field.name)} ${expected.get(field.name) as string}`,
    );
    found.set(field.name, expected.get(field.name) as string);
  }
  if (added.length > 0) for (const statement of createStatements(view, fields, comment)) await clickhouse.command(statement);
  const differ = [...new Set([...found.keys(), ...expected.keys()])].filter((name) => found.get(name) !== expected.get(name));
  if (differ.length > 0) {
    const said = differ.map((name) => `${name} (${found.get(name) ?? 'not in the table'}; this push: ${expected.get(name) ?? 'none'})`).join(', ');
    throw new InputError(
      `table ${table} on ${clickhouse.where} has other columns than this push's rows: ${said}; push as it was made (the same --with-paths and --with-text), or to another --table`,
    );
  }
  return `${String(info.id)}/${String(info.made)}`;
}

/**
 * The row that says this machine's pushes reached the table (sent as gone, so no view shows it):
 * where a table lost it (emptied on the server), it lost what was pushed, and all is sent again.
 */
function marker(state: PushState): string {
  return nodeCrypto().hash('sha256', `seq push marker\n${state.path}`, 'hex').slice(0, 32);
}

/** What --columns prints: each column that leaves the machine, its type on the server, and what it holds. */
function columnRows(fields: readonly FieldInfo[]): Row[] {
  const described = new Map<string, string>(fields.map((field) => [field.name, field.description.replace('in --tz', 'in UTC')]));
  for (const column of Object.values(PUSH_COLUMNS)) described.set(column.name, column.holds);
  return [...tableColumns(fields)].map(([column, type]) => ({ column, type, holds: described.get(column) ?? '' }));
}

export async function runPush(values: Values<typeof PUSH_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
  const { spec } = givenSpec(values, CATALOG);
  const scan = scanSpecOf(spec, values, paths, CATALOG);
  if (scan.tz !== 'UTC')
    throw new UsageError(
      `a push writes day, week and month in UTC, not in "${scan.tz}"`,
      'leave tz out of the spec; a team query groups by them in UTC',
      'seq push',
    );
  if (scan.project !== undefined)
    throw new UsageError(
      'a push sends every project of this machine',
      'leave --project out; a team query keeps one with --where on a pushed column',
      'seq push',
    );
  const filter = filterSpecOf(spec, values);
  checkSpecFields(scan, filter);
  const table = sqlTable(scan.dataset, scan.params);
  if (typeof table === 'string') throw new UsageError(table, 'push one of the session datasets (seq datasets)', 'seq push');
  const fields = pushedFields(table, values['with-paths'] === true, values['with-text'] === true);
  if (values.columns === true) return printRows(columnRows(fields), {}, program);
  const address = values.clickhouse;
  if (address === undefined) throw new UsageError('no server given', 'give --clickhouse http://HOST:8123', 'seq push');
  const machine = values.machine ?? hostname();
  if (machine === '') throw new UsageError('--machine: the name is empty', undefined, 'seq push');
  const view = checkName(values.table ?? scan.dataset, '--table');
  const database = checkName(values.database ?? 'default', '--database');
  const rows = batchRows(values['batch-rows']);

  const clickhouse = await connectClickHouse(address, database, '--clickhouse');
  try {
    const tableId = await prepareTable(clickhouse, view, fields, tableComment(scan.dataset, scan.params, findDataset(scan.dataset)?.params ?? []));
    // Rows priced otherwise than when they were sent are sent again: the prices are part of what was sent.
    const priceTable = findDataset(scan.dataset)?.params.some((param) => param.name === 'cost') ? scanPriceTable(scan.params) : undefined;
    const prices =
      priceTable === undefined
        ? ''
        : nodeCrypto()
            .hash('sha256', JSON.stringify([...priceTable]), 'hex')
            .slice(0, 16);
    const target = { server: clickhouse.where, database, table: view, machine, roots: scan.roots, prices, tableId };
    let state = PushState.open(cacheRoot(), target, values.full === true);
    const mark = marker(state);
    const [found] = await clickhouse.select(
      `SELECT count() AS n FROM ${clickhouseName(rowsTable(view))} WHERE ${clickhouseName(PUSH_COLUMNS.key.name)} = ${clickhouseText(mark)}`,
    );
    if (Number(found?.n) === 0 && state.get(mark) !== undefined) {
      program.warn(`${database}.${view} on ${clickhouse.where} has lost what this machine pushed (it was emptied): sending every row again`);
      state = PushState.open(cacheRoot(), target, true);
    }
    const counts: PushCounts = { rows: 0, sent: 0, gone: 0, batches: 0, bytes: 0 };
    const problems = new InputProblems(values.strict === true, program.warn);
    const keys = new KeyStage(new RowKeys(table, findDataset(scan.dataset)?.identity));
    const out = pushOutput({
      clickhouse,
      table: rowsTable(view),
      fields,
      keys,
      machine,
      state,
      batchRows: rows,
      counts,
      complete: () => !problems.failed,
      marker: mark,
    });
    const mismatched = new Map<string, number>();
    // Keys are made before the filters, so that a filter changes no row's key; the window is a filter here.
    const inWindow = windowStage(scan.window, (row) => row.timestamp);
    const stages = [
      declaredStage(table, mismatched),
      keys.stage(),
      ...(filter.where.length > 0 ? [filterStage(filter)] : []),
      ...(inWindow === undefined ? [] : [inWindow]),
    ];
    const reader = scanStage({ ...scan, window: { sinceMs: undefined, untilMs: undefined } }, problems, { cache: values.cache !== false });
    let status: number;
    try {
      status = await runChain(program, reader, stages, out, problems, values.quiet === true);
    } catch (error) {
      // What the server acknowledged is kept (state): the next push goes on from there.
      if (error instanceof InputError && !(error instanceof OutputError))
        throw new InputError(
          `${error.message}; ${counted(counts.sent, 'row was', 'rows were')} acknowledged before it stopped: push again to go on from there`,
        );
      throw error;
    }
    for (const line of mismatchWarnings(table, mismatched, 'sent')) program.warn(line);
    if (values.quiet !== true)
      program.warn(
        `pushed ${counts.sent} of ${counts.rows} ${scan.dataset} rows as ${machine} to ${database}.${view} on ${clickhouse.where} (${counts.rows - counts.sent} there already${counts.gone > 0 ? `, ${counts.gone} sent as gone from the logs` : ''}; ${counts.batches} batch${counts.batches === 1 ? '' : 'es'}, ${counts.bytes} bytes)`,
      );
    return status;
  } finally {
    await clickhouse.close();
  }
}
