import type { Row } from '../../jsonl/json.js';

/** Terminal styling; every function is the identity when colour is off. */
export interface Style {
  header(text: string): string;
  rule(text: string): string;
  bar(text: string): string;
}

export const NO_STYLE: Style = { header: (t) => t, rule: (t) => t, bar: (t) => t };

export const ANSI_STYLE: Style = {
  header: (t) => `\x1b[1m${t}\x1b[22m`,
  rule: (t) => `\x1b[2m${t}\x1b[22m`,
  bar: (t) => `\x1b[36m${t}\x1b[39m`,
};

export interface FormatContext {
  /** The `select` list: these columns in this order; otherwise the rows' own keys. */
  columns: string[] | undefined;
  style: Style;
  /** Columns of the terminal (or 80) for the chart. */
  width: number;
  /** Says something once on stderr (a column the CSV header did not have). */
  warn(message: string): void;
}

/** Turns rows into text: `row` for each row as it comes, `end` once after the last. */
export interface Formatter {
  row(row: Row): string;
  end(): string;
}

export const NO_RESULTS = '(no results)\n';

/** A formatter that must see every row before it writes: `render` is given them all, at the end (never none). */
export function wholeFormatter(render: (rows: Row[]) => string): Formatter {
  const rows: Row[] = [];
  return {
    row(row) {
      rows.push(row);
      return '';
    },
    end: () => (rows.length === 0 ? NO_RESULTS : render(rows)),
  };
}

/** The columns of buffered rows: the select list, or every key in the order first seen. */
export function columnsOf(rows: Row[], select: string[] | undefined): string[] {
  if (select) return select;
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}
