/**
 * `seq sql`: a spec as one SQL SELECT over a table named after its dataset, whose columns are
 * the dataset's declared fields (the table `seq export --format parquet` writes). The scan's keys
 * (roots, source, since, until, tz) choose the rows that go into the table, so they are not in it.
 */
import type { Command } from '../../base/command.js';
import { UsageError } from '../../base/errors.js';
import { CATALOG, checkSpecFields, sqlTable } from '../../datasets/registry.js';
import { compileSql, DIALECTS, type Dialect } from '../../engines/sql.js';
import {
  DATASET_FLAGS,
  FILTER_FLAGS,
  filterSpecOf,
  FORMAT_FLAGS,
  formatSpecOf,
  givenSpec,
  GROUP_FLAGS,
  groupSpecOf,
  scanSpecOf,
  SPEC_FLAGS,
} from '../../spec/flags.js';
import { stageKeys } from '../../spec/types.js';
import { notOneOf } from '../../base/suggestion.js';

// The format stage's select, sort and limit are in the SELECT; how rows are printed is not.
const { format: _printed, ...ORDER_FLAGS } = FORMAT_FLAGS;

const FLAGS = {
  spec: SPEC_FLAGS.spec,
  ...DATASET_FLAGS,
  ...FILTER_FLAGS,
  ...GROUP_FLAGS,
  ...ORDER_FLAGS,
  dialect: { type: 'string', complete: DIALECTS, help: `The SQL to write: ${DIALECTS.join(' (the default), ')}` },
} as const;

export const SEQ_SQL: Command<typeof FLAGS> = {
  name: 'seq sql',
  summary: 'Print a spec as one SQL SELECT over the table of its dataset',
  flags: FLAGS,
  specKeys: ['dataset', 'params', ...stageKeys('filter'), ...stageKeys('group'), 'select', 'sort', 'limit'],
  maxOperands: 0,
  text: {
    usage: 'seq sql [--spec SPEC] [--dataset NAME] [stage flags] [--dialect duckdb|clickhouse]',
    description:
      "Print the SELECT that computes a spec's where, grouping, sort and limit over a table named after the dataset, with the dataset's declared fields as columns: the same rows the stages give (seq query --engine duckdb runs it).",
    examples: [
      ['seq sql --spec @specs/tokens-by-model.json', 'the SQL of a ready-made spec'],
      ["seq sql --dataset usage --where 'source == claude' --by day --metric sum:total_tokens:tokens --sort day", "Claude's tokens per day"],
      [
        'seq export --dataset usage --output usage.parquet && seq sql --dataset usage --by model',
        'a table to run it on: CREATE VIEW usage AS FROM usage.parquet',
      ],
    ],
    epilogue: [
      "Without the rows' order in the table, groups and ties come in the order the",
      'engine gives them, and sums of fractions may differ in their last digit;',
      "seq query --engine duckdb numbers the rows, and gives the stages' output byte",
      'for byte. A spec no SQL engine can run as the stages do (a back-reference in a',
      'pattern, a JSON column compared, a name that is no column) is a spec error.',
      '',
      'Exit status: 0 printed, 2 a usage or spec error.',
    ].join('\n'),
  },
  run(values, paths) {
    const { spec } = givenSpec(values, CATALOG);
    const scan = scanSpecOf(spec, values, paths, CATALOG);
    const dialect = values.dialect ?? 'duckdb';
    if (!(DIALECTS as readonly string[]).includes(dialect)) throw notOneOf('--dialect', dialect, DIALECTS, 'seq sql');
    const fields = sqlTable(scan.dataset, scan.params);
    if (typeof fields === 'string') throw new UsageError(fields, undefined, 'seq sql');
    const filter = filterSpecOf(spec, values);
    const group = groupSpecOf(spec, values);
    const format = formatSpecOf(spec, values, group !== undefined);
    checkSpecFields(scan, filter, group, format);
    const query = {
      table: scan.dataset,
      fields,
      where: filter.where,
      group,
      sort: format.sort,
      limit: format.limit,
      select: format.select,
    };
    process.stdout.write(`${compileSql(query, dialect as Dialect).sql};\n`);
    return Promise.resolve(0);
  },
};
