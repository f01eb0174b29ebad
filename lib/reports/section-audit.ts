/**
 * `seq section-audit --sections "A,B"`: do the assistant's answers have the sections a format
 * asks for? The messages dataset marks each answer's sections (its sections param); groupings
 * count them: answers scanned, each section present and missing, answers with every section,
 * and the compliance rates; the first --sample-missing answers that miss any are shown.
 */
import { UsageError } from '../base/errors.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import { SECTION_MATCHES, type SectionMatch } from '../datasets/sections.js';
import type { Metric, Predicate } from '../spec/types.js';
import { renderDocument, type Block } from './document.js';
import { ask, type Branch, type Question } from './engine.js';
import type { Values } from '../base/command.js';
import { countOption, listOption, requiredText, type Report, type ReportContext } from './run.js';
import { notOneOf } from '../base/suggestion.js';
import { codePointPrefix } from '../base/code-points.js';
import type { AUDIT_FLAGS, SECTION_AUDIT_FLAGS } from './flags.js';

/** What every audit of one scan shares. */
export interface AuditSetup {
  sections: string[];
  match: SectionMatch;
  /** Labels and --contains in any case (--case-insensitive). */
  ignoreCase: boolean;
  /** Answers that miss a section to show (0: none). */
  samples: number;
}

export interface Audit extends AuditSetup {
  /** Only answers whose text contains this (--contains). */
  contains: string | undefined;
  scanned: number;
  compliant: number;
  bySection: Row[];
  sampleRows: Row[];
}

/** A share as a percentage with one decimal; null of nothing. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** The audit options every audit command shares, checked: --sections (required or not), --match, --case-insensitive, --sample-missing. */
export function auditSetup(values: Values<typeof AUDIT_FLAGS>, required: boolean, samples = 3): AuditSetup | undefined {
  const sections = listOption(values.sections, 'sections');
  if (sections.length === 0) {
    if (values.sections !== undefined) throw new UsageError('--sections: no section labels given', 'e.g. --sections "Contract,Invariants,Proof"');
    if (required) requiredText(undefined, 'sections', 'seq section-audit --sections "Contract,Invariants,Proof"');
    return undefined;
  }
  const match = values.match ?? 'label';
  if (!(SECTION_MATCHES as readonly string[]).includes(match)) throw notOneOf('--match', match, SECTION_MATCHES);
  return {
    sections,
    match: match as SectionMatch,
    ignoreCase: values['case-insensitive'] === true,
    samples: countOption(values['sample-missing'], 'sample-missing', samples),
  };
}

/**
 * Audits of assistant answers (always assistant: --roles is for mention counts), one per
 * `contains` (undefined: every answer), from one scan of the messages.
 */
export function sectionAuditsQuestion(context: ReportContext, setup: AuditSetup, contains: Array<string | undefined>): Question<Audit[]> {
  const { sections, match, ignoreCase, samples } = setup;
  const scan = context.scan({ dataset: 'messages', params: { sections, section_match: match, sections_ignore_case: ignoreCase } });
  scan.params.roles = ['assistant'];
  const metrics: Metric[] = [
    { op: 'count', field: undefined, as: 'scanned' },
    { op: 'sum', field: 'all_sections', as: 'compliant' },
    ...sections.map((_, i): Metric => ({ op: 'sum', field: `has_section_${i + 1}`, as: `present_${i + 1}` })),
  ];
  // Per question: its counts, then (when samples are asked for) its first answers that miss a section.
  const branches: Branch[] = contains.flatMap((text) => {
    const where: Predicate[] = text === undefined ? [] : [{ field: 'text', op: 'contains', value: text, caseInsensitive: ignoreCase }];
    const counts: Branch = { where, group: { groupBy: [], metrics } };
    if (samples === 0) return [counts];
    return [
      counts,
      {
        where: [...where, { field: 'sections_missing', op: 'gt', value: 0, caseInsensitive: false }],
        select: ['path', 'timestamp', 'missing_sections', 'text'],
        limit: samples,
      },
    ];
  });
  return { scan, branches, answer: (answers) => audits(setup, contains, answers) };
}

function audits(setup: AuditSetup, contains: Array<string | undefined>, answers: Row[][]): Audit[] {
  const { sections, samples } = setup;
  const per = samples === 0 ? 1 : 2;
  return contains.map((text, i) => {
    const totals = answers[per * i]?.[0] ?? {};
    const scanned = Number(totals.scanned ?? 0);
    const bySection = sections.map((section, j) => {
      const present = Number(totals[`present_${j + 1}`] ?? 0);
      return { section, present, missing: scanned - present, compliance: percent(present, scanned) };
    });
    const sampleRows = (samples === 0 ? [] : (answers[per * i + 1] ?? [])).map((row) => ({
      path: row.path ?? null,
      timestamp: row.timestamp ?? null,
      missing: row.missing_sections ?? null,
      snippet: typeof row.text === 'string' ? codePointPrefix(row.text.replace(/\s+/g, ' '), 80) : null,
    }));
    return { ...setup, contains: text, scanned, compliant: Number(totals.compliant ?? 0), bySection, sampleRows };
  });
}

export function auditJson(audit: Audit): JsonValue {
  return {
    sections: audit.sections,
    match: audit.match,
    contains: audit.contains ?? null,
    case_insensitive: audit.ignoreCase,
    assistant_messages: audit.scanned,
    with_every_section: audit.compliant,
    compliance: audit.scanned > 0 ? percent(audit.compliant, audit.scanned) : null,
    by_section: audit.bySection,
    samples: audit.sampleRows,
  };
}

export function auditBlocks(audit: Audit, title: string): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', text: title },
    {
      kind: 'facts',
      facts: [
        ['assistant messages', audit.scanned],
        ...(audit.contains === undefined ? [] : [['containing', `"${audit.contains}"`] as [string, JsonValue]]),
        [
          'sections matched as',
          (audit.match === 'label' ? 'label anywhere in the text' : 'heading, bold label or "Label:" at a line start') + (audit.ignoreCase ? ', any case' : ''),
        ],
        ['with every section', audit.compliant],
        ['compliance', audit.scanned > 0 ? `${percent(audit.compliant, audit.scanned)}%` : '-'],
      ],
    },
    {
      kind: 'table',
      rows: audit.bySection.map((r) => ({ ...r, compliance: r.compliance === null ? null : `${r.compliance}%` })),
      columns: ['section', 'present', 'missing', 'compliance'],
    },
  ];
  if (audit.sampleRows.length > 0) {
    blocks.push({ kind: 'heading', text: 'Answers missing a section' });
    blocks.push({
      kind: 'table',
      rows: audit.sampleRows.map((s) => ({ ...s, missing: Array.isArray(s.missing) ? s.missing.join(', ') : s.missing })),
      columns: ['timestamp', 'missing', 'snippet', 'path'],
    });
  }
  return blocks;
}

export const sectionAudit: Report<Values<typeof SECTION_AUDIT_FLAGS>> = (context) => {
  const setup = auditSetup(context.values, true) as AuditSetup;
  const format = context.format(['table', 'markdown', 'json'], 'table');
  const contains = context.values.contains;
  return async () => {
    const [[audit]] = await ask([sectionAuditsQuestion(context, setup, [contains])], context.run);
    if (!audit) return '';
    if (format === 'json') return `${JSON.stringify(auditJson(audit), null, 2)}\n`;
    return renderDocument(auditBlocks(audit, 'Section audit'), format, context.options);
  };
};
