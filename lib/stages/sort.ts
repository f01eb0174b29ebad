/**
 * The order of seq-format: several keys, `-` for descending, stable, missing values last
 * whatever the direction. With a limit only the best `limit` rows are kept while reading.
 */
import type { Row } from '../jsonl/json.js';
import type { SortKey } from '../spec/types.js';
import { fieldGetter } from './fields.js';
import { compareValues, isMissing } from '../jsonl/values.js';

export type RowOrder = (a: Row, b: Row) => number;

export function rowOrder(keys: SortKey[]): RowOrder {
  const compiled = keys.map((key) => ({ get: fieldGetter(key.field), sign: key.descending ? -1 : 1 }));
  return (a, b) => {
    for (const { get, sign } of compiled) {
      const x = get(a);
      const y = get(b);
      const xMissing = isMissing(x);
      const yMissing = isMissing(y);
      if (xMissing || yMissing) {
        if (xMissing && yMissing) continue;
        return xMissing ? 1 : -1;
      }
      const order = compareValues(x, y);
      if (order !== 0) return order * sign;
    }
    return 0;
  };
}

interface Ranked {
  row: Row;
  seq: number;
}

/**
 * Keeps the first `limit` rows of the order among all it is offered, in memory for `limit` rows:
 * a heap whose root is the worst kept row. Ties go to the earlier row, as a stable sort would.
 */
export class TopRows {
  private readonly heap: Ranked[] = [];
  private seq = 0;

  constructor(
    private readonly order: RowOrder,
    private readonly limit: number,
  ) {}

  private worse(a: Ranked, b: Ranked): boolean {
    const order = this.order(a.row, b.row);
    return order > 0 || (order === 0 && a.seq > b.seq);
  }

  offer(row: Row): void {
    const item = { row, seq: this.seq++ };
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(heap[i] as Ranked, heap[parent] as Ranked)) break;
        [heap[i], heap[parent]] = [heap[parent] as Ranked, heap[i] as Ranked];
        i = parent;
      }
      return;
    }
    if (!this.worse(heap[0] as Ranked, item)) return;
    heap[0] = item;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && this.worse(heap[left] as Ranked, heap[worst] as Ranked)) worst = left;
      if (right < heap.length && this.worse(heap[right] as Ranked, heap[worst] as Ranked)) worst = right;
      if (worst === i) break;
      [heap[i], heap[worst]] = [heap[worst] as Ranked, heap[i] as Ranked];
      i = worst;
    }
  }

  /** The kept rows, best first. */
  rows(): Row[] {
    return [...this.heap].sort((a, b) => this.order(a.row, b.row) || a.seq - b.seq).map((item) => item.row);
  }
}
