/**
 * The seed's named reports as `seq` subcommands: their options and help. Each runs a report of
 * lib/reports, which asks its questions through the stages (never its own counting).
 */
import type { Argv } from 'yargs';
import { addOutputOptions, addSourceOptions, addWindowOptions, type CommandText } from '../../cli/options.js';
import type { Program } from '../../base/program.js';
import { occurrenceExport, OCCURRENCE_FORMATS } from './occurrence-export.js';
import { reportBundle } from '../../reports/report-bundle.js';
import { roleBreakdown } from '../../reports/role-breakdown.js';
import { runReport, type Report } from '../../reports/run.js';
import { sectionAudit } from '../../reports/section-audit.js';
import { skillReport } from '../../reports/skill-report.js';
import { skillsRank } from '../../reports/skills-rank.js';
import { skillTrend } from '../../reports/skill-trend.js';
import { tokenUsage } from '../../reports/token-usage.js';

export interface ReportCommand {
  name: string;
  summary: string;
  text: CommandText;
  options(parser: Argv): Argv;
  run(args: Record<string, unknown>, paths: string[], program: Program): Promise<number>;
}

/** What every report takes: where to read, which rows, where to write. */
function common(parser: Argv, formats: string): Argv {
  return addOutputOptions(addWindowOptions(addSourceOptions(parser)))
    .option('format', { alias: 'f', type: 'string', description: formats })
    .option('strict', { type: 'boolean', description: 'Stop with status 1 at the first malformed log line' });
}

/** The switches of the skill_mentions params (--no-blocks...). */
function mentionSwitches(parser: Argv): Argv {
  return parser
    .option('blocks', { type: 'boolean', description: 'Count <skill><name>X</name> blocks (--no-blocks: do not)' })
    .option('dollars', { type: 'boolean', description: 'Count $skill tokens of known skills (--no-dollars: do not)' })
    .option('skip-dollar-in-block', { type: 'boolean', description: 'A message with a <skill> block gives no $ mentions (--no-skip-dollar-in-block: it does)' })
    .option('dedupe', { type: 'boolean', description: 'Skip a skill the previous message had by the other mention type (--no-dedupe: count it)' });
}

/** The options of a section audit; `contains`: whether the command takes --contains. */
function auditOptions(parser: Argv, contains = true): Argv {
  const audit = parser
    .option('sections', { type: 'string', description: 'Section labels, comma-separated, repeatable: "Contract,Invariants,Proof"' })
    .option('case-insensitive', { type: 'boolean', description: 'Match the labels (and --contains) in any case' })
    .option('match', { type: 'string', description: 'label: the label anywhere (default, the seed); heading: only a heading, **bold** label or "Label:" at a line start, also as a list item' })
    .option('sample-missing', { type: 'string', description: 'Show up to N answers that miss a section (default 3; 0: none)' });
  return contains ? audit.option('contains', { type: 'string', description: 'Only answers whose text contains this' }) : audit;
}

const ALL_FORMATS = 'table (default), json, jsonl, csv, markdown or chart';
const DOCUMENT_FORMATS = 'table (default), markdown or json';
const COMMON_EPILOGUE = 'Reads the Codex and Claude Code logs of this machine unless PATHs or --root are given. Options may come before or after the command.\n\nExit status: 0 done; 1 a log could not be read, or --strict met a bad line; 2 a usage error.';

const report =
  (body: Report) =>
  (args: Record<string, unknown>, paths: string[], program: Program): Promise<number> =>
    runReport(program, args, paths, body);

