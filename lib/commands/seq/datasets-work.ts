/** What `seq datasets` and `seq dataset-schema` run: their declarations (datasets.ts) load this when one runs. */
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { SpecError, UsageError } from '../../base/errors.js';
import { allDatasets, CATALOG, datasetNames, findDataset } from '../../datasets/registry.js';
import type { Dataset } from '../../datasets/types.js';
import type { Row } from '../../jsonl/json.js';
import { readDatasetName } from '../../spec/validate.js';
import type { ROW_FLAGS, SCHEMA_FLAGS } from './datasets.js';
import { printRows } from './print-rows.js';

export function runDatasets(values: Values<typeof ROW_FLAGS>, program: Program): Promise<number> {
  const rows = allDatasets().map((d) => ({
    name: d.name,
    fields: d.fields?.length ?? null,
    params: d.params.length,
    description: d.description,
  }));
  return printRows(rows, values, program);
}

export function runDatasetSchema(values: Values<typeof SCHEMA_FLAGS>, [named]: string[], program: Program): Promise<number> {
  if (named !== undefined && values.dataset !== undefined)
    throw new UsageError(`two datasets: --dataset ${values.dataset} and ${named}`, undefined, 'seq dataset-schema');
  const name = values.dataset ?? named;
  if (name === undefined) throw new SpecError('--dataset', `missing; which dataset? one of ${datasetNames().join(', ')}`);
  const dataset = findDataset(readDatasetName(name, '--dataset', CATALOG)) as Dataset;
  const rows: Row[] = [{ kind: 'dataset', name: dataset.name, type: null, default: null, description: dataset.description }];
  const fields = dataset.fields ?? [{ name: '*', type: 'any', description: "the input objects' own fields, whatever they are" }];
  for (const field of fields) rows.push({ kind: 'field', name: field.name, type: field.type, default: null, description: field.description });
  for (const param of dataset.params) rows.push({ kind: 'param', name: param.name, type: param.type, default: param.default, description: param.help });
  return printRows(rows, values, program);
}
