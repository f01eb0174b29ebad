/**
 * `seq daily`, `seq weekly`, `seq monthly`, `seq session`: tokens and cost per period or session.
 * Each is a spec in specs/ run by `seq query` (so every engine and format runs it); this file
 * only names them and adds --breakdown and --json.
 */
import { existsSync } from 'node:fs';
import { escapeRegex } from '../../base/regex.js';
import type { Command, Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { InputProblems } from '../../jsonl/problems.js';
import { ask, sortKeys } from '../../reports/engine.js';
import { readPredicate } from '../../spec/predicate.js';
import { UsageError } from '../../base/errors.js';
import { CATALOG } from '../../datasets/registry.js';
import { AGENTS } from '../../sources/registry.js';
import { bundledSpec } from '../../spec/bundled.js';
import { commaList, FORMAT_FLAGS, scanSpecOf, sourceFlags, WINDOW_FLAGS } from '../../spec/flags.js';
import type { ScanSpec } from '../../spec/types.js';
import { loadSpec } from '../../spec/load.js';
import { readSpec } from '../../spec/validate.js';
import { formatShorthand, JSON_FLAG, OUTPUT_FLAGS, STYLE_FLAGS } from '../../stages/format-options.js';
import { SEQ_QUERY } from './query.js';

const { root, source, project, quiet, cache, prices, cost } = sourceFlags(CATALOG);

const FLAGS = {
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
interface View {
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

/**
 * The session --id names: the one whose id begins so among the requests the view reads. Several
 * are a usage error that lists them (as git does for a short hash); none leaves the id as given,
 * and the view says it found no such session.
 */
async function sessionOf(prefix: string, scan: ScanSpec, values: Values<typeof FLAGS>, program: Program, command: string): Promise<string> {
  const where = [readPredicate({ field: 'session_id', op: 'regex', value: `^${escapeRegex(prefix)}` }, '--id')];
  const shown = 5;
  // The view's own scan reports what could not be read; this one reads the same logs, and says nothing.
  const run = { program: program.name, problems: new InputProblems(false, () => undefined), progress: false, cache: values.cache !== false };
  const [ids] = await ask(
    [
      {
        scan,
        where,
        branches: [{ group: { groupBy: ['session_id'], metrics: [] }, sort: sortKeys('session_id'), limit: shown + 1 }],
        answer: ([rows = []]) => rows.map((row) => String(row.session_id)),
      },
    ],
    run,
  );
  if (ids.length > 1) {
    const listed = ids.length > shown ? `${ids.slice(0, shown).join(', ')}, ...` : ids.join(', ');
    throw new UsageError(
      `--id ${prefix} begins the ids of ${ids.length > shown ? 'more than five' : ids.length} sessions: ${listed}`,
      'give more of the id',
      command,
    );
  }
  if (ids.length === 0) program.warn(`no session's id begins with ${prefix} in these logs (seq session lists them)`);
  return ids[0] ?? prefix;
}

function viewCommand(view: View): Command<typeof FLAGS> {
  const name = `seq ${view.word}`;
  return {
    name,
    summary: view.summary,
    flags: FLAGS,
    text: {
      usage: `${name} [PATH...] [--since DATE] [--until DATE] [--source AGENT] [--project PROJECT] [--breakdown] [--json | --format FORMAT]`,
      description: view.description,
      examples: view.examples,
      epilogue: `It runs specs/${view.spec}.json: seq query --spec @specs/${view.spec}.json gives the same rows, and the spec's other flags (--where, --by) work there.`,
    },
    async run(values, paths, program) {
      if (values.engine === 'clickhouse')
        throw new UsageError(
          "--engine clickhouse: a view reads this machine's logs, in its time zone",
          `over a team's pushed rows, run seq query --spec @specs/${view.spec}.json --tz UTC --engine clickhouse --clickhouse URL`,
          name,
        );
      // A session's id given where a path goes (as an agent's ids look, or the start of one): say how to name a session.
      const id = paths.find((path) => AGENTS.some((agent) => agent.sessionIdShape?.test(path) === true) && !existsSync(path));
      if (id !== undefined) throw new UsageError(`"${id}" is no file or folder`, `to see one session, seq ${view.word} --id ${id}`, name);
      if (values.id === '') throw new UsageError('--id needs a session id', `e.g. seq ${view.word} --id 019aa483`, name);
      const file = bundledSpec(view.spec);
      const spec = readSpec(loadSpec(file).raw, CATALOG);
      const groupBy = spec.group?.groupBy ?? [];
      const breakdown = values.breakdown === true ? ['source', 'model'].filter((field) => !groupBy.includes(field)) : [];
      // --no-cost: the spec's metrics but the cost, which would be a column of nothing.
      const metric =
        values.cost === false ? spec.group?.metrics.filter((m) => m.field !== 'cost_usd').map((m) => [m.op, m.field ?? '', m.as].join(':')) : undefined;
      const sortsByCost = (commaList(values.sort, '--sort') ?? []).some((key) => key.replace(/^-/, '') === 'cost_usd');
      if (values.cost === false && sortsByCost)
        throw new UsageError('--sort cost_usd: --no-cost leaves the cost out', 'sort by another column, or leave out --no-cost', name);
      const format = formatShorthand(values, name);
      const rowKeys = [...groupBy, ...breakdown];
      const session =
        values.id === undefined
          ? undefined
          : await sessionOf(values.id, scanSpecOf(spec, { ...values, format: undefined }, paths, CATALOG), values, program, name);
      return SEQ_QUERY.run(
        {
          ...values,
          spec: `@${file}`,
          where: session === undefined ? undefined : [JSON.stringify({ field: 'session_id', op: 'eq', value: session })],
          metric,
          by: breakdown.length > 0 ? [rowKeys.join(',')] : undefined,
          sort:
            values.sort ??
            (breakdown.length > 0 ? [[...spec.sort.map((key) => `${key.descending ? '-' : ''}${key.field}`), ...breakdown].join(',')] : undefined),
          // A chart draws the last column of numbers: the total tokens, labelled by the row's keys.
          select: values.select ?? (format === 'chart' ? [[...rowKeys, 'total'].join(',')] : undefined),
          format,
        },
        paths,
        program,
      );
    },
  };
}

export const SEQ_VIEWS: Command[] = VIEWS.map(viewCommand);
