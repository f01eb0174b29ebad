import { stringForm } from '../../jsonl/values.js';
import type { FormatContext, Formatter } from './types.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A header, then one line per row, written as rows come. Without `select` the header is the
 * first row's keys; a key that only later rows have is reported once rather than lost silently.
 */
export function csvFormatter(context: FormatContext): Formatter {
  let columns = context.columns;
  let known: Set<string> | undefined;
  const reported = new Set<string>();
  let rows = 0;
  return {
    row(row) {
      let header = '';
      if (!columns) {
        columns = Object.keys(row);
        known = new Set(columns);
      }
      if (rows++ === 0) header = `${columns.map(csvField).join(',')}\n`;
      if (known) {
        for (const key of Object.keys(row)) {
          if (!known.has(key) && !reported.has(key)) {
            reported.add(key);
            context.warn(`column "${key}" first appears in row ${rows}, after the CSV header was written; it is left out (name the columns with --select)`);
          }
        }
      }
      const line = columns.map((column) => csvField(stringForm(row[column]))).join(',');
      // One empty field alone is written quoted: a blank line is no record to a CSV reader.
      return `${header}${line === '' && columns.length === 1 ? '""' : line}\n`;
    },
    end: () => (rows === 0 && columns ? `${columns.map(csvField).join(',')}\n` : ''),
  };
}
