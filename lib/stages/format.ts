/**
 * seq-format: `select`, `sort`, `limit` and the output format. Memory is constant without sort,
 * `limit` rows with sort and limit, all rows with sort alone. With a limit and no sort it stops
 * reading once it has its rows, and says so with a 'complete' event.
 */
import type { Transform } from 'node:stream';
import type { Row } from '../jsonl/json.js';
import { TextBatch } from '../jsonl/batch.js';
import type { Format, FormatSpec } from '../spec/types.js';
import { chartFormatter } from './formats/chart.js';
import { csvFormatter } from './formats/csv.js';
import { jsonFormatter } from './formats/json.js';
import { jsonlFormatter } from './formats/jsonl.js';
import { markdownFormatter } from './formats/markdown.js';
import { tableFormatter } from './formats/table.js';
import type { FormatContext, Formatter, Style } from './formats/types.js';
import { RowShaper } from './shape.js';
import { stage } from '../base/transform.js';

export interface FormatOptions {
  style: Style;
  width: number;
  warn(message: string): void;
}

export function formatterFor(format: Format, context: FormatContext): Formatter {
  switch (format) {
    case 'table':
      return tableFormatter(context);
    case 'jsonl':
      return jsonlFormatter(context);
    case 'json':
      return jsonFormatter(context);
    case 'csv':
      return csvFormatter(context);
    case 'markdown':
      return markdownFormatter(context);
    case 'chart':
      return chartFormatter(context);
  }
}

export function formatStage(spec: FormatSpec, options: FormatOptions): Transform {
  const formatter = formatterFor(spec.format, {
    columns: spec.select,
    style: options.style,
    width: options.width,
    warn: options.warn,
  });
  const shaper = new RowShaper(spec);
  let batch: TextBatch | undefined;

  const transform = stage<Row, string>(
    {
      record(row, push) {
        if (shaper.complete) return;
        const kept = shaper.offer(row);
        if (kept === undefined) return;
        batch ??= new TextBatch(push);
        batch.add(formatter.row(kept));
        // Sorting is not needed, so the input past the limit is not needed either.
        if (shaper.complete) transform.emit('complete');
      },
      end(push) {
        batch ??= new TextBatch(push);
        for (const row of shaper.finish()) batch.add(formatter.row(row));
        batch.add(formatter.end());
        batch.flush();
      },
    },
    { textOut: true },
  );
  return transform;
}

/** Rows already in memory (a report's) as text in a format: what seq-format would print for them. */
export function formatRows(rows: Row[], format: Format, columns: string[] | undefined, options: FormatOptions): string {
  const formatter = formatterFor(format, { columns, style: options.style, width: options.width, warn: options.warn });
  return rows.map((row) => formatter.row(row)).join('') + formatter.end();
}
