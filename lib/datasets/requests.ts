/**
 * Model requests, one each, from both sources: Codex's cumulative counters turned into the
 * tokens of each request that advanced them, and Claude's per-line usage kept once per
 * (message.id, requestId), the largest copy winning (formats.md B.7).
 */
import type { Row } from '../jsonl/json.js';
import { TOKEN_KEYS, type TokenCountEvent, type TokenCounts, type UsageEvent, type UsageTokens } from '../sources/events.js';

export interface Request {
  sessionId: string | undefined;
  path: string;
  timestamp: string | undefined;
  model: string | undefined;
  messageId: string | undefined;
  requestId: string | undefined;
  tokens: UsageTokens;
}

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

export const ZERO: TokenCounts = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };

function minus(a: TokenCounts, b: TokenCounts): TokenCounts {
  const out = { ...ZERO };
  for (const key of TOKEN_KEYS) out[key] = Math.max(0, a[key] - b[key]);
  return out;
}

/**
 * Follows one session's cumulative counters. Each snapshot either continues the counters (its
 * delta is what it added) or starts a segment: the first snapshot, or one whose total is lower
 * than the one before (its whole total is new). After a fork's replayed history, the parent's
 * total at the fork is where the counters stand.
 */
export class CounterTrack {
  private previous: TokenCounts | undefined;
  segment = 0;

  advance(s: { total: TokenCounts; baseline: TokenCounts | undefined }): { delta: TokenCounts; startsSegment: boolean } {
    if (s.baseline && this.previous === undefined) this.previous = s.baseline;
    const previous = this.previous;
    this.previous = s.total;
    if (previous === undefined) return { delta: s.total, startsSegment: true };
    if (s.total.total_tokens < previous.total_tokens) {
      this.segment++;
      return { delta: s.total, startsSegment: true };
    }
    return { delta: minus(s.total, previous), startsSegment: false };
  }
}

/**
 * One Codex file's requests, from its cumulative counters: a snapshot that added nothing is a
 * repeat and is skipped; each other is a request of what it added. Counters that restart (a total
 * lower than the one before) begin a new segment, whose first snapshot counts whole.
 */
export class CodexRequests {
  private readonly track = new CounterTrack();

  constructor(private readonly path: string) {}

  next(event: TokenCountEvent, sessionId: string | undefined): Request | undefined {
    const { delta } = this.track.advance(event);
    if (delta.total_tokens === 0) return undefined;
    const input = delta.input_tokens;
    const cached = Math.min(input, delta.cached_input_tokens);
    const output = delta.output_tokens;
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
        reasoning_tokens: Math.min(output, delta.reasoning_output_tokens),
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
 * main-chain message id under another request id is a replay (`/btw`) and is dropped; that is
 * settled after the last file, since subagent files may be read before their session's file.
 * Lines without a message id are never merged.
 */
export class ClaudeRequests {
  private readonly byKey = new Map<string, Kept>();
  private order: Array<string | Request> = [];
  // Session ids and models repeat across a history's requests: one copy of each is kept.
  private readonly strings = new Map<string, string>();

  private intern(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  add(event: UsageEvent, path: string): void {
    const request: Request = {
      sessionId: this.intern(event.sessionId),
      path,
      timestamp: event.timestamp,
      model: this.intern(event.model),
      messageId: event.messageId,
      requestId: event.requestId,
      tokens: event.tokens,
    };
    if (event.messageId === undefined) {
      this.order.push(request);
      return;
    }
    const key = `${event.messageId}\u0000${event.requestId ?? ''}`;
    const kept = this.byKey.get(key);
    if (kept === undefined) {
      this.byKey.set(key, { request, sidechain: event.sidechain });
      this.order.push(key);
    } else if (request.tokens.total_tokens > kept.request.tokens.total_tokens || (kept.sidechain && !event.sidechain)) {
      this.byKey.set(key, { request, sidechain: kept.sidechain && event.sidechain });
    }
  }

  /** Every kept request, in the order each was first seen, without sidechain replays. */
  requests(): Request[] {
    const mainKeys = new Map<string, string>();
    for (const [key, kept] of this.byKey) if (!kept.sidechain && kept.request.messageId !== undefined) mainKeys.set(kept.request.messageId, key);
    const out: Request[] = [];
    for (const item of this.order) {
      if (typeof item !== 'string') {
        out.push(item);
        continue;
      }
      const kept = this.byKey.get(item);
      if (!kept) continue;
      const main = kept.request.messageId === undefined ? undefined : mainKeys.get(kept.request.messageId);
      if (kept.sidechain && main !== undefined && main !== item) continue;
      out.push(kept.request);
    }
    this.order = [];
    return out;
  }
}
