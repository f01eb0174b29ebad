/**
 * `seq skill-report --skill S`: one skill's mentions in all, by role and by type, a few of them
 * as snippets, and with --sections an audit of the assistant answers that mention it (those
 * containing `$S`, or --contains).
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import { renderDocument, type Block } from './document.js';
import { ask, sortKeys, type Question } from './engine.js';
import type { Values } from '../base/command.js';
import { countOption, mentionParams, requiredText, type Report } from './run.js';
import { auditBlocks, auditJson, auditSetup, sectionAuditsQuestion } from './section-audit.js';
import type { SKILL_REPORT_FLAGS } from './flags.js';

const COUNT = { op: 'count' as const, field: undefined, as: 'count' };

export const skillReport: Report<Values<typeof SKILL_REPORT_FLAGS>> = (context) => {
  const skill = requiredText(context.values.skill, 'skill', 'seq skill-report --skill tk --sections "Contract,Proof"');
  const format = context.format(['table', 'markdown', 'json'], 'table');
  const setup = auditSetup(context.values, false);
  const snippetCount = countOption(context.values.snippets, 'snippets', 3);
  const contains = context.values.contains ?? `$${skill}`;
  // The skill asked for is known, so its $ mentions count even without a skills folder.
  const scan = context.scan({ dataset: 'skill_mentions', params: { ...mentionParams(context.values), skills: [skill] } });
  const mentions: Question<Row[][]> = {
    scan,
    where: [{ field: 'skill', op: 'eq', value: skill, caseInsensitive: false }],
    branches: [
      { group: { groupBy: [], metrics: [COUNT] } },
      { group: { groupBy: ['role'], metrics: [COUNT] }, sort: sortKeys('-count', 'role') },
      { group: { groupBy: ['types'], metrics: [COUNT] }, sort: sortKeys('-count', 'types') },
      ...(snippetCount > 0 ? [{ select: ['timestamp', 'role', 'types', 'snippet'], limit: snippetCount }] : []),
    ],
    answer: (rows) => rows,
  };
  return async () => {
    // The mentions and the audit of the answers from one scan of the logs.
    const [[totals = [], byRole = [], byType = [], snippets = []], audits] = await ask(
      [mentions, setup ? sectionAuditsQuestion(context, setup, [contains]) : undefined],
      context.run,
    );
    const total = Number(totals[0]?.count ?? 0);
    const audit = audits?.[0];
    if (format === 'json') {
      const counts = (rows: Row[], key: string): JsonValue => Object.fromEntries(rows.map((r) => [String(r[key]), r.count ?? 0]));
      return `${JSON.stringify({ skill, total, by_role: counts(byRole, 'role'), by_type: counts(byType, 'types'), snippets, section_audit: audit ? auditJson(audit) : null }, null, 2)}\n`;
    }
    const blocks: Block[] = [
      { kind: 'heading', text: `Skill ${skill}` },
      { kind: 'facts', facts: [['mentions', total]] },
    ];
    if (total > 0) {
      blocks.push({ kind: 'heading', text: 'By role' }, { kind: 'table', rows: byRole, columns: ['role', 'count'] });
      blocks.push({ kind: 'heading', text: 'By type' }, { kind: 'table', rows: byType, columns: ['types', 'count'] });
      if (snippets.length > 0)
        blocks.push({ kind: 'heading', text: 'Snippets' }, { kind: 'table', rows: snippets, columns: ['timestamp', 'role', 'types', 'snippet'] });
    } else {
      blocks.push({ kind: 'note', text: '(no results)' });
    }
    if (audit) blocks.push(...auditBlocks(audit, `Section audit of answers containing "${contains}"`));
    return renderDocument(blocks, format, context.options);
  };
};
