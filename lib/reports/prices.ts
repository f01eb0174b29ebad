/**
 * `seq prices`: the price table as this command sees it (what the repository ships, with the
 * user's prices over it), in dollars per million tokens, each entry with its source; or, with
 * --check, the models in the logs that no entry prices, with their requests and tokens: the usage
 * rows without a price_model, grouped by model.
 */
import type { Values } from '../base/command.js';
import { InputError, UsageError } from '../base/errors.js';
import type { Row } from '../jsonl/json.js';
import type { PriceEntry, PriceField } from '../prices/fields.js';
import { findPrice } from '../prices/models.js';
import { userPrices } from '../prices/user.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { scanBranches, sortKeys } from './engine.js';
import type { Report } from './run.js';
import type { PRICES_FLAGS } from './flags.js';

/** The columns of the listing: each a price field, per million tokens. */
const COLUMNS: Array<[string, PriceField]> = [
  ['input', 'input_cost_per_token'],
  ['output', 'output_cost_per_token'],
  ['cache_write', 'cache_creation_input_token_cost'],
  ['cache_write_1h', 'cache_creation_input_token_cost_above_1hr'],
  ['cache_read', 'cache_read_input_token_cost'],
  ['input_over_200k', 'input_cost_per_token_above_200k_tokens'],
  ['output_over_200k', 'output_cost_per_token_above_200k_tokens'],
  ['cache_write_over_200k', 'cache_creation_input_token_cost_above_200k_tokens'],
  ['cache_read_over_200k', 'cache_read_input_token_cost_above_200k_tokens'],
];

function priceRow(model: string, entry: PriceEntry): Row {
  const row: Row = { model };
  // 12 digits: the price per million as the entry means it, without the multiplication's last-bit noise.
  for (const [column, field] of COLUMNS) row[column] = entry[field] === undefined ? null : Number(((entry[field] as number) * 1e6).toPrecision(12));
  row.source = entry.source;
  return row;
}

export const prices: Report<Values<typeof PRICES_FLAGS>> = (context) => {
  const format = context.format(FORMATS, 'table');
  const { values } = context;
  if (values.check === true) {
    if (values.model !== undefined) throw new UsageError('--model and --check: give one or the other');
    if (values.cost === false) throw new UsageError('--check finds the models without a price: it needs the costs that --no-cost leaves out');
    const scan = context.scan({ dataset: 'usage' });
    return async () => {
      const unpriced = { field: 'price_model', op: 'not_exists' as const, value: undefined, caseInsensitive: false };
      const metrics = [
        { op: 'count' as const, field: undefined, as: 'requests' },
        { op: 'sum' as const, field: 'total_tokens', as: 'tokens' },
      ];
      const [rows = []] = await scanBranches(
        scan,
        [unpriced],
        [{ group: { groupBy: ['model'], metrics }, sort: sortKeys('-tokens', 'model'), limit: 0 }],
        context.run,
      );
      return formatRows(rows, format, ['model', 'requests', 'tokens'], context.options);
    };
  }
  if (context.paths.length > 0) throw new UsageError('the logs are read only with --check', `seq prices --check ${context.paths.join(' ')}`);
  if (format === 'chart')
    throw new UsageError(
      '--format chart: the table has a price of each kind for each model, no one number to draw',
      'chart the models of no price with --check',
    );
  const table = userPrices(values.prices);
  let rows: Row[];
  if (values.model === undefined) rows = [...table].map(([model, entry]) => priceRow(model, entry));
  else {
    const found = findPrice(values.model, table);
    if (found === undefined) throw new InputError(`no price for "${values.model}": seq prices lists the table; docs/costs.md says how to add a price`);
    rows = [priceRow(found.key, found.entry)];
  }
  return () => Promise.resolve(formatRows(rows, format, ['model', ...COLUMNS.map(([column]) => column), 'source'], context.options));
};
