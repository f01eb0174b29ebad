/**
 * `seq occurrence-export`: every skill mention row (of one skill with --skill), for other tools.
 * It is a query (a where, a select, a limit), so it runs as one: streamed through the stages, not
 * gathered in memory, and stopped as soon as --max rows are out.
 */
import { UsageError } from '../../base/errors.js';
import type { Program } from '../../base/program.js';
import { query } from './query.js';
import { findDataset } from '../../datasets/registry.js';
import type { JsonValue } from '../../jsonl/json.js';
import { countOption, mentionParams } from '../../reports/run.js';
import { lastString } from '../../base/args.js';

// Every field of a mention row, in the dataset's own order.
const COLUMNS = (findDataset('skill_mentions')?.fields ?? []).map((f) => f.name);
export const OCCURRENCE_FORMATS = ['jsonl', 'json', 'csv', 'table', 'markdown'];

export function occurrenceExport(args: Record<string, unknown>, paths: string[], program: Program): Promise<number> {
  const format = lastString(args.format) ?? 'jsonl';
  if (!OCCURRENCE_FORMATS.includes(format)) throw new UsageError(`--format: "${format}" is not one of ${OCCURRENCE_FORMATS.join(', ')}`);
  const skill = lastString(args.skill);
  const spec: Record<string, JsonValue> = {
    dataset: 'skill_mentions',
    params: { ...mentionParams(args), ...(skill === undefined ? {} : { skills: [skill] }) },
    where: skill === undefined ? [] : [{ field: 'skill', op: 'eq', value: skill }],
    select: COLUMNS,
    limit: countOption(args, 'max', 0),
    format,
  };
  return query({ ...args, spec: JSON.stringify(spec), format: undefined }, paths, program);
}
