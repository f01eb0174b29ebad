/** `seq skills-rank`: mentions per skill, most first, then by name (the seed's skills-rank). */
import type { Row } from '../jsonl/json.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { scanBranches, sortKeys } from './engine.js';
import { countOption, mentionParams, type ReportContext } from './run.js';

export async function skillsRankRows(context: ReportContext, max: number): Promise<Row[]> {
  const scan = context.scan({ dataset: 'skill_mentions', params: mentionParams(context.args) });
  const [rows] = await scanBranches(scan, [], [{ group: { groupBy: ['skill'], metrics: [{ op: 'count', field: undefined, as: 'count' }] }, sort: sortKeys('-count', 'skill'), limit: max }], context.run);
  return rows ?? [];
}

export async function skillsRank(context: ReportContext): Promise<string> {
  const format = context.format(FORMATS, 'table');
  const rows = await skillsRankRows(context, countOption(context.args, 'max', 0));
  return formatRows(rows, format, ['skill', 'count'], context.options);
}
