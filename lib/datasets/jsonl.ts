import { readRecords } from '../jsonl/read.js';
import { findFiles, listFolder } from '../sources/files.js';
import type { Dataset } from './types.js';

const JSON_LINES = /\.(jsonl|ndjson)$/i;

/**
 * The generic dataset: every JSON object of the input, as it is. Folders are searched for
 * `*.jsonl` and `*.ndjson`; named files are read whatever their name; no input means stdin.
 */
export const jsonlDataset: Dataset = {
  name: 'jsonl',
  description: 'Each JSON object of JSON Lines input (files, folders of *.jsonl, or stdin), as it is.',
  fields: undefined,
  params: [],
  readsStdin: true,
  kind: 'records',
  open(context) {
    const inputs = context.inputs.length === 0 ? ['-'] : context.inputs;
    const files = inputs.flatMap((input) =>
      input === '-' ? ['-'] : [...findFiles([input], (name) => JSON_LINES.test(name), context.problems, undefined, listFolder, true)],
    );
    return readRecords(files, context.problems);
  },
};
