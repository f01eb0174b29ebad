/**
 * The params of the datasets whose rows have costs (usage, sessions): the prices a command adds
 * (--prices FILE) and whether costs are there at all (--no-cost), and the notice of the models
 * that went unpriced, said once at the end of a scan.
 */
import { Prices, unpricedNotice } from '../prices/prices.js';
import { userPrices } from '../prices/user.js';
import { textHash128 } from '../base/hash128.js';
import type { PriceEntry } from '../prices/fields.js';
import type { JsonValue } from '../jsonl/json.js';
import type { ParamInfo } from '../spec/catalog.js';
import { inWindow, type TimeWindow } from '../spec/time.js';
import type { FieldInfo, ScanContext } from './types.js';

export const COST_PARAMS: ParamInfo[] = [
  {
    name: 'prices',
    type: 'string',
    default: '',
    help: "a JSON file of prices in LiteLLM's field names that adds to the price table or changes it (docs/costs.md); --prices FILE",
    local: true,
  },
  { name: 'cost', type: 'boolean', default: true, help: 'rows with their cost in US dollars; --no-cost leaves it out' },
];

/** Whether the rows have costs under these params. */
export function withCost(params: Record<string, JsonValue>): boolean {
  return params.cost !== false;
}

/** The fields under these params: the cost fields only where rows have costs. */
export function costFields(fields: readonly FieldInfo[], costs: readonly FieldInfo[], params: Record<string, JsonValue>): FieldInfo[] {
  return withCost(params) ? [...fields, ...costs] : [...fields];
}

/** The price table a scan's rows are priced with (the shipped one with the user's prices), or undefined where they have no costs (--no-cost). */
export function scanPriceTable(params: Record<string, JsonValue>): ReadonlyMap<string, PriceEntry> | undefined {
  return withCost(params) ? userPrices(typeof params.prices === 'string' ? params.prices : undefined) : undefined;
}

/** The prices a scan's rows are priced with, as a key (Dataset.inputsKey): the user's price files may change between scans. */
export function pricesKey(params: Record<string, JsonValue>): string {
  // A dataset without the cost params has no prices.
  const table = 'cost' in params ? scanPriceTable(params) : undefined;
  return table === undefined ? '' : textHash128(JSON.stringify([...table]));
}

/** The prices a scan's rows are priced with, or undefined where they have no costs (--no-cost). */
export function scanPrices(params: Record<string, JsonValue>, window: TimeWindow): Prices | undefined {
  const table = scanPriceTable(params);
  // The notice of unpriced requests counts those the query keeps.
  return table === undefined ? undefined : new Prices(table, (ms) => inWindow(window, ms));
}

/** Says which models went unpriced, if any did. */
export function noticeUnpriced(prices: Prices | undefined, scan: ScanContext): void {
  const unpriced = prices?.unpriced() ?? [];
  if (unpriced.length > 0) scan.problems.notice(unpricedNotice(unpriced));
}
