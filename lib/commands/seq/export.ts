/**
 * `seq export`: a dataset's rows for other tools, every declared field as a column of its
 * declared type: Parquet (written by embedded DuckDB), CSV or JSON Lines. Rows stream through the
 * scan and filter stages as in `seq query`; the declared stage makes them what the schema says.
 */
import type { Command } from '../../base/command.js';
import { UsageError } from '../../base/errors.js';
import { runChain } from '../../cli/pipeline.js';
import { CATALOG, checkSpecFields, datasetTable, findDataset } from '../../datasets/registry.js';
import { openOutput, type Output } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { noteTerminalInput } from '../../cli/inputs.js';
import { filterSpecOf, givenSpec, scanSpecOf } from '../../spec/flags.js';
import { stageKeys } from '../../spec/types.js';
import { declaredStage, mismatchWarnings } from '../../engines/declared.js';
import { filterStage } from '../../stages/filter.js';
import { formatStage } from '../../stages/format.js';
import { NO_STYLE } from '../../stages/formats/types.js';
import { OUTPUT_FLAGS, outputPath } from '../../stages/format-options.js';
import { scanStage } from '../../scan/scan.js';
import { SEQ_SCAN } from '../stages/scan.js';
import { SEQ_FILTER } from '../stages/filter.js';
import { notOneOf } from '../../base/suggestion.js';

const EXPORT_FORMATS = ['parquet', 'csv', 'jsonl'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

const FLAGS = {
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

/** The format asked for, else the one the output's name ends with, else JSON Lines. */
function exportFormat(given: string | undefined, output: string | undefined): ExportFormat {
  if (given !== undefined) {
    const format = EXPORT_FORMATS.find((name) => name === given);
    if (format === undefined) throw notOneOf('--format', given, EXPORT_FORMATS, 'seq export');
    return format;
  }
  const name = output?.toLowerCase();
  if (name?.endsWith('.parquet')) return 'parquet';
  if (name?.endsWith('.csv')) return 'csv';
  return 'jsonl';
}

export const SEQ_EXPORT: Command<typeof FLAGS> = {
  name: 'seq export',
  summary: "Write a dataset's rows for other tools: Parquet, CSV or JSON Lines, with the declared column types",
  flags: FLAGS,
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
  async run(values, paths, program) {
    const { spec } = givenSpec(values, CATALOG);
    const scan = scanSpecOf(spec, values, paths, CATALOG);
    const filter = filterSpecOf(spec, values);
    checkSpecFields(scan, filter);
    const output = outputPath(values);
    const format = exportFormat(values.format, output);
    const table = datasetTable(scan.dataset, scan.params);
    if (typeof table === 'string') throw new UsageError(table, 'use seq query --format jsonl or csv for it', 'seq export');
    const fields = table.fields;
    if (format === 'parquet' && output === undefined) throw new UsageError('Parquet is written to a file', 'give --output FILE.parquet', 'seq export');

    let out: Output;
    if (format === 'parquet') {
      const { parquetOutput } = await import('../../engines/duckdb.js');
      out = await parquetOutput(output as string, scan.dataset, fields);
    } else out = openOutput(output);
    noteTerminalInput(findDataset(scan.dataset)?.readsStdin === true, scan.roots, program);
    const problems = new InputProblems(values.strict === true, program.warn);
    const reader = scanStage(scan, problems, { cache: values.cache !== false });
    const mismatched = new Map<string, number>();
    const stages = [...(filter.where.length > 0 ? [filterStage(filter)] : []), declaredStage(fields, mismatched)];
    if (format !== 'parquet') {
      const columns = fields.map((field) => field.name);
      stages.push(formatStage({ select: columns, sort: [], limit: 0, format }, { style: NO_STYLE, width: 80, warn: program.warn }));
    }
    const status = await runChain(program, reader, stages, out, problems, values.quiet === true);
    for (const line of mismatchWarnings(fields, mismatched)) program.warn(line);
    return status;
  },
};
