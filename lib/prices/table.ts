/**
 * The price table (table.json, written by scripts/prices.ts with each entry's source) and the
 * entries a user adds: LiteLLM's field names, US dollars per token. The `*_above_200k_tokens`
 * prices are a whole request's where its input side (input, cache reads and writes) is over
 * 200,000 tokens.
 */
import TABLE from './table.json' with { type: 'json' };
import type { PriceEntry } from './fields.js';

/** The table as the repository ships it, by model key. */
export function shippedPrices(): ReadonlyMap<string, PriceEntry> {
  return new Map(Object.entries(TABLE.models as Record<string, PriceEntry>));
}
