import type { JsonValue, Row } from '../../jsonl/json.js';
import { humanText, isNumberColumn } from './cells.js';
import { columnsOf, type FormatContext, type Formatter, wholeFormatter } from './types.js';
import { displayWidth, padEnd, padStart } from './width.js';

interface Layout {
  columns: string[];
  cells: string[][];
  widths: number[];
  numeric: boolean[];
}

/** Lays rows out in columns measured in display width; number columns align right. */
export function layout(rows: Row[], select: string[] | undefined, cellText: (value: JsonValue | undefined) => string = humanText): Layout {
  const columns = columnsOf(rows, select);
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const widths = columns.map((column, i) => cells.reduce((widest, line) => Math.max(widest, displayWidth(line[i] ?? '')), displayWidth(cellText(column))));
  const numeric = columns.map((column) => isNumberColumn(rows.map((row) => row[column])));
  return { columns, cells, widths, numeric };
}

/** A plain-text table: columns two spaces apart, a dash rule under the header, no trailing spaces. */
export function tableFormatter(context: FormatContext): Formatter {
  return wholeFormatter((rows) => {
    const { columns, cells, widths, numeric } = layout(rows, context.columns);
    const line = (values: string[]): string =>
      values
        .map((value, i) => (numeric[i] ? padStart(value, widths[i] ?? 0) : padEnd(value, widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    // A column's name can come from a log's own keys: it is escaped as the cells are, and measured so.
    const header = context.style.header(line(columns.map((column) => humanText(column))));
    const rule = context.style.rule(widths.map((w) => '-'.repeat(w)).join('  '));
    return `${[header, rule, ...cells.map(line)].join('\n')}\n`;
  });
}
