/** `seq datasets` and `seq dataset-schema`: what the registry holds, through the format stage. */
import { Readable } from 'node:stream';
import { allDatasets, datasetNames, findDataset } from '../../datasets/registry.js';
import type { Dataset } from '../../datasets/types.js';
import type { JsonObject, Row } from '../../jsonl/json.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { formatOptions } from '../../cli/format-options.js';
import { lastString, stageFlags } from '../../cli/options.js';
import { runChain } from '../../cli/pipeline.js';
import type { Program } from '../../cli/run.js';
import { formatSpecOf } from '../../spec/flags.js';
import { emptySpec, readDatasetName } from '../../spec/validate.js';
import { formatStage } from '../../stages/format.js';
import { tableFormatter } from '../../stages/formats/table.js';
import { NO_STYLE } from '../../stages/formats/types.js';
import { SpecError } from '../../spec/errors.js';

function printRows(rows: Row[], args: Record<string, unknown>, program: Program, grouped: boolean): Promise<number> {
  const format = formatSpecOf(emptySpec(), stageFlags(args), grouped);
  const problems = new InputProblems(false, program.warn);
  const reader = { records: Readable.from(rows, { objectMode: true }), stop: () => undefined };
  return runChain(program, reader, [formatStage(format, formatOptions(args, program))], stdoutOutput(), problems);
}

/** One row per dataset: its name, the number of fields and params, and what it holds. */
export function datasets(args: Record<string, unknown>, program: Program): Promise<number> {
  const rows = allDatasets().map((d) => ({
    name: d.name,
    fields: d.fields?.length ?? null,
    params: d.params.length,
    description: d.description,
  }));
  return printRows(rows, args, program, true);
}

function schemaObject(dataset: Dataset): JsonObject {
  return {
    name: dataset.name,
    description: dataset.description,
    fields: dataset.fields === undefined ? null : dataset.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
    params: dataset.params.map((p) => ({ name: p.name, type: p.type, default: p.default, help: p.help })),
  };
}

function table(rows: Row[]): string {
  const formatter = tableFormatter({ columns: undefined, style: NO_STYLE, width: 80, warn: () => undefined });
  for (const row of rows) formatter.row(row);
  return formatter
    .end()
    .split('\n')
    .map((line) => (line === '' ? line : '  ' + line))
    .join('\n');
}

/** A dataset's fields (with types) and params (with defaults); --format json for programs. */
export async function datasetSchema(args: Record<string, unknown>, program: Program): Promise<number> {
  const name = lastString(args.dataset);
  if (name === undefined) throw new SpecError('--dataset', `missing; which dataset? one of ${datasetNames().join(', ')}`);
  const dataset = findDataset(readDatasetName(name, '--dataset')) as Dataset;
  const format = lastString(args.format);
  if (format !== undefined && format !== 'table') return printRows([schemaObject(dataset)], args, program, false);
  const fields =
    dataset.fields === undefined
      ? '  (the input objects\' own fields, whatever they are)\n'
      : table(dataset.fields.map((f) => ({ field: f.name, type: f.type, description: f.description })));
  const params =
    dataset.params.length === 0
      ? '  (none)\n'
      : table(dataset.params.map((p) => ({ param: p.name, type: p.type, default: p.default, help: p.help })));
  process.stdout.write(`${dataset.name}: ${dataset.description}\n\nFields:\n${fields}\nParams:\n${params}`);
  return 0;
}
