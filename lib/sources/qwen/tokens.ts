/**
 * Qwen Code's usage counts in the common vocabulary of tokens. A record carries Gemini's
 * `usageMetadata` whatever the provider, filled in by the content generator of its auth path:
 *
 * - OpenAI-compatible (qwen-oauth, DashScope, openai; most logs): prompt includes the cached
 *   tokens, candidates include the reasoning, total = prompt + candidates.
 * - Gemini native: prompt includes the cached tokens, thoughts are apart from candidates,
 *   total = prompt + candidates + thoughts (+ toolUsePrompt).
 * - Anthropic: prompt = input + cache reads + cache writes, candidates include thinking.
 *
 * So the cached count is taken out of the prompt, and thoughts (or tool-use prompt tokens) are
 * added only where the total proves they were counted apart. The legacy documents' `tokens`
 * ({input, output, cached, thoughts, tool, total}) are the same counts under other names.
 */
import { inexactCount, type UsageTokens } from '../common/events.js';

type Json = Record<string, unknown>;

/** The counts of one request, as Gemini names them. */
interface GeminiCounts {
  prompt: number;
  candidates: number;
  cached: number;
  thoughts: number;
  toolUse: number;
  total: number;
}

/** A count, or the reason it is none: absent counts are 0. */
function count(value: unknown, name: string): number | string {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  return `token count ${name} is ${JSON.stringify(value)}, not a count: the record's usage is skipped`;
}

function tokensOf(c: GeminiCounts): UsageTokens {
  const thoughtsApart = c.thoughts > 0 && c.total >= c.prompt + c.candidates + c.thoughts;
  const output = c.candidates + (thoughtsApart ? c.thoughts : 0);
  const toolUseApart = c.toolUse > 0 && c.total >= c.prompt + output + c.toolUse;
  const input = Math.max(0, c.prompt - c.cached) + (toolUseApart ? c.toolUse : 0);
  return {
    input_tokens: input,
    cache_read_tokens: c.cached,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
    output_tokens: output,
    reasoning_tokens: Math.min(c.thoughts, output),
    total_tokens: input + c.cached + output,
  };
}

/** Reads the named counts; the reason when one is no count or cannot be counted exactly. */
function read(raw: Json, names: Record<keyof GeminiCounts, string>): UsageTokens | string {
  const inexact = inexactCount(raw);
  if (inexact !== undefined) return inexact;
  const counts = {} as GeminiCounts;
  for (const key of Object.keys(names) as Array<keyof GeminiCounts>) {
    const value = count(raw[names[key]], names[key]);
    if (typeof value === 'string') return value;
    counts[key] = value;
  }
  return tokensOf(counts);
}

/** An assistant record's `usageMetadata`. */
export function usageMetadataTokens(usage: Json): UsageTokens | string {
  return read(usage, {
    prompt: 'promptTokenCount',
    candidates: 'candidatesTokenCount',
    cached: 'cachedContentTokenCount',
    thoughts: 'thoughtsTokenCount',
    toolUse: 'toolUsePromptTokenCount',
    total: 'totalTokenCount',
  });
}

/** A legacy document's `tokens` of a `qwen` message. */
export function legacyTokens(tokens: Json): UsageTokens | string {
  return read(tokens, { prompt: 'input', candidates: 'output', cached: 'cached', thoughts: 'thoughts', toolUse: 'tool', total: 'total' });
}
