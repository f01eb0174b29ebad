/**
 * The named reports as `seq` subcommands: their help and examples, over the flags each report
 * declares. Each runs a report of lib/reports, which asks its questions through the stages.
 */
import type { Command, Flags, Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import type { Report } from '../../reports/run.js';
import { SEQ_OCCURRENCE_EXPORT } from './occurrence-export.js';
import {
  BLOCKS_FLAGS,
  OVERVIEW_FLAGS,
  PRICES_FLAGS,
  REPORT_BUNDLE_FLAGS,
  REPORT_EPILOGUE,
  reportEpilogue,
  type ReportValues,
  ROLE_BREAKDOWN_FLAGS,
  SECTION_AUDIT_FLAGS,
  SKILL_REPORT_FLAGS,
  SKILL_TREND_FLAGS,
  SKILLS_RANK_FLAGS,
  TOKEN_USAGE_FLAGS,
} from '../../reports/flags.js';

/**
 * A report as a command: its flags (lib/reports/flags.ts) and its work (`report`, loaded when it
 * runs) come from lib/reports, its words from here.
 */
function reportCommand<F extends Flags>(command: Omit<Command<F>, 'run'>, report: () => Promise<Report<Values<F> & ReportValues>>): Command<F> {
  const run = async (values: Values<F>, paths: string[], program: Program): Promise<number> => {
    const [{ runReport }, work] = await Promise.all([import('../../reports/run.js'), report()]);
    // Every report's flags include reportFlags(), so its values are report values.
    return runReport(program, values as Values<F> & ReportValues, paths, work);
  };
  return { ...command, run };
}

export const REPORTS: Command[] = [
  reportCommand(
    {
      name: 'seq skills-rank',
      summary: 'Skills by mentions, most used first',
      text: {
        usage: 'seq skills-rank [PATH...] [--max N] [--format FORMAT]',
        description: 'Count the mentions of each skill ($skill, <skill> blocks, the Skill tool, slash commands) and rank them.',
        examples: [
          ['seq skills-rank', 'every skill, most mentioned first'],
          ['seq skills-rank --max 10 --format chart', 'the top ten as bars'],
          ['seq skills-rank --since 2026-01-01 --roles user --format csv', 'what users asked for this year, as CSV'],
        ],
        epilogue: REPORT_EPILOGUE,
      },
      flags: SKILLS_RANK_FLAGS,
    },
    () => import('../../reports/skills-rank.js').then((module) => module.skillsRank),
  ),
  reportCommand(
    {
      name: 'seq skill-trend',
      summary: "One skill's mentions per day, week or month",
      text: {
        usage: 'seq skill-trend --skill NAME [PATH...] [--bucket day|week|month] [--max N] [--format FORMAT]',
        description:
          'Count the mentions of one skill per bucket (in --tz): columns bucket and count. Buckets without mentions between the first and the last show 0. The skill counts as known, so its $ mentions are found without a skills folder.',
        examples: [
          ['seq skill-trend --skill tk', 'per day'],
          ['seq skill-trend --skill tk --bucket week --max 12 --format chart', 'the last 12 ISO weeks as bars'],
          ['seq skill-trend --skill fix --bucket month --tz Europe/Paris', 'per month, months of Paris'],
        ],
        epilogue: REPORT_EPILOGUE,
      },
      flags: SKILL_TREND_FLAGS,
    },
    () => import('../../reports/skill-trend.js').then((module) => module.skillTrend),
  ),
  reportCommand(
    {
      name: 'seq skill-report',
      summary: 'One skill: mentions by role and type, snippets, sections',
      text: {
        usage: 'seq skill-report --skill NAME [PATH...] [--sections "A,B"] [--snippets N] [--sample-missing N] [--format FORMAT]',
        description:
          'Report on one skill: its mentions in all, by role and by type, a few snippets; with --sections, a section audit of the assistant answers that contain "$NAME" (or --contains).',
        examples: [
          ['seq skill-report --skill tk', 'mentions of tk'],
          ['seq skill-report --skill tk --sections "Contract,Invariants,Proof" --sample-missing 3', 'and whether its answers have the sections'],
          ['seq skill-report --skill fix --sections "Findings,Validation" --match heading --format markdown', 'sections only as headings, as Markdown'],
        ],
        epilogue: REPORT_EPILOGUE,
      },
      flags: SKILL_REPORT_FLAGS,
    },
    () => import('../../reports/skill-report.js').then((module) => module.skillReport),
  ),
  reportCommand(
    {
      name: 'seq role-breakdown',
      summary: 'Per skill: mentions by user, by assistant, in all',
      text: {
        usage: 'seq role-breakdown [PATH...] [--max N] [--format FORMAT]',
        description: 'For each skill, its mentions by each role (--roles, default user and assistant) and in all, most mentioned first.',
        examples: [
          ['seq role-breakdown', 'as a table'],
          ['seq role-breakdown --max 10 --format markdown', 'the top ten as a Markdown table'],
        ],
        epilogue: REPORT_EPILOGUE,
      },
      flags: ROLE_BREAKDOWN_FLAGS,
    },
    () => import('../../reports/role-breakdown.js').then((module) => module.roleBreakdown),
  ),
  reportCommand(
    {
      name: 'seq section-audit',
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
        epilogue: REPORT_EPILOGUE,
      },
      flags: SECTION_AUDIT_FLAGS,
    },
    () => import('../../reports/section-audit.js').then((module) => module.sectionAudit),
  ),
  SEQ_OCCURRENCE_EXPORT,
  reportCommand(
    {
      name: 'seq report-bundle',
      summary: 'Skills, roles, tools, tokens, audits in one document',
      text: {
        usage: 'seq report-bundle [PATH...] [--top N] [--skills a,b] [--sections "A,B"] [--format json|markdown]',
        description:
          'One document with the skills rank, the role breakdown, the tools rank, token usage (numbers as numbers) and, with --sections, a section audit per skill of --skills.',
        examples: [
          ['seq report-bundle --top 20 --skills tk,fix --sections "Contract,Proof" > bundle.json', 'as JSON'],
          ['seq report-bundle --format markdown --output report.md', 'a readable report with tables and bar charts'],
        ],
        epilogue: REPORT_EPILOGUE,
      },
      flags: REPORT_BUNDLE_FLAGS,
    },
    () => import('../../reports/report-bundle.js').then((module) => module.reportBundle),
  ),
  reportCommand(
    {
      name: 'seq token-usage',
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
        epilogue: REPORT_EPILOGUE,
      },
      flags: TOKEN_USAGE_FLAGS,
    },
    () => import('../../reports/token-usage.js').then((module) => module.tokenUsage),
  ),
  reportCommand(
    {
      name: 'seq report',
      summary: 'An overview as one HTML page with charts, or as JSON',
      text: {
        usage: 'seq report [PATH...] [--html | --json] [--output FILE] [--top N] [--sections "A,B"]',
        description:
          "Tokens and cost per day by source and by model, tokens by model, the 5-hour blocks (of Claude Code's requests unless --source), the top tools and skills, and with --sections the section audit: as one self-contained HTML page (inline SVG charts, light and dark mode, nothing fetched) or as JSON with the same figures.",
        examples: [
          ['seq report --html --output report.html', 'the page, to open in a browser'],
          ['seq report --json | jq .totals', 'the same figures for a script'],
          ['seq report --since 2026-11-01 --sections "Contract,Proof" --output november.html', "this month's, with a section audit"],
        ],
        epilogue: REPORT_EPILOGUE,
      },
      flags: OVERVIEW_FLAGS,
    },
    () => import('../../reports/overview.js').then((module) => module.overview),
  ),
  reportCommand(
    {
      name: 'seq blocks',
      summary: "The 5-hour windows of Claude's usage limits: tokens, cost, burn rate",
      text: {
        usage: 'seq blocks [PATH...] [--active] [--session-length HOURS] [--json | --format FORMAT]',
        description:
          "Group Claude Code's requests into the windows that Claude's usage limits count (another agent's with --source): a block starts at a request's hour (UTC) and lasts five hours; the first request after it ends, or after a pause of more than five hours, starts the next. Each block's tokens, cost and models; for the block running now, the minutes left, the burn rate (tokens a minute, dollars an hour, from its first to its last request) and where that leads by its end.",
        examples: [
          ['seq blocks', "Claude Code's blocks"],
          ['seq blocks --active --json', 'the block running now, for a script'],
          ['seq blocks --since 2026-11-01 --format csv', "this month's blocks"],
          ['seq blocks --source codex', "the same windows of Codex's requests"],
        ],
        epilogue: `${reportEpilogue("Claude Code's logs (another agent's with --source)")}\n\nSEQ_NOW=2026-11-30T15:00:00Z shows the blocks as they stood at that time.`,
      },
      flags: BLOCKS_FLAGS,
    },
    () => import('../../reports/blocks.js').then((module) => module.blocks),
  ),
  reportCommand(
    {
      name: 'seq prices',
      summary: 'The price table, or the models in the logs that have no price',
      text: {
        usage: 'seq prices [--model NAME] [--prices FILE] [--format FORMAT] | seq prices --check [PATH...]',
        description:
          "List the price table in US dollars per million tokens, each entry with its source: the table the repository ships, with the config file's prices and --prices FILE's over it (docs/costs.md). --model shows the entry that prices a model as a log names it. --check lists the models in the logs that no entry prices, with their requests and tokens.",
        examples: [
          ['seq prices --format csv', 'every entry, as CSV'],
          ['seq prices --model us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'the entry a Bedrock id is priced by'],
          ['seq prices --check', "the models of this machine's logs that have no price"],
          ['seq prices --prices my-prices.json --model my-local-model', 'a price of your own, as seq will use it'],
        ],
        epilogue:
          'With --check, reads the logs of every agent in their default places (seq-scan --help lists them) unless PATHs or --root are given. Options may come before or after the command.\n\nExit status: 0 done; 1 no price for --model, a log could not be read, or --strict met a bad line; 2 a usage error.',
      },
      flags: PRICES_FLAGS,
    },
    () => import('../../reports/prices.js').then((module) => module.prices),
  ),
];
