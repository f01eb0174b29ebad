/**
 * Model requests, one each, from the two kinds of token event a source may write: cumulative
 * counters (`token_count`, as Codex writes them) turned into the tokens of each request that
 * advanced them, and per-request usage (`usage`, as Claude Code writes it on every line of a
 * response) kept once per (message id, request id), the largest copy winning.
 */
import type { Row } from '../jsonl/json.js';
import { canonicalMs, instantMs, isoOfMs } from '../time/iso.js';
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
  /** What the log says the request cost (UsageEvent.loggedCostUsd). */
  loggedCostUsd?: number;
  /** Not one request but a session's totals, of this many requests (UsageEvent.sessionTotals). */
  requests?: number;
}

export function tokenFields(tokens: UsageTokens): Row {
  return {
    input_tokens: tokens.input_tokens,
    cache_read_tokens: tokens.cache_read_tokens,
    cache_write_tokens: tokens.cache_write_tokens,
    cache_write_1h_tokens: tokens.cache_write_1h_tokens,
    output_tokens: tokens.output_tokens,
    reasoning_tokens: tokens.reasoning_tokens,
    total_tokens: tokens.total_tokens,
  };
}

export const ZERO: TokenCounts = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };

/** The raw difference of two snapshots: a part may fall (Codex's cached input does) while the total grows. */
function minus(a: TokenCounts, b: TokenCounts): TokenCounts {
  const out = { ...ZERO };
  for (const key of TOKEN_KEYS) out[key] = a[key] - b[key];
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
 * What a snapshot of cumulative counters added, as a request's tokens in the common vocabulary:
 * Codex's input includes its cached input. A part that fell counts as none: a request uses no
 * negative tokens, and its total is the sum of its parts.
 */
export function counterTokens(delta: TokenCounts): UsageTokens {
  const input = Math.max(0, delta.input_tokens);
  const cached = Math.max(0, Math.min(input, delta.cached_input_tokens));
  const output = Math.max(0, delta.output_tokens);
  return {
    input_tokens: input - cached,
    cache_read_tokens: cached,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
    output_tokens: output,
    reasoning_tokens: Math.max(0, Math.min(output, delta.reasoning_output_tokens)),
    total_tokens: input + output,
  };
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
    return {
      source: this.source,
      sessionId,
      path: this.path,
      timestamp: event.timestamp,
      model: event.model,
      messageId: undefined,
      requestId: undefined,
      tokens: counterTokens(delta),
    };
  }
}

const NONE = -1;
/** A request's numbers: its tokens (input, cache read, cache write, output, reasoning, total), its time, its 1-hour cache writes. */
const TOTAL = 5;
const TIME = 6;
const WRITE_1H = 7;
const LOGGED_COST = 8;
/** A request's links: its key's number (NONE for a line without a message id), its texts (SESSION..SOURCE), whether it is a sidechain's. */
const KEY = 0;
const SESSION = 1;
const MODEL = 2;
const PATH = 3;
const SOURCE = 4;
const SIDECHAIN = 5;

/**
 * Per-request usage across every file: one per (message.id, requestId), the largest copy kept
 * (earlier lines of a response carry an unfinished output count). A subagent line that reuses a
 * main-chain message id under another request id is a replay (`/btw`) and is dropped; that is
 * settled after the last file, since subagent files may be read before their session's file.
 * Lines without a message id are never merged. A session's totals since its shutdown before
 * (UsageEvent.sessionTotals) are dropped where an exported request of the session falls between
 * the two shutdowns: the export has those tokens request by request.
 *
 * Every request of a history is held until the last file is read, so they are held in columns
 * (typed arrays, and one copy of each session id, model and path): a long history has hundreds
 * of thousands, too many to hold as objects.
 */
export class UsageRequests {
  /** The keys (`messageId \0 requestId`), numbered as first seen, and the request slot of each. */
  private readonly keys = new KeySlots();
  private readonly slotOfKey = new Column(1, (n) => new Uint32Array(n));
  private readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();
  /** The text each link column was last given, and its index: the lines of one response share them. */
  private readonly lastText: Array<string | undefined> = [undefined, undefined, undefined, undefined, undefined];
  private readonly lastIndex = [NONE, NONE, NONE, NONE, NONE];
  private count = 0;
  /**
   * Per slot: its tokens, then its timestamp in ms when it prints back as written (Claude's always
   * do), else NaN and the text in `oddTimes`; its 1-hour cache writes; the cost its log gave, or NaN.
   */
  private readonly numbers = new Column(9, (n) => new Float64Array(n));
  /** Per slot: KEY, SESSION, MODEL, PATH, SOURCE (indexes into `texts`, NONE when absent) and SIDECHAIN. */
  private readonly links = new Column(6, (n) => new Int32Array(n));
  private readonly oddTimes = new Map<number, string>();
  /** The request ids of lines without a message id (rare). */
  private readonly looseRequestIds = new Map<number, string>();
  /** The slots that hold a session's totals: the requests each sums, and the instant of the shutdown before (rare: Copilot CLI's shutdowns). */
  private readonly totals = new Map<number, { requests: number; sinceMs: number }>();
  /** The instants of each session's exported requests, by its SESSION text index. */
  private readonly exported = new Map<number, number[]>();

