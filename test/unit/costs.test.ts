/**
 * Prices and costs: the names logs give models found in the table, each request priced as the
 * bill counts it (long context, 1-hour cache writes), and properties of costs over random
 * requests: never negative or NaN, null exactly when the model has no price, adding up across
 * any grouping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PriceEntry } from '../../lib/prices/fields.js';
import { findPrice } from '../../lib/prices/models.js';
import { requestCost } from '../../lib/prices/cost.js';
import { Prices } from '../../lib/prices/prices.js';
import { shippedPrices } from '../../lib/prices/table.js';

const TABLE = shippedPrices();
const SONNET = TABLE.get('claude-sonnet-4-5-20250929') as PriceEntry;
const none = { input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cache_write_1h_tokens: 0, output_tokens: 0 };

describe('the price of a model, by the name a log gives it', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['GPT-5-CODEX', 'gpt-5-codex'],
    ['gpt-5-1-codex-2025-11-13', 'gpt-5.1-codex'],
    ['openrouter/openai/gpt-5.1-codex', 'gpt-5.1-codex'],
    ['bedrock/anthropic.claude-opus-4-1-20250805-v1:0', 'anthropic.claude-opus-4-1-20250805-v1:0'],
    ['vertex_ai/claude-opus-4-5@20251101', 'claude-opus-4-5-20251101'],
    ['claude-sonnet-4-5@20990101', 'claude-sonnet-4-5'],
    ['codex-auto-review', 'gpt-5.3-codex'],
    ['gpt-5.5', 'gpt-5.5'],
    ['gemini-2.5-pro', 'gemini-2.5-pro'],
  ])('%s is priced as %s', (model, key) => {
    expect(findPrice(model, TABLE)?.key).toBe(key);
  });

  it('has no price for a model it does not know', () => {
    expect(findPrice('my-local-model', TABLE)).toBeUndefined();
    expect(findPrice('<synthetic>', TABLE)).toBeUndefined();
  });

  it('says where every entry comes from', () => {
    for (const [model, entry] of TABLE) expect(entry.source, model).toMatch(/\S/);
  });
});

describe('what a request cost', () => {
  it('prices each kind of token, and cache writes kept an hour at twice the input price', () => {
    expect(requestCost({ ...none, input_tokens: 100_000 }, SONNET)).toBeCloseTo(0.3, 12);
    expect(requestCost({ ...none, cache_write_tokens: 100_000 }, SONNET)).toBeCloseTo(0.375, 12);
    expect(requestCost({ ...none, cache_write_tokens: 100_000, cache_write_1h_tokens: 100_000 }, SONNET)).toBeCloseTo(0.6, 12);
    expect(
      requestCost({ ...none, cache_write_tokens: 100_000, cache_write_1h_tokens: 100_000 }, { ...SONNET, cache_creation_input_token_cost_above_1hr: 5e-6 }),
    ).toBeCloseTo(0.5, 12);
    expect(requestCost({ ...none, cache_read_tokens: 100_000 }, SONNET)).toBeCloseTo(0.03, 12);
    expect(requestCost({ ...none, output_tokens: 100_000 }, SONNET)).toBeCloseTo(1.5, 12);
  });

  it('prices every token of a request whose input side is over 200,000 at the long-context prices', () => {
    const long = { ...none, input_tokens: 150_000, cache_read_tokens: 100_000, output_tokens: 10_000 };
    expect(requestCost(long, SONNET)).toBeCloseTo(150_000 * 6e-6 + 100_000 * 6e-7 + 10_000 * 2.25e-5, 12);
    const edge = { ...none, input_tokens: 100_000, cache_write_tokens: 100_000, output_tokens: 10 };
    expect(requestCost(edge, SONNET)).toBeCloseTo(100_000 * 3e-6 + 100_000 * 3.75e-6 + 10 * 1.5e-5, 12);
    expect(requestCost({ ...edge, input_tokens: 100_001 }, SONNET)).toBeCloseTo(100_001 * 6e-6 + 100_000 * 7.5e-6 + 10 * 2.25e-5, 12);
    // A model without long-context prices keeps its prices.
    const codex = TABLE.get('gpt-5-codex') as PriceEntry;
    expect(requestCost({ ...none, input_tokens: 300_000 }, codex)).toBeCloseTo(300_000 * 1.25e-6, 12);
  });

  it('prices several requests’ tokens together as that many requests of their mean', () => {
    const two = { ...none, input_tokens: 300_000, output_tokens: 1_000 };
    expect(requestCost(two, SONNET, 2)).toBeCloseTo(300_000 * 3e-6 + 1_000 * 1.5e-5, 12);
    expect(requestCost(two, SONNET, 1)).toBeCloseTo(300_000 * 6e-6 + 1_000 * 2.25e-5, 12);
    expect(requestCost({ ...two, input_tokens: 400_002 }, SONNET, 2)).toBeCloseTo(400_002 * 6e-6 + 1_000 * 2.25e-5, 12);
  });

  const tokens = fc.record({
    input_tokens: fc.nat({ max: 400_000 }),
    cache_read_tokens: fc.nat({ max: 400_000 }),
    cache_write_tokens: fc.nat({ max: 400_000 }),
    cache_write_1h_tokens: fc.nat({ max: 400_000 }),
    output_tokens: fc.nat({ max: 100_000 }),
  });
  const models = [...TABLE.keys()];
  const request = fc.record({
    model: fc.oneof(fc.constantFrom(...models), fc.constantFrom('my-local-model', 'gpt-9-unknown')),
    tokens,
    group: fc.nat({ max: 4 }),
  });

  it('is never negative or NaN, and null exactly for the models the table does not have', () => {
    const unknown = ['my-local-model', 'gpt-9-unknown'];
    fc.assert(
      fc.property(fc.array(request, { maxLength: 40 }), (requests) => {
        const prices = new Prices(TABLE);
        for (const r of requests) {
          const t = { ...r.tokens, total_tokens: r.tokens.input_tokens + r.tokens.cache_read_tokens + r.tokens.cache_write_tokens + r.tokens.output_tokens };
          const c = prices.cost(r.model, t);
          expect(c.cost === null, r.model).toBe(unknown.includes(r.model));
          if (c.cost !== null) expect(c.cost >= 0 && Number.isFinite(c.cost)).toBe(true);
        }
        expect(prices.unpriced().reduce((n, u) => n + u.requests, 0)).toBe(requests.filter((r) => unknown.includes(r.model)).length);
      }),
      { numRuns: 300 },
    );
  });

  it('never falls when a request has more tokens of a kind, within one side of 200,000', () => {
    const kinds = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...models), tokens, fc.constantFrom(...kinds), fc.nat({ max: 50_000 }), (model, t, kind, more) => {
        const entry = TABLE.get(model) as PriceEntry;
        const bigger = { ...t, [kind]: t[kind] + more };
        if (kind === 'cache_write_1h_tokens') bigger.cache_write_tokens += more;
        const side = (x: typeof t): boolean => x.input_tokens + x.cache_read_tokens + x.cache_write_tokens > 200_000;
        fc.pre(side(t) === side(bigger));
        expect(requestCost(bigger, entry)).toBeGreaterThanOrEqual(requestCost(t, entry));
      }),
      { numRuns: 500 },
    );
  });

  it('lies between the base prices and the long-context prices of its tokens', () => {
    const tiered = models.filter((model) => TABLE.get(model)?.input_cost_per_token_above_200k_tokens !== undefined);
    fc.assert(
      fc.property(fc.constantFrom(...tiered), tokens, (model, t) => {
        const entry = TABLE.get(model) as PriceEntry;
        const base = { ...entry, input_cost_per_token_above_200k_tokens: undefined };
        const long = { ...t, input_tokens: t.input_tokens + 200_001 };
        const extra = 200_001 * (entry.input_cost_per_token_above_200k_tokens as number);
        expect(requestCost(long, entry)).toBeGreaterThanOrEqual(requestCost(long, base) - 1e-9);
        expect(requestCost(long, entry) - extra).toBeLessThanOrEqual(2 * requestCost(t, base) + 1e-9 + 2 * t.output_tokens * entry.output_cost_per_token);
      }),
      { numRuns: 300 },
    );
  });
});
