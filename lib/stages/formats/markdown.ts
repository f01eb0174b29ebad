import type { JsonValue } from '../../jsonl/json.js';
import { humanText } from './cells.js';
import { layout } from './table.js';
import { type FormatContext, type Formatter, wholeFormatter } from './types.js';
import { padEnd, padStart } from './width.js';

/**
 * A cell of a Markdown table: line breaks as <br>, pipes escaped, so that one row stays one line,
 * and backslashes escaped, so that one before punctuation (`TODO\|FIXME`, `\.`) is shown, not read.
 */
function markdownCell(value: JsonValue | undefined): string {
  const escaped = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  if (typeof value === 'string') return escaped(humanText(value.replace(/\r?\n/g, '<br>')));
  return escaped(humanText(value));
}

/** A GitHub-flavoured Markdown table, padded so that it also reads well as plain text. */
export function markdownFormatter(context: FormatContext): Formatter {
  return wholeFormatter((rows) => {
    const { columns, cells, widths: measured, numeric } = layout(rows, context.columns, markdownCell);
    const widths = measured.map((w) => Math.max(3, w));
    const line = (values: string[]): string =>
      `| ${values.map((v, i) => (numeric[i] ? padStart(v, widths[i] ?? 0) : padEnd(v, widths[i] ?? 0))).join(' | ')} |`;
    const rule = `|${widths.map((w, i) => ` ${numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)} `).join('|')}|`;
    return `${[line(columns.map((c) => markdownCell(c))), rule, ...cells.map(line)].join('\n')}\n`;
  });
}
