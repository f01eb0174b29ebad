/**
 * Pricing requests: the table (the shipped one, with what the user added), each model's entry
 * found once, and the models no entry prices, with their requests and tokens, for the notice that
 * says so. A request of an unpriced model costs null, never 0.
 */
import type { PriceEntry } from './fields.js';
import { findPrice } from './models.js';
import { requestCost, type CostTokens } from './cost.js';
import { counted } from '../base/plural.js';

/** A model the table has no price for, and what went unpriced. */
export interface Unpriced {
  model: string;
  requests: number;
  tokens: number;
}

/** What the unpriced are counted under when a log names no model. */
const NO_MODEL = '(no model)';

export class Prices {
  private readonly found = new Map<string, { key: string; entry: PriceEntry } | null>();
  private readonly missing = new Map<string, Unpriced>();

  /** `counted`: whether a request at an instant is one the notice of the unpriced counts (inside the query's window). */
  constructor(
    private readonly table: ReadonlyMap<string, PriceEntry>,
    private readonly counted: (ms: number | undefined) => boolean = () => true,
  ) {}

  /** The entry that prices a model, and its key; undefined when none does. */
  private entry(model: string): { key: string; entry: PriceEntry } | undefined {
    let hit = this.found.get(model);
    if (hit === undefined) {
      hit = findPrice(model, this.table) ?? null;
      this.found.set(model, hit);
    }
    return hit ?? undefined;
  }

  /**
   * A request's cost and the price key used; both null (and the model counted as unpriced) when
   * no entry prices it. `requests`: how many requests the tokens are of (a session's totals);
   * `ms`: when the request was.
   */
  cost(
    model: string | undefined,
    tokens: CostTokens & { total_tokens: number },
    requests = 1,
    ms: number | undefined = undefined,
  ): { cost: number | null; key: string | null } {
    const hit = model === undefined ? undefined : this.entry(model);
    if (hit === undefined) {
      if (!this.counted(ms)) return { cost: null, key: null };
      const name = model ?? NO_MODEL;
      const seen = this.missing.get(name) ?? { model: name, requests: 0, tokens: 0 };
      seen.requests += requests;
      seen.tokens += tokens.total_tokens;
      this.missing.set(name, seen);
      return { cost: null, key: null };
    }
    return { cost: requestCost(tokens, hit.entry, requests), key: hit.key };
  }

  /** The models that went unpriced so far, the most tokens first. */
  unpriced(): Unpriced[] {
    return [...this.missing.values()].sort((a, b) => b.tokens - a.tokens || (a.model < b.model ? -1 : 1));
  }
}

/** The notice of models no price was found for: which, how much went unpriced, and what to do. */
export function unpricedNotice(unpriced: readonly Unpriced[]): string {
  const each = unpriced.map(
    (u) => `${u.model === NO_MODEL ? 'requests that name no model' : u.model} (${counted(u.requests, 'request')}, ${u.tokens.toLocaleString('en')} tokens)`,
  );
  return `cost_usd is null where no price is known: ${each.join(', ')}; docs/costs.md says how to add a price`;
}