  private ref(column: number, text: string | undefined): number {
    if (text === undefined) return NONE;
    if (text === this.lastText[column]) return this.lastIndex[column] as number;
    let index = this.textIndex.get(text);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(text);
      this.textIndex.set(text, index);
    }
    this.lastText[column] = text;
    this.lastIndex[column] = index;
    return index;
  }

  private text(index: number): string | undefined {
    return index === NONE ? undefined : this.texts[index];
  }

  private write(slot: number, event: UsageEvent, path: string, source: SourceName, sidechain: boolean): void {
    const numbers = this.numbers.block(slot);
    const at = this.numbers.offset(slot);
    const t = event.tokens;
    numbers[at] = t.input_tokens;
    numbers[at + 1] = t.cache_read_tokens;
    numbers[at + 2] = t.cache_write_tokens;
    numbers[at + 3] = t.output_tokens;
    numbers[at + 4] = t.reasoning_tokens;
    numbers[at + TOTAL] = t.total_tokens;
    numbers[at + WRITE_1H] = t.cache_write_1h_tokens;
    numbers[at + LOGGED_COST] = event.loggedCostUsd ?? NaN;
    const ms = event.timestamp === undefined ? NaN : canonicalMs(event.timestamp);
    numbers[at + TIME] = ms;
    if (!Number.isNaN(ms) || event.timestamp === undefined) {
      if (this.oddTimes.size > 0) this.oddTimes.delete(slot);
    } else this.oddTimes.set(slot, event.timestamp);
    const links = this.links.block(slot);
    const to = this.links.offset(slot);
    links[to + SESSION] = this.ref(SESSION, event.sessionId);
    links[to + MODEL] = this.ref(MODEL, event.model);
    links[to + PATH] = this.ref(PATH, path);
    links[to + SOURCE] = this.ref(SOURCE, source);
    links[to + SIDECHAIN] = sidechain ? 1 : 0;
    if (event.sessionTotals !== undefined) {
      const since = event.sessionTotals.since === undefined ? NaN : instantMs(event.sessionTotals.since);
      this.totals.set(slot, { requests: event.sessionTotals.requests, sinceMs: Number.isNaN(since) ? Number.NEGATIVE_INFINITY : since });
    } else if (this.totals.size > 0) this.totals.delete(slot);
    if (event.exported === true && event.sessionId !== undefined) {
      const session = links[to + SESSION] as number;
      const times = this.exported.get(session);
      const at = Number.isNaN(ms) && event.timestamp !== undefined ? instantMs(event.timestamp) : ms;
      if (times === undefined) this.exported.set(session, [at]);
      else times.push(at);
    }
  }

  private link(slot: number, k: number): number {
    return this.links.block(slot)[this.links.offset(slot) + k] as number;
  }

  add(event: UsageEvent, path: string, source: SourceName): void {
    let number = NONE;
    if (event.messageId !== undefined) {
      const key = this.keys.intern(`${event.messageId}\u0000${event.requestId ?? ''}`);
      number = key.number;
      if (!key.added) {
        const known = this.slotOfKey.block(number)[this.slotOfKey.offset(number)] as number;
        const keptSidechain = this.link(known, SIDECHAIN) === 1;
        const keptTotal = this.numbers.block(known)[this.numbers.offset(known) + TOTAL] as number;
        if (event.tokens.total_tokens > keptTotal || (keptSidechain && !event.sidechain)) {
          this.write(known, event, path, source, keptSidechain && event.sidechain);
        }
        return;
      }
    }
    const slot = this.count++;
    if (number !== NONE) this.slotOfKey.block(number)[this.slotOfKey.offset(number)] = slot;
    else if (event.requestId !== undefined) this.looseRequestIds.set(slot, event.requestId);
    this.links.block(slot)[this.links.offset(slot) + KEY] = number;
    this.write(slot, event, path, source, event.sidechain);
  }

  private key(slot: number): string | undefined {
    const number = this.link(slot, KEY);
    return number === NONE ? undefined : this.keys.key(number);
  }

  private request(slot: number): Request {
    const key = this.key(slot);
    const cut = key === undefined ? -1 : key.indexOf('\u0000');
    const n = this.numbers.block(slot);
    const at = this.numbers.offset(slot);
    const links = this.links.block(slot);
    const to = this.links.offset(slot);
    const ms = n[at + TIME] as number;
    const logged = n[at + LOGGED_COST] as number;
    return {
      source: this.text(links[to + SOURCE] as number) as SourceName,
      sessionId: this.text(links[to + SESSION] as number),
      path: this.text(links[to + PATH] as number) as string,
      timestamp: Number.isNaN(ms) ? this.oddTimes.get(slot) : isoOfMs(ms),
      ms: Number.isNaN(ms) ? undefined : ms,
      model: this.text(links[to + MODEL] as number),
      messageId: key === undefined ? undefined : key.slice(0, cut),
      requestId: key === undefined ? this.looseRequestIds.get(slot) : key.slice(cut + 1) || undefined,
      tokens: {
        input_tokens: n[at] as number,
        cache_read_tokens: n[at + 1] as number,
        cache_write_tokens: n[at + 2] as number,
        cache_write_1h_tokens: n[at + WRITE_1H] as number,
        output_tokens: n[at + 3] as number,
        reasoning_tokens: n[at + 4] as number,
        total_tokens: n[at + TOTAL] as number,
      },
      ...(Number.isNaN(logged) ? {} : { loggedCostUsd: logged }),
      ...(this.totals.has(slot) ? { requests: this.totals.get(slot)?.requests } : {}),
    };
  }

  /**
   * The slots not counted: sidechain replays, and a session's totals where an exported request of
   * the session falls after the shutdown before them and up to theirs (anywhere, where their time
   * does not read).
   */
  private dropped(): Set<number> {
    const dropped = this.replays();
    for (const [slot, { sinceMs }] of this.totals) {
      const times = this.exported.get(this.link(slot, SESSION));
      if (times === undefined) continue;
      const time = this.numbers.block(slot)[this.numbers.offset(slot) + TIME] as number;
      const odd = this.oddTimes.get(slot);
      const untilMs = Number.isNaN(time) && odd !== undefined ? instantMs(odd) : time;
      if (Number.isNaN(untilMs) || times.some((ms) => ms > sinceMs && ms <= untilMs)) dropped.add(slot);
    }
    return dropped;
  }

  /** The slots of sidechain replays: a sidechain request whose message id a main-chain request has under another key. */
  private replays(): Set<number> {
    const sidechainIds = new Set<string>();
    // A key is read back (decoded from its bytes) only where the test needs it: most requests are no sidechain's.
    for (let slot = 0; slot < this.count; slot++) {
      if (this.link(slot, SIDECHAIN) !== 1) continue;
      const key = this.key(slot);
      if (key !== undefined) sidechainIds.add(key.slice(0, key.indexOf('\u0000')));
    }
    const replays = new Set<number>();
    if (sidechainIds.size === 0) return replays;
    const main = new Map<string, number>();
    for (let slot = 0; slot < this.count; slot++) {
      const key = this.key(slot);
      if (this.link(slot, SIDECHAIN) === 1 || key === undefined) continue;
      const messageId = key.slice(0, key.indexOf('\u0000'));
      if (sidechainIds.has(messageId)) main.set(messageId, slot);
    }
    for (let slot = 0; slot < this.count; slot++) {
      if (this.link(slot, SIDECHAIN) !== 1) continue;
      const key = this.key(slot);
      if (key === undefined) continue;
      const mainSlot = main.get(key.slice(0, key.indexOf('\u0000')));
      if (mainSlot !== undefined && mainSlot !== slot) replays.add(slot);
    }
    return replays;
  }

  /** Every kept request, in the order each was first seen, without those dropped; one at a time. */
  *requests(): Generator<Request> {
    const dropped = this.dropped();
    for (let slot = 0; slot < this.count; slot++) if (!dropped.has(slot)) yield this.request(slot);
  }

  /**
   * The same requests grouped by session (by file where a line names no session): sessions in
   * the order each was first seen, each session's requests in order.
   */
  *sessions(): Generator<Generator<Request>> {
    const dropped = this.dropped();
    const groups = new Map<number, number[]>();
    for (let slot = 0; slot < this.count; slot++) {
      if (dropped.has(slot)) continue;
      const session = this.link(slot, SESSION);
      const group = session === NONE ? -2 - this.link(slot, PATH) : session;
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
