/**
 * Amp's usage counts in the common vocabulary of tokens. A thread's assistant message carries
 * `usage` {inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens, ...} with
 * Anthropic's meaning (input is the uncached prompt); older threads also keep a ledger of
 * requests whose `tokens` {input, output} carry no cache figures.
 */
import { inexactCount, type UsageTokens } from '../common/events.js';

type Json = Record<string, unknown>;

/** The counters of a message's usage that are summed; the rest (totalInputTokens, maxInputTokens, thinkingBudget) never are. */
const USAGE_COUNTERS = ['inputTokens', 'outputTokens', 'cacheCreationInputTokens', 'cacheReadInputTokens'] as const;

/**
 * OpenAI-backed modes: Amp reports no uncached input and puts the whole uncached prompt in
 * cacheCreationInputTokens. OpenAI bills no cache writes, so that bucket is plain input.
 */
const OPENAI_MODEL = /(^|\/)(gpt-|o[1-9](-|$)|codex-)/i;

export function isOpenAiModel(model: string | undefined): boolean {
  return model !== undefined && OPENAI_MODEL.test(model);
}

/** A counter: absent or null is 0; anything else but a non-negative finite number is not a count. */
function counter(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** Counts of one request before the model's reading: what the log says. */
export interface AmpCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * A message's `usage` as counts, or the reason it cannot be counted (said to a person). A usage
 * with none of the four counters is a shape seq does not know.
 */
export function usageCounts(usage: Json): AmpCounts | string {
  const inexact = inexactCount(usage);
  if (inexact !== undefined) return inexact;
  if (!USAGE_COUNTERS.some((key) => key in usage)) {
    return `a usage with none of ${USAGE_COUNTERS.join(', ')} (it has ${Object.keys(usage).join(', ') || 'no keys'}): a thread format seq does not know; update seq, or report the file's shape`;
  }
  const values = USAGE_COUNTERS.map((key) => counter(usage[key]));
  const bad = values.indexOf(undefined);
  if (bad >= 0) return `usage.${USAGE_COUNTERS[bad]} is ${JSON.stringify(usage[USAGE_COUNTERS[bad] as string])}, not a count`;
  const [input, output, cacheWrite, cacheRead] = values as number[];
  return { input: input as number, output: output as number, cacheRead: cacheRead as number, cacheWrite: cacheWrite as number };
}

/**
 * A ledger event's `tokens` as counts (without cache figures, which only its message has), or
 * the reason it cannot be counted. A `total` alone counts as output, as ccusage counts it.
 */
export function ledgerCounts(tokens: unknown): AmpCounts | string {
  if (typeof tokens !== 'object' || tokens === null || Array.isArray(tokens))
    return `its tokens are ${JSON.stringify(tokens) ?? 'missing'}, not an object of counts`;
  const record = tokens as Json;
  const inexact = inexactCount(record);
  if (inexact !== undefined) return inexact;
  const input = counter(record.input);
  const output = counter(record.output);
  const total = counter(record.total);
  if (input === undefined || output === undefined || total === undefined) return `its tokens ${JSON.stringify(record)} are not counts`;
  if (input === 0 && output === 0 && total > 0) return { input: 0, output: total, cacheRead: 0, cacheWrite: 0 };
  return { input, output, cacheRead: 0, cacheWrite: 0 };
}

/** Whether a request counted nothing (an aborted one): it is no request. */
export function isEmpty(counts: AmpCounts): boolean {
  return counts.input === 0 && counts.output === 0 && counts.cacheRead === 0 && counts.cacheWrite === 0;
}

/** The counts in the one vocabulary: output includes reasoning, which Amp does not count apart. */
export function ampTokens(counts: AmpCounts, model: string | undefined): UsageTokens {
  const openAi = isOpenAiModel(model);
  const input = openAi ? counts.input + counts.cacheWrite : counts.input;
  const cacheWrite = openAi ? 0 : counts.cacheWrite;
  return {
    input_tokens: input,
    cache_read_tokens: counts.cacheRead,
    cache_write_tokens: cacheWrite,
    cache_write_1h_tokens: 0,
    output_tokens: counts.output,
    reasoning_tokens: 0,
    total_tokens: input + counts.cacheRead + cacheWrite + counts.output,
  };
}
