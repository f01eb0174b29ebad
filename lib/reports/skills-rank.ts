/** `seq skills-rank`: mentions per skill, most first, then by name (the seed's skills-rank). */
import type { Row } from '../jsonl/json.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { scanBranches, sortKeys, type Branch } from './engine.js';
import { countOption, mentionParams, type Report, type ReportContext } from './run.js';

const COUNT = { op: 'count' as const, field: undefined, as: 'count' };

/** Mentions per skill: most first, then by name; the top `max` (0: all). */
export function skillsRankBranch(max: number): Branch {
  return { group: { groupBy: ['skill'], metrics: [COUNT] }, sort: sortKeys('-count', 'skill'), limit: max };
}

export async function skillsRankRows(context: ReportContext, max: number): Promise<Row[]> {
  const scan = context.scan({ dataset: 'skill_mentions', params: mentionParams(context.args) });
  const [rows = []] = await scanBranches(scan, [], [skillsRankBranch(max)], context.run);
  return rows;
}

export const skillsRank: Report = (context) => {
  const format = context.format(FORMATS, 'table');
  const max = countOption(context.args, 'max', 0);
  return async () => formatRows(await skillsRankRows(context, max), format, ['skill', 'count'], context.options);
};
