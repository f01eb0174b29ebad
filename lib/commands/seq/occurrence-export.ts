/**
 * `seq occurrence-export`: every skill mention row (of one skill with --skill), for other tools.
 * It is a query (a where, a select, a limit), so it runs as one: streamed through the stages, not
 * gathered in memory, and stopped as soon as --max rows are out.
 */
import type { Command, Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { findDataset } from '../../datasets/registry.js';
import type { JsonValue } from '../../jsonl/json.js';
import { countOption, MENTION_FLAGS, mentionParams, REPORT_EPILOGUE, reportFlags } from '../../reports/run.js';
import { SEQ_QUERY } from './query.js';
import { notOneOf } from '../../base/suggestion.js';

// Every field of a mention row, in the dataset's own order.
const COLUMNS = (findDataset('skill_mentions')?.fields ?? []).map((f) => f.name);
const FORMATS = ['jsonl', 'json', 'csv', 'table', 'markdown'];

const FLAGS = {
  ...reportFlags(`${FORMATS[0]} (default), ${FORMATS.slice(1).join(', ')}`),
  ...MENTION_FLAGS,
  skill: { type: 'string', help: 'Only this skill' },
  max: { type: 'string', help: 'At most N rows (default: all)' },
} as const;

export const SEQ_OCCURRENCE_EXPORT: Command<typeof FLAGS> = {
  name: 'seq occurrence-export',
  summary: 'Every skill mention, as rows for other tools',
  flags: FLAGS,
  text: {
    usage: 'seq occurrence-export [PATH...] [--skill NAME] [--max N] [--format jsonl|json|csv]',
    description: 'Write every skill mention row (source, session, path, time, role, skill, types, snippet), of one skill with --skill.',
    examples: [
      ['seq occurrence-export --output occurrences.jsonl', 'all of them, as JSON Lines'],
      ['seq occurrence-export --skill tk --format csv --output tk.csv', "tk's, as CSV"],
      ['seq occurrence-export | jq -r .session_id | sort -u | wc -l', 'how many sessions mention a skill'],
    ],
    epilogue: REPORT_EPILOGUE,
  },
  run(values, paths, program) {
    return exportMentions(values, paths, program);
  },
};

/** The rows of the skill_mentions dataset, written by seq query. */
function exportMentions(values: Values<typeof FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
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
