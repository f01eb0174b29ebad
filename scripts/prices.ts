/**
 * Writes the price table (lib/prices/table.json) from LiteLLM-format files, a models.dev file and
 * the project's own additions (lib/prices/extra.json), each entry with where it came from. LiteLLM's
 * entries win over models.dev's, and the additions over both. Nothing is fetched: the table is
 * what these files say.
 *
 *   npx tsx scripts/prices.ts --litellm FILE SOURCE [--litellm FILE SOURCE...] \
 *     [--models-dev FILE SOURCE] --extra lib/prices/extra.json > lib/prices/table.json
 *   make prices     (from ../shared/pricing)
 */
import { readFileSync } from 'node:fs';
import { PRICE_FIELDS, type PriceEntry } from '../lib/prices/fields.js';
import { findPrice } from '../lib/prices/models.js';

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

/** A LiteLLM entry's price fields, or undefined when it has no input and output price. */
function litellmEntry(value: unknown, source: string): PriceEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry: Record<string, number | string> = {};
  for (const field of PRICE_FIELDS) {
    const price = (value as Json)[field];
    if (typeof price === 'number' && Number.isFinite(price) && price >= 0) entry[field] = price;
  }
  if (entry.input_cost_per_token === undefined || entry.output_cost_per_token === undefined) return undefined;
  entry.source = source;
  return entry as unknown as PriceEntry;
}

/** A models.dev entry (dollars per million tokens) in LiteLLM's fields (dollars per token). */
function modelsDevEntry(value: unknown, source: string): PriceEntry | undefined {
  const cost = (value as { cost?: Json } | undefined)?.cost;
  if (cost === undefined) return undefined;
  // 15 digits: what the per-million price says, without the division's last-bit noise (0.0306 / 1e6).
  const perToken = (key: string): number | undefined => (typeof cost[key] === 'number' ? Number(((cost[key] as number) / 1e6).toPrecision(15)) : undefined);
  return litellmEntry(
    {
      input_cost_per_token: perToken('input'),
      output_cost_per_token: perToken('output'),
      cache_read_input_token_cost: perToken('cache_read'),
      cache_creation_input_token_cost: perToken('cache_write'),
    },
    source,
  );
}

/** Prices within 1% of each other: one price, as a gateway rounds it (14.994 for 15 per million). */
function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.01 * Math.max(a, b);
}

const table = new Map<string, PriceEntry>();
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  const file = args[i + 1];
  if (file === undefined) throw new Error(`${flag}: a file is missing`);
  if (flag === '--extra') {
    for (const [model, value] of Object.entries(readJson(file))) {
      if (model.startsWith('_')) continue;
      const source = (value as Json).source;
      if (typeof source !== 'string') throw new Error(`${file}: ${model} says no source`);
      const entry = litellmEntry(value, source);
      if (entry === undefined) throw new Error(`${file}: ${model} has no input or output price`);
      table.set(model, entry);
    }
    i += 1;
    continue;
  }
  const source = args[i + 2];
  if (source === undefined) throw new Error(`${flag} ${file}: its source is missing`);
  i += 2;
  const read = flag === '--litellm' ? litellmEntry : flag === '--models-dev' ? modelsDevEntry : undefined;
  if (read === undefined) throw new Error(`unknown option ${flag}`);
  for (const [model, value] of Object.entries(readJson(file))) {
    const entry = read(value, source);
    if (entry === undefined) continue;
    // A price of 0 for both input and output is a placeholder, not a price: the model stays unpriced.
    if (entry.input_cost_per_token === 0 && entry.output_cost_per_token === 0) continue;
    // models.dev is the fallback: not for another spelling of a model LiteLLM prices the same
    // (a gateway's name, a Bedrock id), whose cache and long-context prices models.dev may lack;
    // a spelling priced otherwise (a Bedrock region's uplift) keeps its own entry.
    const same = flag === '--models-dev' ? findPrice(model, table)?.entry : undefined;
    if (same !== undefined && near(same.input_cost_per_token, entry.input_cost_per_token) && near(same.output_cost_per_token, entry.output_cost_per_token))
      continue;
    table.set(model, entry);
  }
}

// One entry a line: a diff of the table shows each model whose price changed.
const lines = [...table].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([model, entry]) => `  ${JSON.stringify(model)}: ${JSON.stringify(entry)}`);
const about = 'US dollars per token, in LiteLLM field names, each entry with its source. Written by scripts/prices.ts (make prices): do not edit by hand.';
process.stdout.write(`{\n "_about": ${JSON.stringify(about)},\n "models": {\n${lines.join(',\n')}\n }\n}\n`);
