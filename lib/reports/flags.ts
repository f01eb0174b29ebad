/**
 * The flags of the named reports, each declared once: their commands (lib/commands/seq/reports.ts)
 * are part of every start of seq, the reports' work only of their own runs.
 */
import type { Flags, Values } from '../base/command.js';
import type { BucketKind } from '../time/buckets.js';
import { SECTION_MATCHES } from '../datasets/sections.js';
import { AGENT_NAMES } from '../sources/agents.js';
import { sourceFlags, SPEC_FLAGS, WINDOW_FLAGS } from '../spec/flags.js';
import { HTML_FLAG, JSON_FLAG, OUTPUT_FLAGS, STYLE_FLAGS } from '../stages/format-options.js';

export const ALL_FORMATS = 'table (default), json, jsonl, csv, markdown or chart';

export const DOCUMENT_FORMATS = 'table (default), markdown or json';

/** A report's epilogue: which logs it reads with no path (`logs`), and its exit status. */
export function reportEpilogue(logs: string): string {
  return `Reads ${logs} in their default places (seq-scan --help lists them) unless PATHs or --root are given. Options may come before or after the command.\n\nExit status: 0 done; 1 a log could not be read, or --strict met a bad line; 2 a usage error.`;
}

export const REPORT_EPILOGUE = reportEpilogue('the logs of every agent');

/** What every report takes: where to read, which rows, where to write; `formats`: the help of its --format. */
export function reportFlags(formats: string) {
  return {
    ...sourceFlags(AGENT_NAMES),
    ...WINDOW_FLAGS,
    ...STYLE_FLAGS,
    ...OUTPUT_FLAGS,
    format: { type: 'string', alias: 'f', help: formats },
    strict: SPEC_FLAGS.strict,
  } as const satisfies Flags;
}

export type ReportValues = Values<ReturnType<typeof reportFlags>>;

/** --skill of the reports on one skill. */
export const SKILL_FLAGS = {
  skill: { type: 'string', help: 'The skill (required)' },
} as const satisfies Flags;

/** The switches of the skill_mentions params. */
export const MENTION_FLAGS = {
  blocks: { type: 'boolean', help: 'Count <skill><name>X</name> blocks (--no-blocks: do not)' },
  dollars: { type: 'boolean', help: 'Count $skill tokens of known skills (--no-dollars: do not)' },
  'skip-dollar-in-block': { type: 'boolean', help: 'A message with a <skill> block gives no $ mentions (--no-skip-dollar-in-block: it does)' },
  dedupe: { type: 'boolean', help: 'Skip a skill the previous message had by the other mention type (--no-dedupe: count it)' },
} as const satisfies Flags;

/** The options of a section audit. */
export const AUDIT_FLAGS = {
  sections: { type: 'strings', help: 'Section labels, comma-separated, repeatable: "Contract,Invariants,Proof"' },
  'case-insensitive': { type: 'boolean', help: 'Match the labels in any case' },
  match: {
    type: 'string',
    complete: SECTION_MATCHES,
    help: 'label: the label anywhere (default); heading: only a heading, **bold** label or "Label:" at a line start, also as a list item',
  },
  'sample-missing': { type: 'string', help: 'Show up to N answers that miss a section (default 3; 0: none)' },
} as const satisfies Flags;

export const CONTAINS_FLAGS = {
  contains: { type: 'string', help: 'Only answers whose text contains this (in any case with --case-insensitive)' },
} as const satisfies Flags;

export const SECTION_AUDIT_FLAGS = { ...reportFlags(DOCUMENT_FORMATS), ...AUDIT_FLAGS, ...CONTAINS_FLAGS } as const;

export const SKILLS_RANK_FLAGS = {
  ...reportFlags(ALL_FORMATS),
  ...MENTION_FLAGS,
  max: { type: 'string', help: 'Show the top N skills (default: all)' },
} as const;

export const ROLE_BREAKDOWN_FLAGS = SKILLS_RANK_FLAGS;

/** The buckets of seq skill-trend. */
export const BUCKETS: readonly BucketKind[] = ['day', 'week', 'month'];

export const SKILL_TREND_FLAGS = {
  ...reportFlags(ALL_FORMATS),
  ...MENTION_FLAGS,
  ...SKILL_FLAGS,
  bucket: { type: 'string', complete: BUCKETS, help: 'day (default), week or month' },
  max: { type: 'string', help: 'Show the latest N buckets (default: all)' },
} as const;

export const SKILL_REPORT_FLAGS = {
  ...reportFlags(DOCUMENT_FORMATS),
  ...MENTION_FLAGS,
  ...AUDIT_FLAGS,
  ...CONTAINS_FLAGS,
  ...SKILL_FLAGS,
  snippets: { type: 'string', help: 'Show N mentions as snippets (default 3; 0: none)' },
} as const;

export const TOKEN_USAGE_FLAGS = {
  ...reportFlags(DOCUMENT_FORMATS),
  top: { type: 'string', help: 'Show the N largest days (default 10; 0: none)' },
  dedupe: { type: 'boolean', help: 'Skip repeated token_count snapshots (--no-dedupe: keep them)' },
} as const;

export const PRICES_FLAGS = {
  ...reportFlags(ALL_FORMATS),
  model: { type: 'string', help: 'Only the entry that prices this model, as a log names it' },
  check: { type: 'boolean', help: 'List the models in the logs that have no price, with their requests and tokens' },
} as const;

export const BLOCKS_FLAGS = {
  ...reportFlags(ALL_FORMATS),
  active: { type: 'boolean', help: 'Only the block that is running now' },
  ...JSON_FLAG,
  'session-length': { type: 'string', help: 'Hours a block lasts (default 5)' },
} as const;

const REPORT_FLAGS = reportFlags('html or json (default: html with --html or an --output ending .html, else json)');

export const OVERVIEW_FLAGS = {
  ...REPORT_FLAGS,
  // The page charts what the views print (seq daily): days in the local time zone unless --tz.
  tz: { ...REPORT_FLAGS.tz, help: 'Time zone of the days and of dates without one: an IANA name, UTC or "local" (the default here)' },
  ...MENTION_FLAGS,
  ...AUDIT_FLAGS,
  ...HTML_FLAG,
  ...JSON_FLAG,
  top: { type: 'string', help: 'Rows in each ranking: models, tools, skills (default 10)' },
} as const;

export const REPORT_BUNDLE_FLAGS = {
  ...reportFlags('json (default) or markdown'),
  ...MENTION_FLAGS,
  ...AUDIT_FLAGS,
  top: { type: 'string', help: 'Rows in each ranking (default 20)' },
  skills: { type: 'strings', help: 'Skills whose answers (those containing "$skill") are audited, comma-separated; needs --sections' },
} as const;
