import type { Formatter } from './types.js';

/** One JSON object per line: what every stage reads. */
export function jsonlFormatter(): Formatter {
  return { row: (row) => `${JSON.stringify(row)}\n`, end: () => '' };
}
