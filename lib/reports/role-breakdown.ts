/**
 * `seq role-breakdown`: per skill, its mentions by each role (--roles, default user and
 * assistant) and in all, most mentioned first. Both counts come from groupings of one scan;
 * this only lays the per-role counts out as columns.
 */
import type { Row } from '../jsonl/json.js';
import { valueKey } from '../stages/values.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { scanBranches, sortKeys } from './engine.js';
import { countOption, mentionParams, type ReportContext } from './run.js';

export interface RoleBreakdown {
  roles: string[];
  rows: Row[];
}

export async function roleBreakdownRows(context: ReportContext, max: number): Promise<RoleBreakdown> {
  const scan = context.scan({ dataset: 'skill_mentions', params: mentionParams(context.args) });
  const roles = (scan.params.roles as string[] | undefined) ?? ['user', 'assistant'];
  const count = { op: 'count' as const, field: undefined, as: 'count' };
  const [byRole = [], totals = []] = await scanBranches(
    scan,
    [],
    [
      { group: { groupBy: ['skill', 'role'], metrics: [count] } },
      { group: { groupBy: ['skill'], metrics: [{ ...count, as: 'total' }] }, sort: sortKeys('-total', 'skill'), limit: max },
    ],
    context.run,
  );
  const counts = new Map<string, number>();
  for (const row of byRole) counts.set(`${valueKey(row.skill ?? null)}\u0000${valueKey(row.role ?? null)}`, row.count as number);
  const rows = totals.map((total) => {
    const row: Row = { skill: total.skill ?? null };
    for (const role of roles) row[role] = counts.get(`${valueKey(total.skill ?? null)}\u0000${valueKey(role)}`) ?? 0;
    row.total = total.total ?? 0;
    return row;
  });
  return { roles, rows };
}

export async function roleBreakdown(context: ReportContext): Promise<string> {
  const format = context.format(FORMATS, 'table');
  const { roles, rows } = await roleBreakdownRows(context, countOption(context.args, 'max', 0));
  return formatRows(rows, format, ['skill', ...roles, 'total'], context.options);
}
