/**
 * The prices a user adds to the table or changes in it: JSON in LiteLLM's field names (US
 * dollars per token), `{"model": {"input_cost_per_token": ..., ...}}`, from the config file
 * (`$XDG_CONFIG_HOME/seq/prices.json`, default `~/.config/seq/prices.json`) when it is there,
 * then from a file a command names (`--prices FILE`). An entry for a model the table has changes
 * the fields it gives; one for another model must give an input and an output price. Fields
 * LiteLLM has that are no price (max_tokens, mode...) are left aside.
 */
import { invalidJson } from '../jsonl/json-errors.js';
import { readFileSync } from 'node:fs';
import { xdgFolder } from '../base/xdg.js';
import { join } from 'node:path';
import { errorReason, InputError, UsageError } from '../base/errors.js';
import { PRICE_FIELDS, type PriceEntry } from './fields.js';
import { shippedPrices } from './table.js';

/** The most a token may cost, in dollars: a million of them, a billion dollars. */
const MAX_PRICE = 1000;

/** `$XDG_CONFIG_HOME/seq/prices.json`, else `~/.config/seq/prices.json`. */
function configPricesPath(): string {
  return join(xdgFolder('XDG_CONFIG_HOME', '.config'), 'seq', 'prices.json');
}

/** A file's entries over `table`; `fail` makes the error of what is wrong in it. */
function addFile(table: Map<string, PriceEntry>, path: string, text: string, fail: (problem: string) => Error): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(invalidJson(text, error));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw fail('expected an object of models, each an object of prices');
  for (const [model, value] of Object.entries(json)) {
    if (model.startsWith('_') || model === 'sample_spec') continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`"${model}": expected an object of prices`);
    const prices: Partial<Record<string, number>> = {};
    for (const field of PRICE_FIELDS) {
      const price = (value as Record<string, unknown>)[field];
      if (price === undefined || price === null) continue;
      // Per token: a million tokens at the bound cost a billion dollars, and no count of tokens makes a cost overflow.
      if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price > MAX_PRICE)
        throw fail(`"${model}".${field}: expected a price in dollars per token (a number from 0 to ${MAX_PRICE}; $3 per million tokens is 0.000003)`);
      prices[field] = price;
    }
    const known = table.get(model);
    if (known === undefined && (prices.input_cost_per_token === undefined || prices.output_cost_per_token === undefined))
      throw fail(`"${model}": a model the table does not have needs input_cost_per_token and output_cost_per_token`);
    table.set(model, { ...known, ...prices, source: known === undefined ? path : `${known.source}; changed by ${path}` } as PriceEntry);
  }
}

/** The tables made so far, by the file given: every dataset of a scan, and a push, price with the same one. */
const made = new Map<string, ReadonlyMap<string, PriceEntry>>();

/** The table with the config file's entries, then `file`'s (given with --prices). */
export function userPrices(file: string | undefined): ReadonlyMap<string, PriceEntry> {
  const key = file ?? '';
  let table = made.get(key);
  if (table === undefined) {
    table = readPrices(key);
    made.set(key, table);
  }
  return table;
}

function readPrices(file: string): ReadonlyMap<string, PriceEntry> {
  const table = new Map(shippedPrices());
  const config = configPricesPath();
  let text: string | undefined;
  try {
    text = readFileSync(config, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`cannot read the prices in ${config}: ${errorReason(error)}`);
  }
  if (text !== undefined) addFile(table, config, text, (problem) => new InputError(`${config}: ${problem}; fix it or move it away (docs/costs.md)`));
  if (file !== '') {
    let given: string;
    try {
      given = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--prices: cannot read ${file}: ${errorReason(error)}`);
    }
    addFile(table, file, given, (problem) => new UsageError(`--prices ${file}: ${problem}`, 'docs/costs.md shows a prices file'));
  }
  return table;
}
