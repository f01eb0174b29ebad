/** What `seq occurrence-export` runs: its declaration (occurrence-export.ts) loads this when it runs. */
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import type { JsonValue } from '../../jsonl/json.js';
import { countOption, mentionParams } from '../../reports/run.js';
import { SEQ_QUERY } from './query.js';
import { notOneOf } from '../../base/suggestion.js';
import { findDataset } from '../../datasets/registry.js';
import { FORMATS, type OCCURRENCE_FLAGS } from './occurrence-export.js';

// Every field of a mention row, in the dataset's own order.
const COLUMNS = (findDataset('skill_mentions')?.fields ?? []).map((f) => f.name);

/** The rows of the skill_mentions dataset, written by seq query. */
export function runOccurrenceExport(values: Values<typeof OCCURRENCE_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
  const format = values.format ?? 'jsonl';
  if (!FORMATS.includes(format)) throw notOneOf('--format', format, FORMATS);
  const skill = values.skill;
  const spec: Record<string, JsonValue> = {
    dataset: 'skill_mentions',
    params: { ...mentionParams(values), ...(skill === undefined ? {} : { skills: [skill] }) },
    where: skill === undefined ? [] : [{ field: 'skill', op: 'eq', value: skill }],
    select: COLUMNS,
    limit: countOption(values.max, 'max', 0),
    format,
  };
  return SEQ_QUERY.run({ ...values, spec: JSON.stringify(spec), format: undefined }, paths, program);
}
