/**
 * `seq role-breakdown`: per skill, its mentions by each role (--roles, default user and
 * assistant) and in all, most mentioned first. Both counts come from groupings of one scan;
 * this only lays the per-role counts out as columns.
 */
import type { Row } from '../jsonl/json.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { valueKey } from '../jsonl/values.js';
import { ask, type Question } from './engine.js';
import type { Values } from '../base/command.js';
import { countOption, mentionParams, type MentionValues, type Report, type ReportContext } from './run.js';
import { skillsRankBranch } from './skills-rank.js';
import type { ROLE_BREAKDOWN_FLAGS } from './flags.js';

export interface RoleBreakdown {
  roles: string[];
  rows: Row[];
  /** The same scan's skills rank (mentions per skill, most first). */
  rank: Row[];
}

export function roleBreakdownQuestion(context: ReportContext<MentionValues>, max: number): Question<RoleBreakdown> {
  const scan = context.scan({ dataset: 'skill_mentions', params: mentionParams(context.values) });
  const roles = (scan.params.roles as string[] | undefined) ?? ['user', 'assistant'];
  return {
    scan,
    branches: [{ group: { groupBy: ['skill', 'role'], metrics: [{ op: 'count', field: undefined, as: 'count' }] } }, skillsRankBranch(max)],
    answer([byRole = [], rank = []]) {
      const counts = new Map<string, number>();
      for (const row of byRole) counts.set(`${valueKey(row.skill ?? null)}\u0000${valueKey(row.role ?? null)}`, row.count as number);
      const rows = rank.map((ranked) => {
        const row: Row = { skill: ranked.skill ?? null };
        for (const role of roles) row[role] = counts.get(`${valueKey(ranked.skill ?? null)}\u0000${valueKey(role)}`) ?? 0;
        row.total = ranked.count ?? 0;
        return row;
      });
      return { roles, rows, rank };
    },
  };
}

export const roleBreakdown: Report<Values<typeof ROLE_BREAKDOWN_FLAGS>> = (context) => {
  const format = context.format(FORMATS, 'table');
  const max = countOption(context.values.max, 'max', 0);
  return async () => {
    const [{ roles, rows }] = await ask([roleBreakdownQuestion(context, max)], context.run);
    return formatRows(rows, format, ['skill', ...roles, 'total'], context.options);
  };
};
