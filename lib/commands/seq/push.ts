/**
 * `seq push`: a dataset's rows to a team's ClickHouse server, where everyone's rows are one table
 * (lib/engines/clickhouse.ts says how it is laid out). Rows go through the scan and filter stages
 * as in `seq query`; the declared stage makes them what the schema says; the push keys them,
 * drops the columns that stay on the machine, and sends what the server does not have yet.
 */
import { hostname } from 'node:os';
import type { Command } from '../../base/command.js';
import { InputError, UsageError } from '../../base/errors.js';
import { runChain } from '../../cli/pipeline.js';
import { CATALOG, findDataset, sqlTable } from '../../datasets/registry.js';
import type { FieldInfo } from '../../datasets/types.js';
import { InputProblems } from '../../jsonl/problems.js';
import { filterSpecOf, givenSpec, scanSpecOf } from '../../spec/flags.js';
import { stageKeys } from '../../spec/types.js';
import { declaredStage, mismatchWarnings } from '../../engines/declared.js';
import { connectClickHouse, createStatements, expectedColumns, PUSH_COLUMNS, rowsTable, type ClickHouse } from '../../engines/clickhouse.js';
import type { Row } from '../../jsonl/json.js';
import { printRows } from './datasets.js';
import { quoteText } from '../../engines/sql.js';
import { PushState } from '../../engines/push-state.js';
import { pushOutput, RowKeys, type PushCounts } from '../../engines/push.js';
import { cacheRoot } from '../../cache/layout.js';
import { filterStage } from '../../stages/filter.js';
import { scanStage } from '../../scan/scan.js';
import { SEQ_SCAN } from '../stages/scan.js';
import { SEQ_FILTER } from '../stages/filter.js';
import { CLICKHOUSE_FLAGS } from './clickhouse-flags.js';

const { tz: _zone, ...SCAN_FLAGS } = SEQ_SCAN.flags;

const FLAGS = {
  ...SCAN_FLAGS,
  ...SEQ_FILTER.flags,
  ...CLICKHOUSE_FLAGS,
  machine: { type: 'string', help: 'The name of this machine in the machine column (default: its host name)' },
  'with-paths': { type: 'boolean', help: 'Send the columns that name places on disk too (path, cwd): they stay here by default' },
  'with-text': { type: 'boolean', help: 'Send the columns that hold what was written too (message text, snippets): they stay here by default' },
  full: { type: 'boolean', help: 'Send every row, not only those this machine has not sent yet' },
  columns: { type: 'boolean', help: 'Print the columns that would leave this machine, and exit: nothing is read or sent' },
  'batch-rows': { type: 'string', help: 'Rows per insert (default 10000)' },
} as const;

/** The batch size asked for. */
function batchRows(given: string | undefined): number {
  if (given === undefined) return 10_000;
  const n = Number(given);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--batch-rows: "${given}" is not a positive whole number`, undefined, 'seq push');
  return n;
}

/** The fields that leave the machine: the declared ones, less the private ones not asked for. */
export function pushedFields(fields: readonly FieldInfo[], withPaths: boolean, withText: boolean): FieldInfo[] {
  return fields.filter((field) => (field.private === 'path' ? withPaths : field.private === 'text' ? withText : true));
}

/** Makes the table and its view where they are not, and checks that a table there has this push's columns. */
async function prepareTable(clickhouse: ClickHouse, view: string, fields: readonly FieldInfo[]): Promise<string> {
  for (const statement of createStatements(view, fields)) await clickhouse.command(statement);
  const table = rowsTable(view);
  const columns = await clickhouse.select(`SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = ${quoteText(table)}`);
  const found = new Map(columns.map((column) => [String(column.name), String(column.type)]));
  const expected = expectedColumns(fields);
  const differ = [...new Set([...found.keys(), ...expected.keys()])].filter((name) => found.get(name) !== expected.get(name));
  if (differ.length > 0) {
    const said = differ.map((name) => `${name} (${found.get(name) ?? 'not in the table'}; this push: ${expected.get(name) ?? 'none'})`).join(', ');
    throw new InputError(
      `table ${table} on ${clickhouse.where} has other columns than this push's rows: ${said}; push as it was made (the same --with-paths, --with-text and params), or to another --table`,
    );
  }
  const [info] = await clickhouse.select(
    `SELECT toString(uuid) AS id, toString(metadata_modification_time) AS made FROM system.tables WHERE database = currentDatabase() AND name = ${quoteText(table)}`,
  );
  return `${String(info?.id)}/${String(info?.made)}`;
}

/** What --columns prints: each column that leaves the machine, its type on the server, and what it holds. */
function columnRows(fields: readonly FieldInfo[]): Row[] {
  const types = expectedColumns(fields);
  const said: Record<string, string> = {
    [PUSH_COLUMNS.machine]: 'this machine (--machine, else its host name)',
    [PUSH_COLUMNS.key]: "a digest of the row's identity: the table's key",
    [PUSH_COLUMNS.version]: 'of two rows with one key, the larger is kept',
    [PUSH_COLUMNS.row]: 'its place in the push, for the order of ties',
    [PUSH_COLUMNS.pushedAt]: 'when it was pushed',
  };
  const described = new Map(fields.map((field) => [field.name, field.description]));
  return [...types].map(([column, type]) => ({ column, type, holds: (described.get(column) ?? said[column] ?? '').replace('in --tz', 'in UTC') }));
}

