/**
 * What a request cost, as the bill counts it. Each kind of token at its price: input not read
 * from cache, cache reads, cache writes (those kept an hour at the 1-hour price, else twice the
 * input price), output with reasoning. Where a model has `*_above_200k_tokens` prices and the
 * request's input side (input, cache reads and cache writes) is over 200,000 tokens, every token
 * of the request, output included, is at those prices. Several requests' tokens together (a
 * session's totals) are priced as that many requests of their mean.
 */
import type { PriceEntry } from './fields.js';

/** The tokens of one request, in the common vocabulary (cache_write includes cache_write_1h). */
export interface CostTokens {
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  output_tokens: number;
}

const LONG_CONTEXT_TOKENS = 200_000;

/** The request's cost in US dollars, or the cost of `requests` requests that together had these tokens. */
export function requestCost(tokens: CostTokens, price: PriceEntry, requests = 1): number {
  const long = tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens > LONG_CONTEXT_TOKENS * Math.max(1, requests);
  const tier = long && price.input_cost_per_token_above_200k_tokens !== undefined;
  const input = tier ? (price.input_cost_per_token_above_200k_tokens as number) : price.input_cost_per_token;
  const output = (tier ? price.output_cost_per_token_above_200k_tokens : undefined) ?? price.output_cost_per_token;
  // A missing cache price is the input price: what the tokens cost were they not cached.
  const read = (tier ? price.cache_read_input_token_cost_above_200k_tokens : undefined) ?? (tier ? undefined : price.cache_read_input_token_cost) ?? input;
  const write =
    (tier ? price.cache_creation_input_token_cost_above_200k_tokens : undefined) ?? (tier ? undefined : price.cache_creation_input_token_cost) ?? input;
  const writeHour = (tier ? undefined : price.cache_creation_input_token_cost_above_1hr) ?? 2 * input;
  const hour = Math.min(tokens.cache_write_1h_tokens, tokens.cache_write_tokens);
  return (
    tokens.input_tokens * input +
    tokens.cache_read_tokens * read +
    (tokens.cache_write_tokens - hour) * write +
    hour * writeHour +
    tokens.output_tokens * output
  );
}
