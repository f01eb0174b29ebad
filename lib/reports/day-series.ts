/**
 * A chart of a figure per day, stacked by source or by model: one series each, and where there
 * are more than the page has colours, those of the most tokens keep theirs (the same in the
 * charts of tokens and of cost) and the rest are one series. Grouped again by day and series with
 * the stages' Grouping, so that the page only draws rows.
 */
import type { Row } from '../jsonl/json.js';
import type { Metric } from '../spec/types.js';
import { Grouping } from '../stages/group.js';
import { shapeRows } from '../stages/shape.js';
import { sortKeys } from './engine.js';

export interface DaySeries {
  /** The series in the legend's order: by name, the folded one last. */
  series: string[];
  /** One row a day and series: day, series, total_tokens. */
  tokens: Row[];
  /**
   * One row a day and series with a cost: day, series, cost_usd. A source's or model's cost is
   * null on a day one of its requests had no price: it has no bar (never one of $0), and adds
   * nothing to a folded series, whose other members keep theirs.
   */
  costs: Row[];
}

const TOKENS: Metric = { op: 'sum', field: 'total_tokens', as: 'total_tokens' };
const COST: Metric = { op: 'sum', field: 'cost_usd', as: 'cost_usd' };

/** `rows`: one a day and `by`, with total_tokens and cost_usd; `colours`: how many series the page tells apart. */
export function daySeries(rows: Row[], by: 'source' | 'model', colours: number, costs: boolean): DaySeries {
  const totals = new Grouping({ groupBy: [by], metrics: [TOKENS] });
  for (const row of rows) totals.add(row);
  const ranked = shapeRows(totals.rows(), { select: undefined, sort: sortKeys('-total_tokens', by), limit: 0 }).map((row) => String(row[by]));
  let series = [...ranked].sort();
  let seriesOf = (name: string): string => name;
  if (ranked.length > colours) {
    const kept = new Set(ranked.slice(0, colours - 1));
    const others = `${ranked.length - kept.size} other ${by}s`;
    series = [...[...kept].sort(), others];
    seriesOf = (name) => (kept.has(name) ? name : others);
  }
  const tokens = new Grouping({ groupBy: ['day', 'series'], metrics: [TOKENS] });
  const cost = new Grouping({ groupBy: ['day', 'series'], metrics: [COST] });
  for (const row of rows) {
    const day = row.day ?? null;
    const name = seriesOf(String(row[by]));
    tokens.add({ day, series: name, total_tokens: row.total_tokens ?? null });
    if (costs && typeof row.cost_usd === 'number') cost.add({ day, series: name, cost_usd: row.cost_usd });
  }
  return { series, tokens: [...tokens.rows()], costs: [...cost.rows()] };
}
