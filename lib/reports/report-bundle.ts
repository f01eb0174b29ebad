/**
 * `seq report-bundle`: the main reports in one document: skills rank, role breakdown, tools
 * rank, token usage, and a section audit per skill of --skills. JSON (numbers as numbers) by
 * default, or Markdown with tables and bar charts.
 */
import { UsageError } from '../base/errors.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import { renderDocument, type Block } from './document.js';
import { ask, sortKeys, type Question } from './engine.js';
import { roleBreakdownQuestion } from './role-breakdown.js';
import type { Values } from '../base/command.js';
import { countOption, listOption, topRows, type Report } from './run.js';
import { auditBlocks, auditJson, auditSetup, sectionAuditsQuestion, type Audit } from './section-audit.js';
import { tokenUsageBlocks, tokenUsageJson, tokenUsageQuestion, withFallback } from './token-usage.js';
import type { REPORT_BUNDLE_FLAGS } from './flags.js';

export const reportBundle: Report<Values<typeof REPORT_BUNDLE_FLAGS>> = (context) => {
  const format = context.format(['json', 'markdown'], 'json');
  const top = countOption(context.values.top, 'top', 20);
  const skills = listOption(context.values.skills, 'skills');
  const setup = auditSetup(context.values, false, 0);
  if (skills.length > 0 && !setup)
    throw new UsageError('--skills names the skills whose answers are audited: give --sections too', 'e.g. --skills tk,fix --sections "Contract,Proof"');
  const tools: Question<Row[]> = {
    scan: context.scan({ dataset: 'tool_calls' }),
    branches: [{ group: { groupBy: ['tool'], metrics: [{ op: 'count', field: undefined, as: 'count' }] }, sort: sortKeys('-count', 'tool'), limit: top }],
    answer: ([rows = []]) => topRows(rows, top),
  };
  return async () => {
    // Every section from one scan of the logs: the mentions give both the rank and the role breakdown.
    const [roles, toolsRank, tokens, audited] = await ask(
      [
        roleBreakdownQuestion(context, top),
        tools,
        tokenUsageQuestion(context, top),
        setup ? sectionAuditsQuestion(context, setup, skills.length > 0 ? skills.map((skill) => `$${skill}`) : [undefined]) : undefined,
      ],
      context.run,
    );
    const skillsRank = topRows(roles.rank, top);
    const roleRows = topRows(roles.rows, top);
    const usage = await withFallback(context, tokens);
    const audits: Audit[] = audited ?? [];
    if (format === 'json') {
      const audit: JsonValue =
        skills.length > 0 ? Object.fromEntries(audits.map((a, i) => [skills[i] as string, auditJson(a)])) : audits[0] ? auditJson(audits[0]) : null;
      return `${JSON.stringify({ skills_rank: skillsRank, role_breakdown: roleRows, tools_rank: toolsRank, token_usage: tokenUsageJson(usage), section_audit: audit }, null, 2)}\n`;
    }
    const blocks: Block[] = [
      { kind: 'heading', text: 'Skills' },
      skillsRank.length > 0 ? { kind: 'chart', rows: skillsRank, columns: ['skill', 'count'] } : { kind: 'note', text: '(no results)' },
      { kind: 'heading', text: 'Skills by role' },
      { kind: 'table', rows: roleRows, columns: ['skill', ...roles.roles, 'total'] },
      { kind: 'heading', text: 'Tools' },
      toolsRank.length > 0 ? { kind: 'chart', rows: toolsRank, columns: ['tool', 'count'] } : { kind: 'note', text: '(no results)' },
      ...tokenUsageBlocks(usage),
    ];
    if (usage.byDay.length > 0) blocks.push({ kind: 'heading', text: 'Tokens per day' }, { kind: 'chart', rows: usage.byDay, columns: ['day', 'tokens'] });
    for (const [i, audit] of audits.entries()) blocks.push(...auditBlocks(audit, skills[i] !== undefined ? `Section audit: ${skills[i]}` : 'Section audit'));
    return `# seq report\n\n${renderDocument(blocks, 'markdown', context.options)}`;
  };
};
