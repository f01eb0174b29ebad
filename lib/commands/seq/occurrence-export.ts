/**
 * `seq occurrence-export`: every skill mention row (of one skill with --skill), for other tools.
 * It is a query (a where, a select, a limit), so it runs as one: streamed through the stages, not
 * gathered in memory, and stopped as soon as --max rows are out.
 */
import type { Command } from '../../base/command.js';
import { MENTION_FLAGS, REPORT_EPILOGUE, reportFlags } from '../../reports/flags.js';

export const FORMATS = ['jsonl', 'json', 'csv', 'table', 'markdown'];

export const OCCURRENCE_FLAGS = {
  ...reportFlags(`${FORMATS[0]} (default), ${FORMATS.slice(1).join(', ')}`),
  ...MENTION_FLAGS,
  skill: { type: 'string', help: 'Only this skill' },
  max: { type: 'string', help: 'At most N rows (default: all)' },
} as const;

export const SEQ_OCCURRENCE_EXPORT: Command<typeof OCCURRENCE_FLAGS> = {
  name: 'seq occurrence-export',
  summary: 'Every skill mention, as rows for other tools',
  flags: OCCURRENCE_FLAGS,
  text: {
    usage: 'seq occurrence-export [PATH...] [--skill NAME] [--max N] [--format jsonl|json|csv]',
    description: 'Write every skill mention row (source, session, path, time, role, skill, types, snippet), of one skill with --skill.',
    examples: [
      ['seq occurrence-export --output occurrences.jsonl', 'all of them, as JSON Lines'],
      ['seq occurrence-export --skill tk --format csv --output tk.csv', "tk's, as CSV"],
      ['seq occurrence-export | jq -r .session_id | sort -u | wc -l', 'how many sessions mention a skill'],
    ],
    epilogue: REPORT_EPILOGUE,
  },
  run: (values, paths, program) => import('./occurrence-export-work.js').then((work) => work.runOccurrenceExport(values, paths, program)),
};
