/**
 * `seq daily`, `seq weekly`, `seq monthly`, `seq session`: tokens and cost per period or session.
 * Each is a spec in specs/ run by `seq query` (so every engine and format runs it); this file
 * names them and declares their flags, and views-work.ts runs the spec with --breakdown and --json.
 */
import type { Command } from '../../base/command.js';
import { FORMAT_FLAGS, sourceFlags, WINDOW_FLAGS } from '../../spec/flags.js';
import { JSON_FLAG, OUTPUT_FLAGS, STYLE_FLAGS } from '../../stages/format-options.js';
import { SEQ_QUERY } from './query.js';
import { AGENT_NAMES } from '../../sources/agents.js';

const { root, source, project, quiet, cache, prices, cost } = sourceFlags(AGENT_NAMES);

export const VIEW_FLAGS = {
  root,
  source,
  project,
  since: WINDOW_FLAGS.since,
  until: WINDOW_FLAGS.until,
  tz: { ...WINDOW_FLAGS.tz, help: 'Time zone of the days, weeks and months and of dates without one: an IANA name, UTC or "local" (the default here)' },
  breakdown: { type: 'boolean', help: 'A row per source and model within each row' },
  id: { type: 'string', help: 'Only the requests of one session: its id, or the first characters of it (seq session lists them)' },
  ...JSON_FLAG,
  ...FORMAT_FLAGS,
  format: { ...FORMAT_FLAGS.format, help: 'table (the default), jsonl, json, csv, markdown or chart (of the total tokens)' },
  ...STYLE_FLAGS,
  ...OUTPUT_FLAGS,
  engine: {
    ...SEQ_QUERY.flags.engine,
    complete: ['stages', 'duckdb'],
    help: 'Where the grouping and sort run: stages (the default) or duckdb (embedded; the same output)',
  },
  prices,
  cost,
  cache,
  quiet,
} as const;

/** What each view is: the spec it runs and its words. */
export interface View {
  word: string;
  /** Its spec, specs/<spec>.json. */
  spec: string;
  summary: string;
  description: string;
  examples: Array<[string, string]>;
}

const TIME_ZONE = "Days, weeks and months are the local time zone's (--tz to choose another, e.g. UTC).";

const VIEWS: View[] = [
  {
    word: 'daily',
    spec: 'daily',
    summary: 'Tokens and cost per day',
    description: `Tokens (input, output, cache writes and reads, total), cost in US dollars and requests per day, every agent's together. ${TIME_ZONE}`,
    examples: [
      ['seq daily', 'every day of every agent'],
      ['seq daily --since 2026-11-01 --breakdown', 'this month so far, each day by source and model'],
      ['seq daily --source claude --project seq --json', "Claude Code's days in the project seq, as JSON"],
    ],
  },
  {
    word: 'weekly',
    spec: 'weekly',
    summary: 'Tokens and cost per ISO week',
    description: `Tokens, cost and requests per ISO week (2026-W45). ${TIME_ZONE}`,
    examples: [
      ['seq weekly', 'every week'],
      ['seq weekly --breakdown --format markdown', 'by source and model, as Markdown'],
    ],
  },
  {
    word: 'monthly',
    spec: 'monthly',
    summary: 'Tokens and cost per month',
    description: `Tokens, cost and requests per month (2026-11). ${TIME_ZONE}`,
    examples: [
      ['seq monthly', 'every month'],
      ['seq monthly --breakdown --format csv --output months.csv', 'by source and model, to a CSV file'],
    ],
  },
  {
    word: 'session',
    spec: 'session',
    summary: 'Tokens and cost per session',
    description:
      "Tokens, cost and requests per session, with its first and last request; the most recent last. A Claude Code subagent's requests count toward its parent session.",
    examples: [
      ['seq session', 'every session'],
      ['seq session --sort -cost_usd --limit 10', 'the ten costliest'],
      ['seq session --since 2026-11-30 --breakdown', "today's sessions by source and model"],
      ['seq session --id 019aa483 --breakdown', 'one session (the first characters of its id do), by source and model'],
    ],
  },
];

function viewCommand(view: View): Command<typeof VIEW_FLAGS> {
  const name = `seq ${view.word}`;
  return {
    name,
    summary: view.summary,
    flags: VIEW_FLAGS,
    text: {
      usage: `${name} [PATH...] [--since DATE] [--until DATE] [--source AGENT] [--project PROJECT] [--breakdown] [--json | --format FORMAT]`,
      description: view.description,
      examples: view.examples,
      epilogue: `It runs specs/${view.spec}.json: seq query --spec @specs/${view.spec}.json gives the same rows, and the spec's other flags (--where, --by) work there.`,
    },
    run: (values, paths, program) => import('./views-work.js').then((work) => work.runView(view, values, paths, program)),
  };
}

export const SEQ_VIEWS: Command[] = VIEWS.map(viewCommand);
