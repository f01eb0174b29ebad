/** `seq datasets` and `seq dataset-schema`: what the registry holds, as rows through the format stage. */
import { Readable } from 'node:stream';
import { allDatasets, CATALOG, datasetNames, findDataset } from '../../datasets/registry.js';
import type { Dataset } from '../../datasets/types.js';
import type { Row } from '../../jsonl/json.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { formatOptions } from '../../stages/format-options.js';
import { runChain } from '../../cli/pipeline.js';
import type { Program } from '../../base/program.js';
import { formatSpecOf, stageFlags } from '../../spec/flags.js';
import { emptySpec, readDatasetName } from '../../spec/validate.js';
import { formatStage } from '../../stages/format.js';
import { SpecError } from '../../base/errors.js';
import { lastString } from '../../base/args.js';

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

/**
 * One dataset described as rows, so that every format and --select work on it: the dataset, its
 * fields with their types, its params with their defaults.
 */
export function datasetSchema(args: Record<string, unknown>, program: Program): Promise<number> {
  const name = lastString(args.dataset);
  if (name === undefined) throw new SpecError('--dataset', `missing; which dataset? one of ${datasetNames().join(', ')}`);
  const dataset = findDataset(readDatasetName(name, '--dataset', CATALOG)) as Dataset;
  const rows: Row[] = [{ kind: 'dataset', name: dataset.name, type: null, default: null, description: dataset.description }];
  const fields = dataset.fields ?? [{ name: '*', type: 'any', description: "the input objects' own fields, whatever they are" }];
  for (const field of fields) rows.push({ kind: 'field', name: field.name, type: field.type, default: null, description: field.description });
  for (const param of dataset.params) rows.push({ kind: 'param', name: param.name, type: param.type, default: param.default, description: param.help });
  return printRows(rows, args, program, true);
}
