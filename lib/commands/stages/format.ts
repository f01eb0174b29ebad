/** The `seq-format` command: its flags and help; its run loads its work, format-work.ts (`seq query` chains it with the other stages). */
import { STYLE_FLAGS } from '../../stages/format-options.js';
import { STAGE_EXIT_STATUS } from '../../cli/command-line.js';
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { FORMAT_FLAGS, SPEC_FLAGS } from '../../spec/flags.js';

const NAME = 'seq-format';

export const FORMAT_COMMAND_FLAGS = { ...SPEC_FLAGS, ...FORMAT_FLAGS, ...STYLE_FLAGS };

export const SEQ_FORMAT: Command<typeof FORMAT_COMMAND_FLAGS> = {
  name: NAME,
  flags: FORMAT_COMMAND_FLAGS,
  specKeys: stageKeys('format'),
  text: {
    usage: `${NAME} [--select F,...] [--sort [-]F,...] [--limit N] [--format FORMAT] [--spec SPEC] [FILE...]`,
    description:
      'Print JSON Lines records for people or programs: keep fields (--select), order them (--sort), cut (--limit), and write a table, JSON Lines, JSON, CSV, Markdown or a bar chart.',
    examples: [
      [`seq-group --by tool calls.jsonl | ${NAME} --sort -count --limit 10 --format table`, 'the ten largest groups as a table'],
      [`${NAME} --select day,tokens --format chart tokens-by-day.jsonl`, 'bars: day as the label, tokens as the length'],
      [`${NAME} --select session_id,tokens --sort -tokens,session_id --format csv rows.jsonl > top.csv`, 'CSV, largest first, ties by id'],
      [`${NAME} --format markdown --spec @specs/line-types.json < counts.jsonl`, 'a Markdown table for a report'],
    ] as Array<[string, string]>,
    epilogue: [
      'Sorting is stable; -FIELD descends; missing values go last either way; numbers',
      'sort before text. With --sort and --limit only the top N rows are held in',
      'memory; with --limit alone reading stops after N rows. Default format: table',
      'when the spec groups, else jsonl. table, markdown and chart round fractions',
      'for reading; csv, json and jsonl keep every digit. Colour only on a terminal,',
      'never with NO_COLOR.',
      '',
      STAGE_EXIT_STATUS,
    ].join('\n'),
  },
  run: (values, files, program) => import('./format-work.js').then((work) => work.runFormat(values, files, program)),
};
