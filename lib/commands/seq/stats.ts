/** `seq stats`: the run store's figures and insights (lib/reports/stats.ts), for people or as JSON. */
import { existsSync } from 'node:fs';
import type { Command } from '../../base/command.js';
import { InputError } from '../../base/errors.js';
import { shellQuote } from '../../base/shell.js';
import { renderDocument } from '../../reports/document.js';
import { DOCUMENT_FORMATS, runReport } from '../../reports/run.js';
import { runStats, statsBlocks, statsJson } from '../../reports/stats.js';
import { readStore, STORE_FLAGS, storePath } from '../../runs/store.js';
import { FORMAT_FLAGS, WINDOW_FLAGS } from '../../spec/flags.js';
import { formatShorthand, JSON_FLAG, OUTPUT_FLAGS, STYLE_FLAGS } from '../../stages/format-options.js';

const FLAGS = {
  ...WINDOW_FLAGS,
  ...STYLE_FLAGS,
  ...OUTPUT_FLAGS,
  ...STORE_FLAGS,
  ...JSON_FLAG,
  format: { ...FORMAT_FLAGS.format, complete: ['table', 'markdown', 'json'], help: DOCUMENT_FORMATS },
} as const;

const NO_RUNS_HINT = 'Record one with: seq-record run --issues 12 --outcome success --duration 510 --model opus\n';

export const SEQ_STATS: Command<typeof FLAGS> = {
  name: 'seq stats',
  summary: 'Recorded runs: success, averages, tokens, insights',
  flags: FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq stats [--store PATH] [--since DATE] [--json]',
    description:
      'Report on the runs seq-record keeps: runs, success, partial and failed with rates, averages of files, lines, duration and tokens, the token breakdown, why runs failed, chain against single-issue and multi-issue runs, and insights. The figures come from the runs dataset through the stages: seq query --dataset runs gives the same numbers.',
    examples: [
      ['seq stats', "this project's runs (.seq/metrics.json, or an existing .sequant/metrics.json)"],
      ['seq stats --since 2026-11-01', 'runs of this month'],
      ['seq stats --json | jq .success_rate', 'every figure as JSON'],
      ['seq stats --store ~/other/.seq/metrics.json --format markdown', 'another store, as Markdown'],
    ],
    epilogue:
      'The store: --store, else SEQ_STORE, else .seq/metrics.json in the current folder.\n\nExit status: 0 done (also with no runs yet); 1 the store cannot be read, or --store names none; 2 a usage error.',
  },
  run(values, _operands, program) {
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
  },
};
