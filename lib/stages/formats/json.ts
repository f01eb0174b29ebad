import type { Formatter } from './types.js';

/** One JSON array, indented, written as rows come (constant memory). */
export function jsonFormatter(): Formatter {
  let count = 0;
  return {
    row(row) {
      const body = JSON.stringify(row, null, 2).replace(/\n/g, '\n  ');
      return (count++ === 0 ? '[\n  ' : ',\n  ') + body;
    },
    end: () => (count === 0 ? '[]\n' : '\n]\n'),
  };
}