export const SEQ_PUSH: Command<typeof FLAGS> = {
  name: 'seq push',
  summary: "Send a dataset's rows to a team's ClickHouse server, once each, with a machine column",
  flags: FLAGS,
  specKeys: [...stageKeys('scan').filter((key) => key !== 'tz'), ...stageKeys('filter')],
  text: {
    usage: 'seq push --clickhouse URL --dataset NAME [PATH...] [--machine NAME] [--with-paths] [--with-text] [scan and filter flags]',
    description:
      "Send a dataset's rows to a ClickHouse server that a team shares: the table TABLE_rows (made from the dataset's declared fields where it is not there) keeps each row once, keyed by what the row is, so pushing again, or from two copies of the same logs, never counts a row twice; the view TABLE shows the rows as the dataset has them, with a machine column. Only the rows this machine has not sent yet are sent, in batches; a push that was stopped goes on where it was.",
    examples: [
      ['seq push --clickhouse http://clickhouse.internal:8123 --dataset usage', "this machine's model requests, to the team's table usage"],
      ['seq push --clickhouse http://ch:8123 --dataset sessions --machine alice-laptop', 'sessions, under a chosen machine name'],
      [
        'seq query --engine clickhouse --clickhouse http://ch:8123 --dataset usage --by machine --metric sum:total_tokens:tokens',
        "everyone's tokens, per machine",
      ],
    ],
    epilogue: [
      'What leaves the machine: the declared fields of the dataset (--columns lists',
      'them), less those that name places on disk (path, cwd) and those that hold',
      'what was written (message text, snippets), unless --with-paths or --with-text;',
      "plus the machine's name, a digest of each row's identity and the push's time.",
      'day, week and month are in UTC. docs/team.md says how a team sets it up.',
      '',
      'Exit status: 0 pushed, 1 an input could not be read or the server failed,',
      '2 a usage or spec error.',
    ].join('\n'),
  },
  async run(values, paths, program) {
    const { spec } = givenSpec(values, CATALOG);
    const scan = scanSpecOf(spec, values, paths, CATALOG);
    if (scan.tz !== 'UTC')
      throw new UsageError(
        `a push writes day, week and month in UTC, not in "${scan.tz}"`,
        'leave tz out of the spec; a team query groups by them in UTC',
        'seq push',
      );
    const filter = filterSpecOf(spec, values);
    const table = sqlTable(scan.dataset, scan.params);
    if (typeof table === 'string') throw new UsageError(table, 'push one of the session datasets (seq datasets)', 'seq push');
    const fields = pushedFields(table, values['with-paths'] === true, values['with-text'] === true);
    if (values.columns === true) return printRows(columnRows(fields), {}, program);
    const address = values.clickhouse;
    if (address === undefined) throw new UsageError('no server given', 'give --clickhouse http://HOST:8123', 'seq push');
    const machine = values.machine ?? hostname();
    if (machine === '') throw new UsageError('--machine: the name is empty', undefined, 'seq push');
    const view = values.table ?? scan.dataset;
    const database = values.database ?? 'default';
    const rows = batchRows(values['batch-rows']);

    const clickhouse = await connectClickHouse(address, database, '--clickhouse');
    try {
      const tableId = await prepareTable(clickhouse, view, fields);
      const state = PushState.open(cacheRoot(), { server: clickhouse.where, database, table: view, machine, tableId }, values.full === true);
      const counts: PushCounts = { rows: 0, sent: 0, batches: 0, bytes: 0 };
      const out = pushOutput({
        clickhouse,
        table: rowsTable(view),
        fields,
        keys: new RowKeys(table, findDataset(scan.dataset)?.identity),
        machine,
        state,
        batchRows: rows,
        counts,
      });
      const problems = new InputProblems(values.strict === true, program.warn);
      const mismatched = new Map<string, number>();
      const stages = [...(filter.where.length > 0 ? [filterStage(filter)] : []), declaredStage(table, mismatched)];
      const reader = scanStage({ ...scan, tz: 'UTC' }, problems, values.cache !== false);
      const status = await runChain(program, reader, stages, out, problems, values.quiet === true);
      for (const line of mismatchWarnings(table, mismatched, 'sent')) program.warn(line);
      if (values.quiet !== true)
        program.warn(
          `pushed ${counts.sent} of ${counts.rows} ${scan.dataset} rows as ${machine} to ${database}.${view} on ${clickhouse.where} (${counts.rows - counts.sent} there already; ${counts.batches} batch${counts.batches === 1 ? '' : 'es'}, ${counts.bytes} bytes)`,
        );
      return status;
    } finally {
      await clickhouse.close();
    }
  },
};
