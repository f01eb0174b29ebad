/**
 * seq-format: `select`, `sort`, `limit` and the output format. Memory is constant without sort,
 * `limit` rows with sort and limit, all rows with sort alone. With a limit and no sort it stops
 * reading once it has its rows, and says so with a 'complete' event.
 */
import type { Transform } from 'node:stream';
import { emptyRow, type Row } from '../jsonl/json.js';
import { TextBatch } from '../jsonl/batch.js';
import type { Format, FormatSpec } from '../spec/types.js';
import { fieldGetter } from './fields.js';
import { chartFormatter } from './formats/chart.js';
import { csvFormatter } from './formats/csv.js';
import { jsonFormatter } from './formats/json.js';
import { jsonlFormatter } from './formats/jsonl.js';
import { markdownFormatter } from './formats/markdown.js';
import { tableFormatter } from './formats/table.js';
import type { FormatContext, Formatter, Style } from './formats/types.js';
import { rowOrder, TopRows } from './sort.js';
import { stage } from './transform.js';

export interface FormatOptions {
  style: Style;
  width: number;
  warn(message: string): void;
}

function formatterFor(format: Format, context: FormatContext): Formatter {
  switch (format) {
    case 'table':
      return tableFormatter(context);
    case 'jsonl':
      return jsonlFormatter();
    case 'json':
      return jsonFormatter();
    case 'csv':
      return csvFormatter(context);
    case 'markdown':
      return markdownFormatter(context);
    case 'chart':
      return chartFormatter(context);
  }
}

/** Keeps the selected fields, in the select order; a field a row lacks becomes null. */
function projection(select: string[] | undefined): (row: Row) => Row {
  if (!select) return (row) => row;
  const getters = select.map((name) => [name, fieldGetter(name)] as const);
  return (row) => {
    const out = emptyRow();
    for (const [name, get] of getters) out[name] = get(row) ?? null;
    return out;
  };
}

export function formatStage(spec: FormatSpec, options: FormatOptions): Transform {
  const formatter = formatterFor(spec.format, {
    columns: spec.select,
    style: options.style,
    width: options.width,
    warn: options.warn,
  });
  const project = projection(spec.select);
  const order = spec.sort.length > 0 ? rowOrder(spec.sort) : undefined;
  const top = order && spec.limit > 0 ? new TopRows(order, spec.limit) : undefined;
  const all: Row[] = [];
  let taken = 0;
  let batch: TextBatch | undefined;

  const transform = stage<Row, string>({
    record(row, push) {
      if (top) {
        top.offer(row);
      } else if (order) {
        all.push(row);
      } else if (spec.limit === 0 || taken < spec.limit) {
        batch ??= new TextBatch(push);
        batch.add(formatter.row(project(row)));
        taken++;
        // Sorting is not needed, so the input past the limit is not needed either.
        if (taken === spec.limit) transform.emit('complete');
      }
    },
    end(push) {
      batch ??= new TextBatch(push);
      if (order) {
        const rows = top ? top.rows() : all.sort(order);
        const end = spec.limit > 0 ? Math.min(spec.limit, rows.length) : rows.length;
        for (let i = 0; i < end; i++) batch.add(formatter.row(project(rows[i] as Row)));
      }
      batch.add(formatter.end());
      batch.flush();
    },
  }, { textOut: true });
  return transform;
}
