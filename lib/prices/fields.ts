/** A price entry's fields: LiteLLM's names, US dollars per token. */
export const PRICE_FIELDS = [
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_creation_input_token_cost',
  'cache_creation_input_token_cost_above_1hr',
  'cache_read_input_token_cost',
  'input_cost_per_token_above_200k_tokens',
  'output_cost_per_token_above_200k_tokens',
  'cache_creation_input_token_cost_above_200k_tokens',
  'cache_read_input_token_cost_above_200k_tokens',
] as const;

export type PriceField = (typeof PRICE_FIELDS)[number];

export type PriceEntry = { input_cost_per_token: number; output_cost_per_token: number; source: string } & Partial<Record<PriceField, number>>;
