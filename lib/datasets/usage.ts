import type { Row } from '../jsonl/json.js';
import { CounterRequests, UsageRequests, type Request } from './requests.js';
import { bucketsAt } from '../time/buckets.js';
import { instantMs, rowTime } from '../time/iso.js';
import { sessionDataset } from './session-dataset.js';
import type { FieldInfo } from './types.js';
import type { Emit } from './types.js';
import type { Prices } from '../prices/prices.js';
import { COST_PARAMS, costFields, noticeUnpriced, pricesKey, scanPrices } from './costs.js';

export const TOKEN_FIELD_INFO: FieldInfo[] = [
  { name: 'input_tokens', type: 'integer', description: 'input not read from cache (Codex: input - cached)' },
  { name: 'cache_read_tokens', type: 'integer', description: 'input read from cache' },
  { name: 'cache_write_tokens', type: 'integer', description: 'input written to cache (Claude cache_creation)' },
  { name: 'cache_write_1h_tokens', type: 'integer', description: 'of cache_write, written to be kept an hour (Claude ephemeral_1h), at a higher price' },
  { name: 'output_tokens', type: 'integer', description: 'output, reasoning included' },
  { name: 'reasoning_tokens', type: 'integer', description: 'reasoning (thinking) part of the output, where logged' },
  { name: 'total_tokens', type: 'integer', description: 'input + cache_read + cache_write + output' },
];

/**
 * One literal, not spreads nor a copy of rowBase's row: rows are made by the hundred thousand,
 * and a spread costs several times a literal. The fields are BASE_FIELDS's, then the request's.
 */
function requestRow(request: Request, zone: string, prices: Prices | undefined): Row {
  const ms = request.ms ?? (request.timestamp === undefined ? NaN : instantMs(request.timestamp));
  const buckets = Number.isNaN(ms) ? undefined : bucketsAt(ms, zone);
  const t = request.tokens;
  const row: Row = {
    source: request.source,
    session_id: request.sessionId ?? null,
    path: request.path,
    timestamp: request.timestamp === undefined ? null : rowTime(request.timestamp, ms),
    day: buckets?.day ?? null,
    week: buckets?.week ?? null,
    month: buckets?.month ?? null,
    model: request.model ?? null,
    input_tokens: t.input_tokens,
    cache_read_tokens: t.cache_read_tokens,
    cache_write_tokens: t.cache_write_tokens,
    cache_write_1h_tokens: t.cache_write_1h_tokens,
    output_tokens: t.output_tokens,
    reasoning_tokens: t.reasoning_tokens,
    total_tokens: t.total_tokens,
    request_id: request.requestId ?? null,
    logged_cost_usd: request.loggedCostUsd ?? null,
  };
  if (prices !== undefined) {
    const priced = prices.cost(request.model, t, request.requests, ms);
    row.cost_usd = priced.cost;
    row.price_model = priced.key;
  }
  return row;
}

/** The cost fields of a usage row (not there with --no-cost). */
const COST_FIELDS: FieldInfo[] = [
  {
    name: 'cost_usd',
    type: 'number',
    description: "what the request cost in US dollars at the price table's prices; null when no price is known for its model",
  },
  { name: 'price_model', type: 'string', description: "the price table's entry that priced it (docs/costs.md)" },
];

const REQUEST_FIELDS: FieldInfo[] = [
  { name: 'model', type: 'string', description: 'the model of the request' },
  ...TOKEN_FIELD_INFO,
  { name: 'request_id', type: 'string', description: "the request's id in its log (Claude requestId; null for Codex)" },
  { name: 'logged_cost_usd', type: 'number', description: 'what the log itself says the request cost in US dollars (OpenCode); null where it says nothing' },
];

/** One row per model request, every agent's, in one token vocabulary. */
export const usageDataset = sessionDataset({
  name: 'usage',
  description: "One row per model request (deduplicated), every agent's, in one token vocabulary.",
  fields: [...REQUEST_FIELDS, ...COST_FIELDS],
  rowFields: (params) => costFields(REQUEST_FIELDS, COST_FIELDS, params),
  params: COST_PARAMS,
  inputsKey: pricesKey,
  // A Claude request is its request id wherever it was read; its largest copy is the final one.
  identity: { fields: ['source', 'session_id', 'request_id'], version: 'total_tokens' },
  create(params, scan) {
    const perRequest = new UsageRequests();
    const prices = scanPrices(params, scan.noticeWindow ?? scan.window);
    return {
      needs: { messages: false, toolCalls: false, tokens: true },
      // A file's counters go on from its snapshots before, which the file's own identity ties (lib/scan/links.ts ownFile).
      resumable: true,
      file(context) {
        const counters = new CounterRequests(context.path, context.source);
        return {
          event(event, emit: Emit) {
            if (event.kind === 'token_count') {
              const request = counters.next(event, context.session?.sessionId);
              if (request) emit(requestRow(request, scan.tz, prices));
            } else if (event.kind === 'usage') {
              perRequest.add(event, context.path, context.source);
            }
          },
        };
      },
      *end() {
        for (const request of perRequest.requests()) yield requestRow(request, scan.tz, prices);
        noticeUnpriced(prices, scan);
      },
    };
  },
});
