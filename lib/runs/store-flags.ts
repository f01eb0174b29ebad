/** --store, declared apart from the store (store.ts): the commands declare it at every start. */
import type { Flags } from '../base/command.js';

/** --store: the one flag that names the run store, for seq-record and seq stats. */
export const STORE_FLAGS = {
  store: { type: 'string', complete: 'files', help: 'The run store file (default: $SEQ_STORE, else .seq/metrics.json)' },
} as const satisfies Flags;
