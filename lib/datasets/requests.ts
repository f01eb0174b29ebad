/**
 * Model requests, one each, from the two kinds of token event a source may write: cumulative
 * counters (`token_count`, as Codex writes them) turned into the tokens of each request that
 * advanced them, and per-request usage (`usage`, as Claude Code writes it on every line of a
 * response) kept once per (message id, request id), the largest copy winning.
 */
import type { Row } from '../jsonl/json.js';
import { canonicalMs } from '../time/iso.js';
import { Column } from './columns.js';
import { KeySlots } from './key-slots.js';
import { TOKEN_KEYS, type SourceName, type TokenCountEvent, type TokenCounts, type UsageEvent, type UsageTokens } from '../sources/common/events.js';

export interface Request {
  /** The agent whose log holds the request. */
  source: SourceName;
  sessionId: string | undefined;
  path: string;
  timestamp: string | undefined;
  /** The timestamp's instant, when known already (else it is read from the text). */
  ms?: number;
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
 * One file's requests, from its cumulative counters: a snapshot that added nothing is a
 * repeat and is skipped; each other is a request of what it added. Counters that restart (a total
 * lower than the one before) begin a new segment, whose first snapshot counts whole.
 */
export class CounterRequests {
  private readonly track = new CounterTrack();

  constructor(
    private readonly path: string,
    private readonly source: SourceName,
  ) {}

