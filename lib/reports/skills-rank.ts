/** `seq skills-rank`: mentions per skill, most first, then by name. */
import type { Row } from '../jsonl/json.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { scanBranches, sortKeys, type Branch } from './engine.js';
import type { Values } from '../base/command.js';
import { countOption, mentionParams, type MentionValues, type Report, type ReportContext } from './run.js';
import type { SKILLS_RANK_FLAGS } from './flags.js';

const COUNT = { op: 'count' as const, field: undefined, as: 'count' };

/** Mentions per skill: most first, then by name; the top `max` (0: all). */
export function skillsRankBranch(max: number): Branch {
  return { group: { groupBy: ['skill'], metrics: [COUNT] }, sort: sortKeys('-count', 'skill'), limit: max };
}

export async function skillsRankRows(context: ReportContext<MentionValues>, max: number): Promise<Row[]> {
  const scan = context.scan({ dataset: 'skill_mentions', params: mentionParams(context.values) });
  const [rows = []] = await scanBranches(scan, [], [skillsRankBranch(max)], context.run);
  return rows;
}

export const skillsRank: Report<Values<typeof SKILLS_RANK_FLAGS>> = (context) => {
  const format = context.format(FORMATS, 'table');
  const max = countOption(context.values.max, 'max', 0);
  return async () => formatRows(await skillsRankRows(context, max), format, ['skill', 'count'], context.options);
};
