/** What `seq stats` runs: its declaration (stats.ts) loads this when it runs. */
import { existsSync } from 'node:fs';
import { InputError } from '../../base/errors.js';
import { shellQuote } from '../../base/shell.js';
import { renderDocument } from '../../reports/document.js';
import { runReport } from '../../reports/run.js';
import { runStats, statsBlocks, statsJson } from '../../reports/stats.js';
import { readStore, storePath } from '../../runs/store.js';
import { formatShorthand } from '../../stages/format-options.js';
import type { STATS_FLAGS } from './stats.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';

const NO_RUNS_HINT = 'Record one with: seq-record run --issues 12 --outcome success --duration 510 --model opus\n';

export async function runSeqStats(values: Values<typeof STATS_FLAGS>, _operands: string[], program: Program): Promise<number | undefined> {
  const store = storePath(values.store);
  return runReport(program, values, [], (context) => {
    const format = formatShorthand(values) === 'json' ? 'json' : context.format(['table', 'markdown', 'json'], 'table');
    return async () => {
      const exists = existsSync(store);
      // The default store before a first run is none yet; one named by --store that is not there is a mistake.
      if (!exists && values.store !== undefined)
        throw new InputError(
          `there is no run store at ${store}; check the path, or record a run there first (seq-record run --store ${shellQuote(store)} ...)`,
        );
      // A store that cannot be read fails here, with how to recover, before any figure says "no runs".
      if (exists) readStore(store);
      const { stats: figures, runs } = await runStats(context, exists ? store : undefined);
      if (format === 'json') return `${JSON.stringify(statsJson(figures, runs, store), null, 2)}\n`;
      if (!exists) return `No runs recorded yet: there is no run store at ${store}.\n${NO_RUNS_HINT}`;
      if (figures.runs === 0)
        return `No runs in ${store}${values.since !== undefined || values.until !== undefined ? ' in that time' : ' yet'}.\n${NO_RUNS_HINT}`;
      return renderDocument(statsBlocks(figures, store), format, context.options);
    };
  });
}
