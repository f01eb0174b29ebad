/** `seq stats`: the run store's figures and insights (lib/reports/stats.ts), for people or as JSON. */
import type { Command } from '../../base/command.js';
import { FORMAT_FLAGS, WINDOW_FLAGS } from '../../spec/flags.js';
import { JSON_FLAG, OUTPUT_FLAGS, STYLE_FLAGS } from '../../stages/format-options.js';
import { DOCUMENT_FORMATS } from '../../reports/flags.js';
import { STORE_FLAGS } from '../../runs/flags.js';

export const STATS_FLAGS = {
  ...WINDOW_FLAGS,
  ...STYLE_FLAGS,
  ...OUTPUT_FLAGS,
  ...STORE_FLAGS,
  ...JSON_FLAG,
  format: { ...FORMAT_FLAGS.format, complete: ['table', 'markdown', 'json'], help: DOCUMENT_FORMATS },
} as const;

export const SEQ_STATS: Command<typeof STATS_FLAGS> = {
  name: 'seq stats',
  summary: 'Recorded runs: success, averages, tokens, insights',
  flags: STATS_FLAGS,
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
  run: (values, operands, program) => import('./stats-work.js').then((work) => work.runSeqStats(values, operands, program)),
};
