/**
 * The row side of seq-format: `select`, `sort` and `limit`, with its memory rules (nothing kept
 * without sort, `limit` rows with sort and limit, all rows with sort alone). seq-format turns
 * the rows it gives into text; the named reports keep them as rows.
 */
import { emptyRow, type Row } from '../jsonl/json.js';
import type { SortKey } from '../spec/types.js';
import { fieldGetter } from './fields.js';
import { rowOrder, TopRows, type RowOrder } from './sort.js';

export interface ShapeSpec {
  select: string[] | undefined;
  sort: SortKey[];
  /** 0 means no limit. */
  limit: number;
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

export class RowShaper {
  private readonly project: (row: Row) => Row;
  private readonly order: RowOrder | undefined;
  private readonly top: TopRows | undefined;
  private readonly all: Row[] = [];
  private taken = 0;

  constructor(private readonly spec: ShapeSpec) {
    this.project = projection(spec.select);
    this.order = spec.sort.length > 0 ? rowOrder(spec.sort) : undefined;
    this.top = this.order && spec.limit > 0 ? new TopRows(this.order, spec.limit) : undefined;
  }

  /** True once no more rows can change the result (a limit without sort is reached). */
  get complete(): boolean {
    return this.order === undefined && this.spec.limit > 0 && this.taken >= this.spec.limit;
  }

  /** Takes a row; without sort, returns it (shaped) when it is part of the result. */
  offer(row: Row): Row | undefined {
    if (this.top) this.top.offer(row);
    else if (this.order) this.all.push(row);
    else if (!this.complete) {
      this.taken++;
      return this.project(row);
    }
    return undefined;
  }

  /** After the last row: the rows that sort held back, in order. */
  *finish(): Generator<Row> {
    if (!this.order) return;
    const rows = this.top ? this.top.rows() : this.all.sort(this.order);
    const end = this.spec.limit > 0 ? Math.min(this.spec.limit, rows.length) : rows.length;
    for (let i = 0; i < end; i++) yield this.project(rows[i] as Row);
  }
}

/** Rows shaped by the spec, all at once (the reports' rows are few). */
export function shapeRows(rows: Iterable<Row>, spec: ShapeSpec): Row[] {
  const shaper = new RowShaper(spec);
  const out: Row[] = [];
  for (const row of rows) {
    const kept = shaper.offer(row);
    if (kept) out.push(kept);
  }
  // One at a time: spread as arguments, a history's rows overflow the stack.
  for (const row of shaper.finish()) out.push(row);
  return out;
}
