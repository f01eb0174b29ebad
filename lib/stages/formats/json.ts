import { inSelectOrder } from './jsonl.js';
import type { FormatContext, Formatter } from './types.js';

/** One JSON array, indented, written as rows come (constant memory). */
export function jsonFormatter(context: FormatContext): Formatter {
  let count = 0;
  const ordered = inSelectOrder(context.columns, 2);
  return {
    row(row) {
      const body = (ordered === undefined ? JSON.stringify(row, null, 2) : ordered(row)).replace(/\n/g, '\n  ');
      return (count++ === 0 ? '[\n  ' : ',\n  ') + body;
    },
    end: () => (count === 0 ? '[]\n' : '\n]\n'),
  };
}
