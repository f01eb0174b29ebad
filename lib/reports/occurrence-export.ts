/** `seq occurrence-export`: every skill mention row (of one skill with --skill), for other tools. */
import { lastString } from '../cli/options.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { scanBranches } from './engine.js';
import { countOption, mentionParams, type ReportContext } from './run.js';

const COLUMNS = ['source', 'session_id', 'path', 'timestamp', 'day', 'week', 'month', 'role', 'skill', 'types', 'snippet'];

export async function occurrenceExport(context: ReportContext): Promise<string> {
  const format = context.format(FORMATS, 'jsonl');
  const skill = lastString(context.args.skill);
  const scan = context.scan({ dataset: 'skill_mentions', params: mentionParams(context.args) });
  const where = skill === undefined ? [] : [{ field: 'skill', op: 'eq' as const, value: skill, caseInsensitive: false }];
  const [rows = []] = await scanBranches(scan, where, [{ select: COLUMNS, limit: countOption(context.args, 'max', 0) }], context.run);
  return formatRows(rows, format, COLUMNS, context.options);
}
