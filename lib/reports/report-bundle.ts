/**
 * `seq report-bundle`: the main reports in one document: skills rank, role breakdown, tools
 * rank, token usage, and a section audit per skill of --skills. JSON (numbers as numbers) by
 * default, or Markdown with tables and bar charts.
 */
import { lastString } from '../cli/options.js';
import type { JsonValue } from '../jsonl/json.js';
import { renderDocument, type Block } from './document.js';
import { scanBranches, sortKeys } from './engine.js';
import { roleBreakdownRows } from './role-breakdown.js';
import { countOption, listOption, type ReportContext } from './run.js';
import { auditBlocks, auditJson, sectionAudits, sectionMatch, type Audit } from './section-audit.js';
import { skillsRankRows } from './skills-rank.js';
import { tokenUsageBlocks, tokenUsageData, tokenUsageJson } from './token-usage.js';

export async function reportBundle(context: ReportContext): Promise<string> {
  const format = context.format(['json', 'markdown'], 'json');
  const top = countOption(context.args, 'top', 20);
  const skills = listOption(lastString(context.args.skills));
  const sections = listOption(lastString(context.args.sections));
  const skillsRank = await skillsRankRows(context, top);
  const roles = await roleBreakdownRows(context, top);
  const [toolsRank = []] = await scanBranches(
    context.scan({ dataset: 'tool_calls' }),
    [],
    [{ group: { groupBy: ['tool'], metrics: [{ op: 'count', field: undefined, as: 'count' }] }, sort: sortKeys('-count', 'tool'), limit: top }],
    context.run,
  );
  const usage = await tokenUsageData(context, top);
  const audits: Audit[] =
    sections.length > 0
      ? await sectionAudits(
          context,
          sections,
          sectionMatch(context.args),
          (skills.length > 0 ? skills : [undefined]).map((skill) => ({ contains: skill === undefined ? undefined : `$${skill}`, caseInsensitive: false })),
          countOption(context.args, 'sample-missing', 0),
        )
      : [];
  if (format === 'json') {
    const audit: JsonValue = skills.length > 0 ? Object.fromEntries(audits.map((a, i) => [skills[i] as string, auditJson(a)])) : audits[0] ? auditJson(audits[0]) : null;
    return JSON.stringify({ skills_rank: skillsRank, role_breakdown: roles.rows, tools_rank: toolsRank, token_usage: tokenUsageJson(usage), section_audit: audit }, null, 2) + '\n';
  }
  const blocks: Block[] = [
    { kind: 'heading', text: 'Skills' },
    skillsRank.length > 0 ? { kind: 'chart', rows: skillsRank, columns: ['skill', 'count'] } : { kind: 'note', text: '(no results)' },
    { kind: 'heading', text: 'Skills by role' },
    { kind: 'table', rows: roles.rows, columns: ['skill', ...roles.roles, 'total'] },
    { kind: 'heading', text: 'Tools' },
    toolsRank.length > 0 ? { kind: 'chart', rows: toolsRank, columns: ['tool', 'count'] } : { kind: 'note', text: '(no results)' },
    ...tokenUsageBlocks(usage),
  ];
  if (usage.byDay.length > 0) blocks.push({ kind: 'heading', text: 'Tokens per day' }, { kind: 'chart', rows: usage.byDay, columns: ['day', 'tokens'] });
  audits.forEach((audit, i) => blocks.push(...auditBlocks(audit, skills[i] !== undefined ? `Section audit: ${skills[i]}` : 'Section audit')));
  return `# seq report\n\n${renderDocument(blocks, 'markdown', context.options)}`;
}
