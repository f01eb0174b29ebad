/** The `seq-filter` command: its flags and help; its run loads its work, filter-work.ts (`seq query` chains it with the other stages). */
import { STAGE_EXIT_STATUS } from '../../cli/command-line.js';
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { FILTER_FLAGS, SPEC_FLAGS } from '../../spec/flags.js';

const NAME = 'seq-filter';

export const FILTER_COMMAND_FLAGS = { ...SPEC_FLAGS, ...FILTER_FLAGS };

export const SEQ_FILTER: Command<typeof FILTER_COMMAND_FLAGS> = {
  name: NAME,
  flags: FILTER_COMMAND_FLAGS,
  specKeys: stageKeys('filter'),
  text: {
    usage: `${NAME} [--where PREDICATE]... [--spec SPEC] [FILE...]`,
    description: 'Keep the JSON Lines records for which every predicate holds. Reads the FILEs, or stdin; writes JSON Lines.',
    examples: [
      [`seq-scan ~/.codex/sessions --dataset jsonl | ${NAME} --where 'type == event_msg'`, 'keep one type of line'],
      [`${NAME} --where 'tokens > 1000' --where 'tool ~ ^mcp__' calls.jsonl`, 'both must hold'],
      [`${NAME} --where 'model in [gpt-5,o3]' --where 'cwd exists' rows.jsonl`, 'a list, and a field that is present'],
      [`${NAME} --where '{"field":"text","op":"contains","value":"TODO","case_insensitive":true}'`, 'a predicate as JSON'],
      [`${NAME} --spec @specs/line-types.json`, 'the where of a spec file'],
    ] as Array<[string, string]>,
    epilogue: [
      'Operators: == = != > >= < <= ~ (regex) ~* (regex, any case), and the words',
      'in, not in, contains, icontains, exists, not_exists. A value is JSON when it',
      'parses (1000, true, null, "quoted"), else text. == and in do not convert',
      'types: 42 is not "42". > >= < <= compare numbers and numeric text as numbers,',
      'other text as text, and never a missing field. A missing field is null to ==,',
      '!=, in and not in, and the empty text to contains and ~.',
      "--where adds to the spec's where.",
      '',
      STAGE_EXIT_STATUS,
    ].join('\n'),
  },
  run: (values, files, program) => import('./filter-work.js').then((work) => work.runFilter(values, files, program)),
};
