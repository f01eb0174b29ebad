/**
 * Model requests, one each, from both sources: Codex's cumulative counters turned into the
 * tokens of each request that advanced them, and Claude's per-line usage kept once per
 * (message.id, requestId), the largest copy winning (formats.md B.7).
 */
import type { Row } from '../jsonl/json.js';
import type { TokenCountEvent, TokenCounts, UsageEvent, UsageTokens } from '../sources/events.js';

export interface Request {
  sessionId: string | undefined;
  path: string;
  timestamp: string | undefined;
  model: string | undefined;
  messageId: string | undefined;
  requestId: string | undefined;
  tokens: UsageTokens;
}

export const USAGE_TOKEN_FIELDS = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens'] as const;

export function tokenFields(tokens: UsageTokens): Row {
  return {
    input_tokens: tokens.input_tokens,
    cache_read_tokens: tokens.cache_read_tokens,
    cache_write_tokens: tokens.cache_write_tokens,
    output_tokens: tokens.output_tokens,
    reasoning_tokens: tokens.reasoning_tokens,
    total_tokens: tokens.total_tokens,
  };
}

function advanced(total: TokenCounts, previous: TokenCounts): boolean {
  return total.total_tokens > previous.total_tokens;
}

/**
 * One Codex file's requests: an event whose cumulative total did not advance is a repeat and
 * is skipped; each other event is a request whose tokens are the difference of the totals. After
 * a fork's replayed history the parent's total at the fork is the starting point.
 */
export class CodexRequests {
  private previous: TokenCounts | undefined;

  constructor(private readonly path: string) {}

  next(event: TokenCountEvent, sessionId: string | undefined): Request | undefined {
    if (event.baseline && this.previous === undefined) {
      // After a fork's replayed history: counters that go on from the parent's start at its
      // total; counters that start afresh (below it) start at zero.
      this.previous = event.total.total_tokens >= event.baseline.total_tokens ? event.baseline : undefined;
    }
    const before = this.previous;
    if (before !== undefined && !advanced(event.total, before)) return undefined;
    this.previous = event.total;
    const base = before ?? { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
    const delta = (key: keyof TokenCounts): number => Math.max(0, event.total[key] - base[key]);
    const input = delta('input_tokens');
    const cached = Math.min(input, delta('cached_input_tokens'));
    const output = delta('output_tokens');
    return {
      sessionId,
      path: this.path,
      timestamp: event.timestamp,
      model: event.model,
      messageId: undefined,
      requestId: undefined,
      tokens: {
        input_tokens: input - cached,
        cache_read_tokens: cached,
        cache_write_tokens: 0,
        output_tokens: output,
        reasoning_tokens: Math.min(output, delta('reasoning_output_tokens')),
        total_tokens: input + output,
      },
    };
  }
}

interface Kept {
  request: Request;
  sidechain: boolean;
}

/**
 * Claude requests across every file: one per (message.id, requestId), the largest copy kept
 * (earlier lines of a response carry an unfinished output count). A subagent line that reuses a
 * main-chain message id under another request id is a replay (`/btw`) and is dropped.
 * Lines without a message id are never merged.
 */
export class ClaudeRequests {
  private readonly byKey = new Map<string, Kept>();
  private readonly mainIds = new Map<string, string>();
  private order: Array<string | Request> = [];

  add(event: UsageEvent, path: string): void {
    const request: Request = {
      sessionId: event.sessionId,
      path,
      timestamp: event.timestamp,
      model: event.model,
      messageId: event.messageId,
      requestId: event.requestId,
      tokens: event.tokens,
    };
    if (event.messageId === undefined) {
      this.order.push(request);
      return;
    }
    const key = `${event.messageId}\u0000${event.requestId ?? ''}`;
    const main = this.mainIds.get(event.messageId);
    if (event.sidechain && main !== undefined && main !== key) return;
    if (!event.sidechain) this.mainIds.set(event.messageId, key);
    const kept = this.byKey.get(key);
    if (kept === undefined) {
      this.byKey.set(key, { request, sidechain: event.sidechain });
      this.order.push(key);
    } else if (request.tokens.total_tokens > kept.request.tokens.total_tokens) {
      this.byKey.set(key, { request, sidechain: event.sidechain });
    }
  }

  /** Every kept request, in the order each was first seen. */
  requests(): Request[] {
    const out: Request[] = [];
    for (const item of this.order) {
      if (typeof item !== 'string') out.push(item);
      else {
        const kept = this.byKey.get(item);
        if (kept) out.push(kept.request);
      }
    }
    this.order = [];
    return out;
  }
}
