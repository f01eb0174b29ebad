/**
 * `seq sql`: a spec as one SQL SELECT over a table named after its dataset, whose columns are
 * the dataset's declared fields (the table `seq export --format parquet` writes). The scan's keys
 * (roots, source, since, until, tz) choose the rows that go into the table, so they are not in it.
 */
import type { Command } from '../../base/command.js';
import { DATASET_FLAGS, FILTER_FLAGS, FORMAT_FLAGS, GROUP_FLAGS, SPEC_FLAGS } from '../../spec/flags.js';
import { stageKeys } from '../../spec/types.js';
import { DIALECTS } from '../../engines/dialects.js';

// The format stage's select, sort and limit are in the SELECT; how rows are printed is not.
const { format: _printed, ...ORDER_FLAGS } = FORMAT_FLAGS;

export const SQL_FLAGS = {
  spec: SPEC_FLAGS.spec,
  ...DATASET_FLAGS,
  ...FILTER_FLAGS,
  ...GROUP_FLAGS,
  ...ORDER_FLAGS,
  dialect: { type: 'string', complete: DIALECTS, help: `The SQL to write: ${DIALECTS.join(' (the default), ')}` },
} as const;

export const SEQ_SQL: Command<typeof SQL_FLAGS> = {
  name: 'seq sql',
  summary: 'Print a spec as one SQL SELECT over the table of its dataset',
  flags: SQL_FLAGS,
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
  run: (values, operands) => import('./sql-work.js').then((work) => work.runSql(values, operands)),
};
