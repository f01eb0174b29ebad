import { InputError } from '../../base/errors.js';
import { toNumber } from '../../jsonl/values.js';
import { humanNumber, humanText } from './cells.js';
import { columnsOf, type FormatContext, type Formatter, wholeFormatter } from './types.js';
import { displayWidth, padEnd, padStart, truncateToWidth } from './width.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `cells` terminal columns, to an eighth of a column. */
export function bar(cells: number): string {
  const eighths = Math.max(0, Math.round(cells * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? '');
}

/**
 * Horizontal bars: the value is the last column whose values are all numbers, the label the
 * other columns joined by spaces (`select: [label, value]` chooses them). Bars scale to the
 * largest value and the whole fits the width (the terminal's, 80 when not a terminal), unless a
 * value alone is wider.
 */
export function chartFormatter(context: FormatContext): Formatter {
  return wholeFormatter((rows) => {
    const columns = columnsOf(rows, context.columns);
    // The value column: the last one whose values are all numbers (and that has any).
    const valueColumn = [...columns]
      .reverse()
      .find(
        (column) =>
          rows.some((row) => toNumber(row[column]) !== undefined) &&
          rows.every((row) => row[column] === null || row[column] === undefined || toNumber(row[column]) !== undefined),
      );
    if (valueColumn === undefined) {
      throw new InputError(`chart needs a column of numbers to draw; the columns are ${columns.join(', ')} (choose two with --select LABEL,VALUE)`);
    }
    const labelColumns = columns.filter((column) => column !== valueColumn);
    const labels = rows.map((row) =>
      labelColumns
        .map((column) => humanText(row[column]))
        .filter((text) => text !== '')
        .join(' '),
    );
    // A missing value (a cost with no price) is drawn as none, not as 0.
    const values = rows.map((row) => toNumber(row[valueColumn]));
    const valueTexts = values.map((value) => (value === undefined ? '' : humanNumber(value)));
    // Loops, not Math.max(...list): a list of a hundred thousand rows would overflow the stack.
    const widest = (texts: string[]): number => texts.reduce((max, text) => Math.max(max, displayWidth(text)), 0);
    // The value is shown whole; the label gives way to a bar of at least ten columns, and both share what is left below that.
    const valueWidth = widest(valueTexts);
    const room = Math.max(2, context.width - valueWidth - 3);
    const labelWidth = Math.min(widest(labels), Math.max(8, Math.floor(context.width * 0.4)), room >= 20 ? room - 10 : Math.floor(room / 2));
    const barWidth = room - labelWidth;
    const largest = values.reduce<number>((max, v) => (v === undefined ? max : Math.max(max, Math.abs(v))), 0);
    const lines = rows.map((_, i) => {
      const value = values[i] ?? 0;
      const cells = largest > 0 && value !== undefined && value > 0 ? (value / largest) * barWidth : 0;
      const drawn = bar(cells);
      const label = padEnd(truncateToWidth(labels[i] ?? '', labelWidth), labelWidth);
      return `${label}  ${context.style.bar(drawn)}${' '.repeat(Math.max(0, barWidth - displayWidth(drawn)))} ${padStart(valueTexts[i] ?? '', valueWidth)}`;
    });
    return `${lines.join('\n')}\n`;
  });
}
