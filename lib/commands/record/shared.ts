/** What the seq-record commands share: the store and --quiet, and saying what was done. */
import type { Flags } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import type { RecordResult } from '../../runs/store.js';
import { counted } from '../../base/plural.js';
import { STORE_FLAGS } from '../../runs/flags.js';

export const RECORD_FLAGS = {
  ...STORE_FLAGS,
  quiet: { type: 'boolean', alias: 'q', help: 'Say nothing on success' },
} as const satisfies Flags;

/** A line on stderr about what was done, unless --quiet. */
export function sayer(quiet: boolean | undefined, program: Program): (message: string) => void {
  return (message) => {
    if (quiet !== true) program.warn(message);
  };
}

/** What a recording did: `recorded 2 runs in PATH (1 already there, unchanged; 1 repeated in the input, kept once)`. */
export function recordedLine(path: string, result: RecordResult): string {
  const notes = [
    ...(result.alreadyStored > 0 ? [`${result.alreadyStored} already there, unchanged`] : []),
    ...(result.repeated > 0 ? [`${result.repeated} repeated in the input, kept once`] : []),
  ];
  return `recorded ${counted(result.added, 'run')} in ${path}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

export const STORE_NOTE = [
  'The store: --store, else $SEQ_STORE, else .seq/metrics.json (an existing',
  '.sequant/metrics.json is extended when there is no .seq store). Writes are',
  "atomic (a temporary file in the store's folder, renamed) and serialised by a",
  'lock file, so concurrent recorders lose nothing. A store that does not parse is',
  "never overwritten. Only the schema's fields are stored: a run with any other",
  'field is refused by name, and no path, code, title or error text can reach the',
  'store. A run whose id is stored already changes nothing.',
].join('\n');

export const RECORD_EXIT_STATUS =
  'Exit status: 0 recorded; 1 the store cannot be read or written; 2 a usage error\nor an invalid run (then nothing is written).';