  next(event: TokenCountEvent, sessionId: string | undefined): Request | undefined {
    const { delta } = this.track.advance(event);
    if (delta.total_tokens === 0) return undefined;
    const input = delta.input_tokens;
    const cached = Math.min(input, delta.cached_input_tokens);
    const output = delta.output_tokens;
    return {
      source: this.source,
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

const TOKENS = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens'] as const;
const WIDTH = TOKENS.length;
const NONE = -1;

/**
 * Per-request usage across every file: one per (message.id, requestId), the largest copy kept
 * (earlier lines of a response carry an unfinished output count). A subagent line that reuses a
 * main-chain message id under another request id is a replay (`/btw`) and is dropped; that is
 * settled after the last file, since subagent files may be read before their session's file.
 * Lines without a message id are never merged.
 *
 * Every request of a history is held until the last file is read, so they are held in columns
 * (typed arrays, and one copy of each session id, model and path): a long history has hundreds
 * of thousands, too many to hold as objects.
 */
export class UsageRequests {
  /** The keys (`messageId \0 requestId`), numbered as first seen, and the request slot of each. */
  private readonly keys = new KeySlots();
  private readonly slotOfKey = new Column(1, (n) => new Uint32Array(n));
  /** Per slot: its key's number, or NONE for a line without a message id. */
  private readonly keyOf = new Column(1, (n) => new Int32Array(n));
  private readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();
  private count = 0;
  private readonly tokens = new Column(WIDTH, (n) => new Float64Array(n));
  /** Per slot: session id, model, path and source, as indexes into `texts` (NONE when absent). */
  private readonly refs = new Column(4, (n) => new Int32Array(n));
  private readonly sidechain = new Column(1, (n) => new Uint8Array(n));
  /** Per slot: the timestamp in ms, when it prints back as written (Claude's always do); else NaN and the text in `oddTimes`. */
  private readonly times = new Column(1, (n) => new Float64Array(n));
  private readonly oddTimes = new Map<number, string>();
  /** The request ids of lines without a message id (rare). */
  private readonly looseRequestIds = new Map<number, string>();

  private ref(text: string | undefined): number {
    if (text === undefined) return NONE;
    let index = this.textIndex.get(text);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(text);
      this.textIndex.set(text, index);
    }
    return index;
  }

  private text(index: number): string | undefined {
    return index === NONE ? undefined : this.texts[index];
  }

  private write(slot: number, event: UsageEvent, path: string, source: SourceName, sidechain: boolean): void {
    for (let k = 0; k < WIDTH; k++) this.tokens.set(slot, k, event.tokens[TOKENS[k] as keyof UsageTokens]);
    this.refs.set(slot, 0, this.ref(event.sessionId));
    this.refs.set(slot, 1, this.ref(event.model));
    this.refs.set(slot, 2, this.ref(path));
    this.refs.set(slot, 3, this.ref(source));
    this.sidechain.set(slot, 0, sidechain ? 1 : 0);
    const ms = event.timestamp === undefined ? NaN : canonicalMs(event.timestamp);
    if (!Number.isNaN(ms)) {
      this.times.set(slot, 0, ms);
      this.oddTimes.delete(slot);
    } else {
      this.times.set(slot, 0, NaN);
      if (event.timestamp === undefined) this.oddTimes.delete(slot);
      else this.oddTimes.set(slot, event.timestamp);
    }
  }

  add(event: UsageEvent, path: string, source: SourceName): void {
    const key = event.messageId === undefined ? undefined : `${event.messageId}\u0000${event.requestId ?? ''}`;
    const keyNumber = key === undefined ? undefined : this.keys.find(key);
    const known = keyNumber === undefined ? undefined : this.slotOfKey.get(keyNumber);
    if (known !== undefined) {
      const keptSidechain = this.sidechain.get(known) === 1;
      if (event.tokens.total_tokens > this.tokens.get(known, WIDTH - 1) || (keptSidechain && !event.sidechain)) {
        this.write(known, event, path, source, keptSidechain && event.sidechain);
      }
      return;
    }
    const slot = this.count++;
    if (key !== undefined) {
      const number = this.keys.add(key);
      this.slotOfKey.set(number, 0, slot);
      this.keyOf.set(slot, 0, number);
    } else {
      this.keyOf.set(slot, 0, NONE);
      if (event.requestId !== undefined) this.looseRequestIds.set(slot, event.requestId);
    }
    this.write(slot, event, path, source, event.sidechain);
  }

  private key(slot: number): string | undefined {
    const number = this.keyOf.get(slot);
    return number === NONE ? undefined : this.keys.key(number);
  }

  private request(slot: number): Request {
    const key = this.key(slot);
    const cut = key === undefined ? -1 : key.indexOf('\u0000');
    const t = this.tokens;
    const ms = this.times.get(slot);
    return {
      source: this.text(this.refs.get(slot, 3)) as SourceName,
      sessionId: this.text(this.refs.get(slot, 0)),
      path: this.text(this.refs.get(slot, 2)) as string,
      timestamp: Number.isNaN(ms) ? this.oddTimes.get(slot) : new Date(ms).toISOString(),
      ms: Number.isNaN(ms) ? undefined : ms,
      model: this.text(this.refs.get(slot, 1)),
      messageId: key === undefined ? undefined : key.slice(0, cut),
      requestId: key === undefined ? this.looseRequestIds.get(slot) : key.slice(cut + 1) || undefined,
      tokens: {
        input_tokens: t.get(slot, 0),
        cache_read_tokens: t.get(slot, 1),
        cache_write_tokens: t.get(slot, 2),
        output_tokens: t.get(slot, 3),
        reasoning_tokens: t.get(slot, 4),
        total_tokens: t.get(slot, 5),
      },
    };
  }

  /** The slots of sidechain replays: a sidechain request whose message id a main-chain request has under another key. */
  private replays(): Set<number> {
    const sidechainIds = new Set<string>();
    for (let slot = 0; slot < this.count; slot++) {
      const key = this.key(slot);
      if (this.sidechain.get(slot) === 1 && key !== undefined) sidechainIds.add(key.slice(0, key.indexOf('\u0000')));
    }
    const replays = new Set<number>();
    if (sidechainIds.size === 0) return replays;
    const main = new Map<string, number>();
    for (let slot = 0; slot < this.count; slot++) {
      const key = this.key(slot);
      if (this.sidechain.get(slot) === 1 || key === undefined) continue;
      const messageId = key.slice(0, key.indexOf('\u0000'));
      if (sidechainIds.has(messageId)) main.set(messageId, slot);
    }
    for (let slot = 0; slot < this.count; slot++) {
      const key = this.key(slot);
      if (this.sidechain.get(slot) !== 1 || key === undefined) continue;
      const mainSlot = main.get(key.slice(0, key.indexOf('\u0000')));
      if (mainSlot !== undefined && mainSlot !== slot) replays.add(slot);
    }
    return replays;
  }

  /** Every kept request, in the order each was first seen, without sidechain replays; one at a time. */
  *requests(): Generator<Request> {
    const replays = this.replays();
    for (let slot = 0; slot < this.count; slot++) if (!replays.has(slot)) yield this.request(slot);
  }

  /**
   * The same requests grouped by session (by file where a line names no session): sessions in
   * the order each was first seen, each session's requests in order.
   */
  *sessions(): Generator<Generator<Request>> {
    const replays = this.replays();
    const groups = new Map<number, number[]>();
    for (let slot = 0; slot < this.count; slot++) {
      if (replays.has(slot)) continue;
      const session = this.refs.get(slot, 0);
      const group = session === NONE ? -2 - this.refs.get(slot, 2) : session;
      const slots = groups.get(group);
      if (slots) slots.push(slot);
      else groups.set(group, [slot]);
    }
    for (const slots of groups.values())
      yield (function* (self: UsageRequests) {
        for (const slot of slots) yield self.request(slot);
      })(this);
  }
}
