/**
 * What Gemini CLI's records hold, apart from how a file is read: a message's text, a request's
 * tokens in seq's vocabulary, what an edit changed, what a tool gave back.
 */
import { isObject, str, type Json } from '../common/json-values.js';
import { lineCount, linesReplaced } from '../common/edits.js';
import { inexactCount, type EditStats, type UsageTokens } from '../common/events.js';

/** The message types Gemini CLI writes: only `gemini` (the model's turn) carries tokens, a model and tool calls. */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set(['user', 'gemini', 'info', 'error', 'warning']);

/** A session's header (and a legacy document's top level): what Gemini CLI itself takes for one. */
export function isHeader(record: Json): boolean {
  return typeof record.sessionId === 'string' && typeof record.projectHash === 'string';
}

/**
 * The text of a message's `content`: a string (older versions) or a list of parts, whose text
 * parts count and whose thought parts (the model's reasoning summaries) do not.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (isObject(part) && typeof part.text === 'string' && part.thought !== true) text += part.text;
  }
  return text;
}

/** A request's tokens, or why they cannot be counted (then the record has no usage). */
export type TokensRead = { tokens: UsageTokens; odd: string | undefined } | { error: string };

const TOKEN_FIELDS = ['input', 'output', 'cached', 'thoughts', 'tool', 'total'] as const;

/**
 * `tokens` copies Gemini's usageMetadata: `cached` is part of `input`, `thoughts` are not part
 * of `output`, `tool` (the prompt of tool use) is not part of `input`, and `total` is
 * input + output + thoughts + tool. seq's input is what was not read from cache, its output
 * includes the thoughts. `odd`: counts that break those rules, counted from the parts all the same.
 */
export function geminiTokens(raw: Json): TokensRead {
  const inexact = inexactCount(raw);
  if (inexact !== undefined) return { error: inexact };
  const n = { input: 0, output: 0, cached: 0, thoughts: 0, tool: 0, total: 0 };
  for (const field of TOKEN_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return { error: `tokens.${field} is ${JSON.stringify(value)}, not a count: the request is skipped` };
    }
    n[field] = Math.round(value);
  }
  const fresh = n.input - n.cached;
  const tokens: UsageTokens = {
    input_tokens: Math.max(0, fresh) + n.tool,
    cache_read_tokens: n.cached,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
    output_tokens: n.output + n.thoughts,
    reasoning_tokens: n.thoughts,
    total_tokens: 0,
  };
  tokens.total_tokens = tokens.input_tokens + tokens.cache_read_tokens + tokens.output_tokens;
  let odd: string | undefined;
  if (fresh < 0) odd = `tokens.cached (${n.cached}) is more than tokens.input (${n.input}), which holds it: input not from cache counted as 0`;
  else if (n.total !== 0 && n.total !== n.input + n.output + n.thoughts + n.tool) {
    odd = `tokens.total is ${n.total}, not input + output + thoughts + tool (${n.input + n.output + n.thoughts + n.tool}): counted from the parts`;
  }
  return { tokens, odd };
}

/** What Gemini CLI's editing tools changed: `write_file` (its content) and `replace` (new text over old). */
export function geminiEditStats(tool: string, args: Json): EditStats | undefined {
  const file = str(args.file_path);
  if (file === undefined) return undefined;
  if (tool === 'write_file') return { files: [file], linesAdded: lineCount(args.content) };
  if (tool === 'replace') return { files: [file], linesAdded: linesReplaced(args.new_string, args.old_string) };
  return undefined;
}

/** The text a tool call gave back: its function responses' `output` (or `error`). */
export function toolResultText(result: unknown): string {
  if (!Array.isArray(result)) return typeof result === 'string' ? result : '';
  let text = '';
  for (const part of result) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string') text += part.text;
    const response = isObject(part.functionResponse) ? part.functionResponse.response : undefined;
    if (!isObject(response)) continue;
    if (typeof response.output === 'string') text += response.output;
    else if (typeof response.error === 'string') text += response.error;
  }
  return text;
}
