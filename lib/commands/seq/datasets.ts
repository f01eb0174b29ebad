/** `seq datasets` and `seq dataset-schema`: what the registry holds, as rows through the format stage. */
import { Readable } from 'node:stream';
import type { Command, Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { SpecError, UsageError } from '../../base/errors.js';
import { allDatasets, CATALOG, datasetNames, findDataset } from '../../datasets/registry.js';
import type { Dataset } from '../../datasets/types.js';
import type { Row } from '../../jsonl/json.js';
import { stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { formatOptions, STYLE_FLAGS } from '../../stages/format-options.js';
import { runChain } from '../../cli/pipeline.js';
import { FORMAT_FLAGS, formatSpecOf } from '../../spec/flags.js';
import { emptySpec, readDatasetName } from '../../spec/validate.js';
import { formatStage } from '../../stages/format.js';

/** The flags of a command that prints rows of its own through the format stage. */
export const ROW_FLAGS = {
  ...FORMAT_FLAGS,
  format: { ...FORMAT_FLAGS.format, help: 'table (the default), jsonl, json, csv, markdown or chart' },
  ...STYLE_FLAGS,
};

/** Rows printed as a grouped result would be: a table unless --format says otherwise. */
export function printRows(rows: Row[], values: Values<typeof ROW_FLAGS>, program: Program): Promise<number> {
  const format = formatSpecOf(emptySpec(), values, true);
  const problems = new InputProblems(false, program.warn);
  const reader = { records: Readable.from(rows, { objectMode: true }), stop: () => undefined };
  return runChain(program, reader, [formatStage(format, formatOptions(values, program))], stdoutOutput(), problems);
}

export const SEQ_DATASETS: Command<typeof ROW_FLAGS> = {
  name: 'seq datasets',
  summary: 'List the datasets seq-scan can produce',
  flags: ROW_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq datasets [--format FORMAT]',
    description: 'List the datasets: name, number of fields and params, and what each holds.',
    examples: [
      ['seq datasets', 'as a table'],
      ['seq datasets --format json', 'as JSON, for programs'],
    ],
  },
  run(values, _operands, program) {
    const rows = allDatasets().map((d) => ({
      name: d.name,
      fields: d.fields?.length ?? null,
      params: d.params.length,
      description: d.description,
    }));
    return printRows(rows, values, program);
  },
};

const SCHEMA_FLAGS = { ...ROW_FLAGS, dataset: { type: 'string', alias: 'd', complete: 'datasets', help: 'The dataset to describe' } } as const;

/**
 * One dataset described as rows, so that every format and --select work on it: the dataset, its
 * fields with their types, its params with their defaults.
 */
export const SEQ_DATASET_SCHEMA: Command<typeof SCHEMA_FLAGS> = {
  name: 'seq dataset-schema',
  summary: "A dataset's fields with types, params with defaults",
  flags: SCHEMA_FLAGS,
  maxOperands: 1,
  text: {
    usage: 'seq dataset-schema [--dataset] NAME [--format FORMAT]',
    description: "Show one dataset's description, fields with their types, and params with their defaults.",
    examples: [
      ['seq dataset-schema --dataset jsonl', 'for people'],
      ['seq dataset-schema --dataset jsonl --format json', 'for programs'],
    ],
  },
  run(values, [named], program) {
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
  },
};
