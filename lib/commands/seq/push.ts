/**
 * `seq push`: a dataset's rows to a team's ClickHouse server, where everyone's rows are one table
 * (lib/engines/clickhouse.ts says how it is laid out). Rows go through the scan and filter stages
 * as in `seq query`; the declared stage makes them what the schema says; the push keys them,
 * drops the columns that stay on the machine, and sends what the server does not have yet.
 */
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { SEQ_SCAN } from '../stages/scan.js';
import { SEQ_FILTER } from '../stages/filter.js';
import { CLICKHOUSE_FLAGS } from './clickhouse-flags.js';

const { tz: _zone, ...SCAN_FLAGS } = SEQ_SCAN.flags;

export const PUSH_FLAGS = {
  ...SCAN_FLAGS,
  ...SEQ_FILTER.flags,
  ...CLICKHOUSE_FLAGS,
  machine: { type: 'string', help: 'The name of this machine in the machine column (default: its host name)' },
  'with-paths': { type: 'boolean', help: 'Send the columns that name places on disk too (path, cwd): they stay here by default' },
  'with-text': { type: 'boolean', help: 'Send the columns that hold what was written too (message text, snippets): they stay here by default' },
  full: { type: 'boolean', help: 'Send every row, not only those this machine has not sent yet' },
  columns: { type: 'boolean', help: 'Print the columns that would leave this machine, and exit: nothing is read or sent' },
  'batch-rows': { type: 'string', help: 'Rows per insert (default 5000)' },
} as const;

export const SEQ_PUSH: Command<typeof PUSH_FLAGS> = {
  name: 'seq push',
  summary: "Send a dataset's rows to a team's ClickHouse server, once each, with a machine column",
  flags: PUSH_FLAGS,
  specKeys: [...stageKeys('scan').filter((key) => key !== 'tz'), ...stageKeys('filter')],
  text: {
    usage: 'seq push --clickhouse URL --dataset NAME [PATH...] [--machine NAME] [--with-paths] [--with-text] [scan and filter flags]',
    description:
      "Send a dataset's rows to a ClickHouse server that a team shares: the table TABLE_rows (made from the dataset's declared fields where it is not there) keeps each row once, keyed by what the row is, so pushing again, or from two copies of the same logs, never counts a row twice; the view TABLE shows the rows as the dataset has them, with a machine column. Only the rows this machine has not sent yet are sent, in batches; a push that was stopped goes on where it was.",
    examples: [
      ['seq push --clickhouse http://clickhouse.internal:8123 --dataset usage', "this machine's model requests, to the team's table usage"],
      ['seq push --clickhouse http://ch:8123 --dataset sessions --machine alice-laptop', 'sessions, under a chosen machine name'],
      [
        'seq query --engine clickhouse --clickhouse http://ch:8123 --dataset usage --by machine --metric sum:total_tokens:tokens',
        "everyone's tokens, per machine",
      ],
    ],
    epilogue: [
      'What leaves the machine: the declared fields of the dataset (--columns lists',
      'them), less those that name places on disk (path, cwd) and those that hold',
      'what was written (message text, snippets), unless --with-paths or --with-text;',
      "plus the machine's name, a digest of each row's identity and the push's time.",
      'day, week and month are in UTC. docs/team.md says how a team sets it up.',
      '',
      'Exit status: 0 pushed, 1 an input could not be read or the server failed,',
      '2 a usage or spec error.',
    ].join('\n'),
  },
  run: (values, operands, program) => import('./push-work.js').then((work) => work.runPush(values, operands, program)),
};
