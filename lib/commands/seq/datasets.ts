/** `seq datasets` and `seq dataset-schema`: what the registry holds, as rows through the format stage. */
import type { Command } from '../../base/command.js';
import { STYLE_FLAGS } from '../../stages/format-options.js';
import { FORMAT_FLAGS } from '../../spec/flags.js';

/** The flags of a command that prints rows of its own through the format stage. */
export const ROW_FLAGS = {
  ...FORMAT_FLAGS,
  format: { ...FORMAT_FLAGS.format, help: 'table (the default), jsonl, json, csv, markdown or chart' },
  ...STYLE_FLAGS,
};

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
  run: (values, _operands, program) => import('./datasets-work.js').then((work) => work.runDatasets(values, program)),
};

export const SCHEMA_FLAGS = { ...ROW_FLAGS, dataset: { type: 'string', alias: 'd', complete: 'datasets', help: 'The dataset to describe' } } as const;

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
  run: (values, operands, program) => import('./datasets-work.js').then((work) => work.runDatasetSchema(values, operands, program)),
};
