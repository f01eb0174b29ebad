/** Anthropic's usage counts in the common vocabulary of tokens. */
import type { UsageTokens } from '../common/events.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** Anthropic usage in the one vocabulary: input excludes cache reads and writes. */
export function claudeTokens(usage: Json): UsageTokens {
  const input = count(usage.input_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const output = count(usage.output_tokens);
  const details = isObject(usage.output_tokens_details) ? usage.output_tokens_details : undefined;
  return {
    input_tokens: input,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    output_tokens: output,
    reasoning_tokens: Math.min(output, count(details?.thinking_tokens)),
    total_tokens: input + cacheRead + cacheWrite + output,
  };
}