export const REPORTS: ReportCommand[] = [
  {
    name: 'skills-rank',
    summary: 'Skills by mentions, most used first',
    text: {
      usage: 'seq skills-rank [PATH...] [--max N] [--format FORMAT]',
      description: 'Count the mentions of each skill ($skill, <skill> blocks, the Skill tool, slash commands) and rank them.',
      examples: [
        ['seq skills-rank', 'every skill, most mentioned first'],
        ['seq skills-rank --max 10 --format chart', 'the top ten as bars'],
        ['seq skills-rank --since 2026-01-01 --roles user --format csv', 'what users asked for this year, as CSV'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) => mentionSwitches(common(p, ALL_FORMATS)).option('max', { type: 'string', description: 'Show the top N skills (default: all)' }),
    run: report(skillsRank),
  },
  {
    name: 'skill-trend',
    summary: "One skill's mentions per day, week or month",
    text: {
      usage: 'seq skill-trend --skill NAME [PATH...] [--bucket day|week|month] [--max N] [--format FORMAT]',
      description: 'Count the mentions of one skill per bucket (in --tz): columns bucket and count. Buckets without mentions between the first and the last show 0. The skill counts as known, so its $ mentions are found without a skills folder.',
      examples: [
        ['seq skill-trend --skill tk', 'per day'],
        ['seq skill-trend --skill tk --bucket week --max 12 --format chart', 'the last 12 ISO weeks as bars'],
        ['seq skill-trend --skill fix --bucket month --tz Europe/Paris', 'per month, months of Paris'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) =>
      mentionSwitches(common(p, ALL_FORMATS))
        .option('skill', { type: 'string', description: 'The skill (required)' })
        .option('bucket', { type: 'string', description: 'day (default), week or month' })
        .option('max', { type: 'string', description: 'Show the latest N buckets (default: all)' }),
    run: report(skillTrend),
  },
  {
    name: 'skill-report',
    summary: "One skill: mentions by role and type, snippets, sections",
    text: {
      usage: 'seq skill-report --skill NAME [PATH...] [--sections "A,B"] [--snippets N] [--sample-missing N] [--format FORMAT]',
      description:
        'Report on one skill: its mentions in all, by role and by type, a few snippets; with --sections, a section audit of the assistant answers that contain "$NAME" (or --contains).',
      examples: [
        ['seq skill-report --skill tk', 'mentions of tk'],
        ['seq skill-report --skill tk --sections "Contract,Invariants,Proof" --sample-missing 3', 'and whether its answers have the sections'],
        ['seq skill-report --skill fix --sections "Findings,Validation" --match heading --format markdown', 'sections only as headings, as Markdown'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) =>
      auditOptions(mentionSwitches(common(p, DOCUMENT_FORMATS)))
        .option('skill', { type: 'string', description: 'The skill (required)' })
        .option('snippets', { type: 'string', description: 'Show N mentions as snippets (default 3; 0: none)' }),
    run: report(skillReport),
  },
  {
    name: 'role-breakdown',
    summary: 'Per skill: mentions by user, by assistant, in all',
    text: {
      usage: 'seq role-breakdown [PATH...] [--max N] [--format FORMAT]',
      description: 'For each skill, its mentions by each role (--roles, default user and assistant) and in all, most mentioned first.',
      examples: [
        ['seq role-breakdown', 'as a table'],
        ['seq role-breakdown --max 10 --format markdown', 'the top ten as a Markdown table'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) => mentionSwitches(common(p, ALL_FORMATS)).option('max', { type: 'string', description: 'Show the top N skills (default: all)' }),
    run: report(roleBreakdown),
  },
  {
    name: 'section-audit',
    summary: 'Do the assistant answers have the required sections?',
    text: {
      usage: 'seq section-audit --sections "A,B" [PATH...] [--contains TEXT] [--match label|heading] [--sample-missing N] [--format FORMAT]',
      description:
        'Audit assistant answers for required sections: answers scanned, each section present and missing, answers with every section, compliance rates, and samples of misses.',
      examples: [
        ['seq section-audit --sections "Contract,Invariants,Creative Frame" --contains \'Using $tk\'', 'answers that say they use tk'],
        ['seq section-audit --sections "Summary,Tests" --match heading', 'count a section only where it is a heading'],
        ['seq section-audit --sections "Summary,Tests" --format json | jq .compliance', 'the rate, for scripts'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) => auditOptions(common(p, DOCUMENT_FORMATS)),
    run: report(sectionAudit),
  },
  {
    name: 'occurrence-export',
    summary: 'Every skill mention, as rows for other tools',
    text: {
      usage: 'seq occurrence-export [PATH...] [--skill NAME] [--max N] [--format jsonl|json|csv]',
      description: 'Write every skill mention row (source, session, path, time, role, skill, types, snippet), of one skill with --skill.',
      examples: [
        ['seq occurrence-export --output occurrences.jsonl', 'all of them, as JSON Lines'],
        ['seq occurrence-export --skill tk --format csv --output tk.csv', "tk's, as CSV"],
        ['seq occurrence-export | jq -r .session_id | sort -u | wc -l', 'how many sessions mention a skill'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) =>
      mentionSwitches(common(p, `${OCCURRENCE_FORMATS[0]} (default), ${OCCURRENCE_FORMATS.slice(1).join(', ')}`))
        .option('skill', { type: 'string', description: 'Only this skill' })
        .option('max', { type: 'string', description: 'At most N rows (default: all)' }),
    run: occurrenceExport,
  },
  {
    name: 'report-bundle',
    summary: 'Skills, roles, tools, tokens, audits in one document',
    text: {
      usage: 'seq report-bundle [PATH...] [--top N] [--skills a,b] [--sections "A,B"] [--format json|markdown]',
      description:
        'One document with the skills rank, the role breakdown, the tools rank, token usage (numbers as numbers) and, with --sections, a section audit per skill of --skills.',
      examples: [
        ['seq report-bundle --top 20 --skills tk,fix --sections "Contract,Proof" > bundle.json', 'as JSON'],
        ['seq report-bundle --format markdown --output report.md', 'a readable report with tables and bar charts'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) =>
      auditOptions(mentionSwitches(common(p, 'json (default) or markdown')), false)
        .option('top', { type: 'string', description: 'Rows in each ranking (default 20)' })
        .option('skills', { type: 'string', description: 'Skills whose answers (those containing "$skill") are audited, comma-separated; needs --sections' }),
    run: report(reportBundle),
  },
  {
    name: 'token-usage',
    summary: 'Tokens: total, per day, top days, by source and by model',
    text: {
      usage: 'seq token-usage [PATH...] [--top N] [--format table|markdown|json]',
      description:
        'Summarise token use (token_deltas: Codex counters and Claude requests alike): rows, days, total, average per day, the smallest and largest day, the top days, and tokens by source and by model.',
      examples: [
        ['seq token-usage', 'for every log of this machine'],
        ['seq token-usage --since 2026-11-01 --top 5', 'this month, five top days'],
        ['seq token-usage --format json | jq .total_tokens', 'the total, for scripts'],
      ],
      epilogue: COMMON_EPILOGUE,
    },
    options: (p) =>
      common(p, DOCUMENT_FORMATS)
        .option('top', { type: 'string', description: 'Show the N largest days (default 10; 0: none)' })
        .option('dedupe', { type: 'boolean', description: 'Skip repeated token_count snapshots (--no-dedupe: keep them)' }),
    run: report(tokenUsage),
  },
];
