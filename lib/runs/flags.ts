/**
 * The flags of the run store's commands, declared apart from the code that reads them (record.ts,
 * store.ts): the commands' declarations load them at every start.
 */
import type { Flags, Values } from '../base/command.js';
import { FAILURE_CATEGORIES, OUTCOMES, PHASES } from './words.js';

/** --store: the one flag that names the run store, for seq-record and seq stats. */
export const STORE_FLAGS = {
  store: { type: 'string', complete: 'files', help: 'The run store file (default: $SEQ_STORE, else .seq/metrics.json)' },
} as const satisfies Flags;

/** `a, b or c` */
function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The flags of `seq-record run`: each sets the run field of its name (`--files-changed`: metrics.filesChanged). */
export const RUN_FLAGS = {
  issues: { type: 'string', help: 'run: Issue numbers, comma-separated (required)' },
  outcome: { type: 'string', complete: OUTCOMES, help: `run: ${orList(OUTCOMES)} (required)` },
  phases: { type: 'string', complete: PHASES, help: `run: Phases run, comma-separated: ${PHASES.join(', ')}` },
  duration: { type: 'string', help: 'run: Run time in seconds' },
  model: { type: 'string', help: 'run: Model used, e.g. opus' },
  'files-changed': { type: 'string', help: 'run: Files changed' },
  'lines-added': { type: 'string', help: 'run: Lines added' },
  'qa-iterations': { type: 'string', help: 'run: QA retries' },
  'acceptance-criteria': { type: 'string', help: 'run: Acceptance criteria' },
  'tokens-used': { type: 'string', help: 'run: Total tokens (input + output)' },
  'input-tokens': { type: 'string', help: 'run: Input tokens' },
  'output-tokens': { type: 'string', help: 'run: Output tokens' },
  'cache-tokens': { type: 'string', help: 'run: Cache tokens (creation + read)' },
  'failure-category': { type: 'string', complete: FAILURE_CATEGORIES, help: `run: ${orList(FAILURE_CATEGORIES)}` },
  id: { type: 'string', help: 'run: The run id (a UUID; generated when absent)' },
  date: { type: 'string', help: 'run: When the run happened (ISO 8601; now when absent)' },
  flags: { type: 'strings', dashValue: true, help: 'run: A flag of the run, repeatable: --flags=--chain' },
} as const satisfies Flags;

export type RunFlags = Values<typeof RUN_FLAGS>;
