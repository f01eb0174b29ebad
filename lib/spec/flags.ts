/**
 * The stages' own flags, each declared once: their commands' declarations, the help and the
 * parser read them; from-flags.ts reads their values into the checked form of a spec's keys.
 */
import { FORMATS, METRIC_OPS } from './types.js';
import type { Flags, Values } from '../base/command.js';

/** --spec and --strict: every stage and report reads a spec and its input the same way. */
export const SPEC_FLAGS = {
  spec: { type: 'string', complete: 'specs', help: 'A query spec: inline JSON, @file.json, or a path to a .json file; this stage takes only its own keys' },
  strict: { type: 'boolean', help: 'Stop with status 1 at the first malformed input line' },
} as const satisfies Flags;

/** The dataset a scan emits (the spec's "dataset" and "params"). */
export const DATASET_FLAGS = {
  dataset: { type: 'string', alias: 'd', complete: 'datasets', help: 'The dataset to scan (seq datasets lists them)' },
  param: { type: 'strings', help: 'A dataset param NAME=VALUE (repeatable); VALUE is JSON when it parses' },
} as const satisfies Flags;

/** Where a scan reads and what it keeps of each file: the spec's "roots" and "source", and the params --roles, --skills-dir, --prices and --no-cost set. */
export function sourceFlags(sources: readonly string[]) {
  return {
    root: { type: 'strings', complete: 'files', help: 'A file or folder to read (repeatable); same as a positional PATH' },
    source: {
      type: 'string',
      complete: [...sources, 'auto'],
      help: `Which logs: ${[...sources, 'auto'].join(', ')} (auto: detected per file)`,
    },
    project: {
      type: 'string',
      help: "Only the sessions run in this project: a working folder's path (it or a folder under it) or its name (the last part of the path)",
    },
    quiet: { type: 'boolean', alias: 'q', help: 'No progress line on the terminal during long scans' },
    cache: { type: 'boolean', help: 'Reuse what earlier scans read (default; in $XDG_CACHE_HOME/seq); --no-cache reads every file afresh' },
    roles: { type: 'strings', help: 'Message roles to keep, comma-separated (default user,assistant)' },
    prices: { type: 'string', complete: 'files', help: "A JSON file of prices in LiteLLM's field names, added to the price table (docs/costs.md)" },
    cost: { type: 'boolean', help: 'Costs in US dollars beside tokens (default); --no-cost leaves them out' },
    'skills-dir': {
      type: 'strings',
      complete: 'folders',
      help: "A folder whose subfolders are known skills, repeatable (default: the agents' skills folders, which seq-scan --help lists)",
    },
  } as const satisfies Flags;
}

/** The time window and zone: the spec's "since", "until" and "tz". */
export const WINDOW_FLAGS = {
  since: { type: 'string', help: 'Only rows at or after this date or time (a date alone: from the start of that day)' },
  until: { type: 'string', help: 'Only rows at or before this date or time (a date alone: to the end of that day)' },
  tz: { type: 'string', complete: ['UTC', 'local'], help: 'Time zone of dates without one and of day/week/month: an IANA name or "local" (default UTC)' },
} as const satisfies Flags;

/** The spec's "where". */
export const FILTER_FLAGS = {
  where: {
    type: 'strings',
    complete: 'fields',
    alias: 'w',
    help: "A predicate, repeatable, all must hold: 'tokens > 1000', 'skill == tk', 'tool ~ ^mcp__', 'model in [a,b]', 'cwd exists', or JSON",
  },
} as const satisfies Flags;

/** The spec's "group_by" and "metrics". */
export const GROUP_FLAGS = {
  by: { type: 'strings', alias: 'b', complete: 'fields', help: 'Fields to group by, comma-separated (dotted paths allowed)' },
  metric: {
    type: 'strings',
    alias: 'm',
    help: `OP[:FIELD[:NAME]], repeatable; OP is ${METRIC_OPS.slice(0, -1).join(', ')} or ${METRIC_OPS.at(-1)} (default: count)`,
  },
} as const satisfies Flags;

/** The spec's "select", "sort", "limit" and "format". */
export const FORMAT_FLAGS = {
  select: { type: 'strings', alias: 's', complete: 'fields', help: 'Fields to keep, in this order, comma-separated' },
  sort: { type: 'strings', dashValue: true, complete: 'fields', help: 'Fields to sort by, comma-separated; -FIELD descends; missing values last' },
  limit: { type: 'string', alias: 'n', dashValue: true, help: 'Keep at most N rows (0: all)' },
  format: { type: 'string', alias: 'f', complete: FORMATS, help: 'table, jsonl, json, csv, markdown or chart (default: table when grouped, else jsonl)' },
} as const satisfies Flags;

/** The values of every stage flag, as the spec readers below take them. */
export type StageFlags = Values<
  typeof DATASET_FLAGS & ReturnType<typeof sourceFlags> & typeof WINDOW_FLAGS & typeof FILTER_FLAGS & typeof GROUP_FLAGS & typeof FORMAT_FLAGS
>;
