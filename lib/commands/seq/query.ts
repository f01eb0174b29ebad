/** `seq query`: scan, filter, group and format in one process, objects passed between stages. */
import type { Command } from '../../base/command.js';
import { STAGE_EXIT_STATUS } from '../../cli/command-line.js';
import { OUTPUT_FLAGS } from '../../stages/format-options.js';
import { SPEC_KEYS } from '../../spec/types.js';
import { SEQ_SCAN } from '../stages/scan.js';
import { SEQ_FILTER } from '../stages/filter.js';
import { SEQ_GROUP } from '../stages/group.js';
import { SEQ_FORMAT } from '../stages/format.js';
import { CLICKHOUSE_FLAGS } from './clickhouse-flags.js';

export const ENGINES = ['stages', 'duckdb', 'clickhouse'] as const;

export const QUERY_FLAGS = {
  ...SEQ_SCAN.flags,
  ...SEQ_FILTER.flags,
  ...SEQ_GROUP.flags,
  ...SEQ_FORMAT.flags,
  explain: { type: 'boolean', help: 'Print the equivalent pipe of separate executables instead of running' },
  engine: {
    type: 'string',
    complete: ENGINES,
    help: "Where the filter, grouping, sort and limit run: stages (the default), duckdb (embedded; the same output) or clickhouse (a team's server, over everyone's pushed rows)",
  },
  ...CLICKHOUSE_FLAGS,
  ...OUTPUT_FLAGS,
} as const;

export const SEQ_QUERY: Command<typeof QUERY_FLAGS> = {
  name: 'seq query',
  summary: 'Run a spec: scan, filter, group and format in one process',
  flags: QUERY_FLAGS,
  specKeys: SPEC_KEYS,
  text: {
    usage: 'seq query [--spec SPEC] [PATH...] [stage flags] [--explain] [--output FILE]',
    description:
      'Run a query spec in one process: seq-scan, seq-filter, seq-group and seq-format chained, objects passed between them. The flags of every stage work here too.',
    examples: [
      ['seq query --spec @specs/tokens-by-day.json', 'tokens per day from the logs of every agent on this machine'],
      ['seq query --dataset tool_calls --by tool --sort -count --limit 10 --format chart', 'the ten most used tools, as bars'],
      ['seq query --spec @specs/line-types.json ~/.codex/sessions', 'how many lines of each type the rollouts hold'],
      ['seq query --dataset jsonl --by type --sort -count --format chart ~/.claude/projects', 'the same as a bar chart, without a spec file'],
      ['seq query --spec \'{"dataset":"jsonl","where":[{"field":"type","op":"eq","value":"user"}]}\' a.jsonl', 'an inline spec'],
      ['seq query --spec @specs/line-types.json --explain', 'print the same query as a pipe of seq-scan | seq-filter | seq-group | seq-format'],
      ['seq query --spec @specs/line-types.json --format markdown --output types.md', 'write a report file (replaced only when the run succeeds)'],
    ],
    epilogue: [
      "--where adds to the spec's where. A spec error names its place",
      '(spec.where[1].op) and exits 2 before any file is read. docs/query.md describes',
      'every key.',
      '',
      STAGE_EXIT_STATUS,
    ].join('\n'),
  },
  run: (values, operands, program) => import('./query-work.js').then((work) => work.runQuery(values, operands, program)),
};
