/** What `seq export` runs: its declaration (export.ts) loads this when it runs. */
import { UsageError } from '../../base/errors.js';
import { runChain } from '../../cli/pipeline.js';
import { CATALOG, checkSpecFields, datasetTable, findDataset } from '../../datasets/registry.js';
import { openOutput, type Output } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { noteTerminalInput } from '../../cli/inputs.js';
import { declaredStage, mismatchWarnings } from '../../engines/declared.js';
import { filterStage } from '../../stages/filter.js';
import { formatStage } from '../../stages/format.js';
import { NO_STYLE } from '../../stages/formats/types.js';
import { outputPath } from '../../stages/format-options.js';
import { scanStage } from '../../scan/scan.js';
import { notOneOf } from '../../base/suggestion.js';
import { EXPORT_FORMATS, type EXPORT_FLAGS, type ExportFormat } from './export.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { filterSpecOf, givenSpec, scanSpecOf } from '../../spec/from-flags.js';

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

export async function runExport(values: Values<typeof EXPORT_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
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
}
