/**
 * `seq export`: a dataset's rows for other tools, every declared field as a column of its
 * declared type: Parquet (written by embedded DuckDB), CSV or JSON Lines. Rows stream through the
 * scan and filter stages as in `seq query`; the declared stage makes them what the schema says.
 */
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { OUTPUT_FLAGS } from '../../stages/format-options.js';
import { SEQ_SCAN } from '../stages/scan.js';
import { SEQ_FILTER } from '../stages/filter.js';

export const EXPORT_FORMATS = ['parquet', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FLAGS = {
  ...SEQ_SCAN.flags,
  ...SEQ_FILTER.flags,
  format: {
    type: 'string',
    alias: 'f',
    complete: EXPORT_FORMATS,
    help: `${EXPORT_FORMATS.join(', ')} (default: from the --output name: .parquet, .csv, else jsonl)`,
  },
  ...OUTPUT_FLAGS,
} as const;

export const SEQ_EXPORT: Command<typeof EXPORT_FLAGS> = {
  name: 'seq export',
  summary: "Write a dataset's rows for other tools: Parquet, CSV or JSON Lines, with the declared column types",
  flags: EXPORT_FLAGS,
  specKeys: [...stageKeys('scan'), ...stageKeys('filter')],
  text: {
    usage: 'seq export --dataset NAME [--format parquet|csv|jsonl] [--output FILE] [PATH...] [scan and filter flags]',
    description:
      'Write every row of a dataset with exactly its declared fields, in its order, each of its declared type (seq dataset-schema --dataset NAME lists them): for DuckDB, ClickHouse, pandas or Polars to read as they are. Parquet keeps the types in the file (integers as BIGINT, objects and arrays as JSON); CSV and JSON Lines write a missing value as empty or null.',
    examples: [
      ['seq export --dataset usage --output usage.parquet', 'every model request of this machine, as Parquet'],
      ['duckdb -c "SELECT day, sum(total_tokens) FROM \'usage.parquet\' GROUP BY day ORDER BY day"', 'read it back with DuckDB'],
      ['seq export --dataset sessions --format csv --since 2026-11-01 > sessions.csv', 'the sessions since the first of November, as CSV'],
      ["seq export --dataset tool_calls --where 'tool ~ ^mcp__' | jq -r .tool | sort | uniq -c", 'MCP tool calls, as JSON Lines to jq'],
    ],
    epilogue: [
      'Parquet is written to a file (--output): beside the old one, renamed over it at',
      'the end, so that a run stopped by an error or Ctrl-C leaves the old file.',
      "A value that is not of its field's declared type is written as null, and counted",
      'on stderr. The jsonl dataset has no declared fields: use seq query for it.',
      '',
      'Exit status: 0 done, 1 an input could not be read or the file not written,',
      '2 a usage or spec error.',
    ].join('\n'),
  },
  run: (values, operands, program) => import('./export-work.js').then((work) => work.runExport(values, operands, program)),
};
