/** What the views run (`seq daily`...): their declarations (views.ts) load this when one runs. */
import { existsSync } from 'node:fs';
import { escapeRegex } from '../../base/regex.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { InputProblems } from '../../jsonl/problems.js';
import { ask, sortKeys } from '../../reports/engine.js';
import { readPredicate } from '../../spec/predicate.js';
import { UsageError } from '../../base/errors.js';
import { CATALOG } from '../../datasets/registry.js';
import { AGENTS } from '../../sources/registry.js';
import { bundledSpec } from '../../spec/bundled.js';
import type { ScanSpec } from '../../spec/types.js';
import { loadSpec } from '../../spec/load.js';
import { readSpec } from '../../spec/validate.js';
import { formatShorthand } from '../../stages/format-options.js';
import { SEQ_QUERY } from './query.js';
import type { View, VIEW_FLAGS } from './views.js';
import { commaList, scanSpecOf } from '../../spec/from-flags.js';

/**
 * The session --id names: the one whose id begins so among the requests the view reads. Several
 * are a usage error that lists them (as git does for a short hash); none leaves the id as given,
 * and the view says it found no such session.
 */
async function sessionOf(prefix: string, scan: ScanSpec, values: Values<typeof VIEW_FLAGS>, program: Program, command: string): Promise<string> {
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

/** Runs `view` with the flags and paths given: its spec through seq query, changed by the flags. */
export async function runView(view: View, values: Values<typeof VIEW_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
  const name = `seq ${view.word}`;
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
    values.id === undefined ? undefined : await sessionOf(values.id, scanSpecOf(spec, { ...values, format: undefined }, paths, CATALOG), values, program, name);
  return SEQ_QUERY.run(
    {
      ...values,
      spec: `@${file}`,
      where: session === undefined ? undefined : [JSON.stringify({ field: 'session_id', op: 'eq', value: session })],
      metric,
      by: breakdown.length > 0 ? [rowKeys.join(',')] : undefined,
      sort:
        values.sort ?? (breakdown.length > 0 ? [[...spec.sort.map((key) => `${key.descending ? '-' : ''}${key.field}`), ...breakdown].join(',')] : undefined),
      // A chart draws the last column of numbers: the total tokens, labelled by the row's keys.
      select: values.select ?? (format === 'chart' ? [[...rowKeys, 'total'].join(',')] : undefined),
      format,
    },
    paths,
    program,
  );
}
