/**
 * Reads one Amp thread (`T-<id>.json`, one JSON document rewritten whole on every change) into
 * events. A thread may be found twice (a second data root, a backup, an older revision): every
 * identity told here is the thread's id and the message's or ledger event's own, the same in
 * every copy, so the datasets count each request, message and tool call once, the largest copy
 * of a request winning (a later revision's).
 *
 * Requests: threads from before the ledger was dropped keep one per `usageLedger.events[]`
 * (deduped by event id; the cache split is joined from the message it points to), and an
 * assistant message with usage that no event points to is a request of its own. Later threads
 * have no ledger: each assistant message with `usage` is one request.
 */
import { isObject, nonEmptyStr, type Json } from '../common/json-values.js';
import { instantMs, laterTime } from '../../time/iso.js';
import type { EventSink, SessionEvent, ToolOutputEvent, UsageEvent } from '../common/events.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { ampTokens, isEmpty, ledgerCounts, usageCounts, type AmpCounts } from './tokens.js';
import { codePointLength } from '../../base/code-points.js';

/** A whole document is one record: what goes wrong in it is told as at its line 1. */
const LINE = 1;

/** An epoch-milliseconds time (Amp's `created`, `meta.sentAt`) as ISO text. */
function isoOfMs(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e15) return undefined;
  return new Date(value).toISOString();
}

/** An ISO time the log writes, kept as written when it reads as every time is read. */
function isoText(value: unknown): string | undefined {
  return typeof value === 'string' && !Number.isNaN(instantMs(value)) ? value : undefined;
}

/** A `file://` URI of a workspace tree as a path. */
function pathOfUri(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(uri.slice('file://'.length));
  } catch {
    return uri.slice('file://'.length);
  }
}

/** One entry of `messages[]`, as this reader uses it. */
interface Message {
  index: number;
  role: string | undefined;
  /** The message's number in the thread (`messageId`), undefined where it has none. */
  number: number | undefined;
  /** Its identity within the thread: `protocolMessageID` where written, else the number. */
  key: string;
  content: unknown[];
  usage: Json | undefined;
  sentAt: string | undefined;
}

/** One event of a thread's usage ledger (`usageLedger.events[]`). */
interface LedgerEvent {
  /** Its place in the ledger. */
  index: number;
  id: string;
  event: Json;
  /** The assistant message it is the request of (`toMessageId`). */
  to: number | undefined;
  timestamp: string | undefined;
}

/**
 * Each message's time: a user message's `meta.sentAt`, an assistant message's usage timestamp or
 * that of the ledger event pointing to it. A message without one (a tool result, a legacy
 * assistant message that no event points to, a cancelled one) gets the latest time before it in
 * the thread (of an earlier message or ledger event), else the thread's creation.
 */
function messageTimes(messages: Message[], ledger: LedgerEvent[] | undefined, created: string | undefined): Array<string | undefined> {
  const ledgerTimes = new Map<number, string>();
  for (const entry of ledger ?? [])
    if (entry.to !== undefined && entry.timestamp !== undefined && !ledgerTimes.has(entry.to)) ledgerTimes.set(entry.to, entry.timestamp);
  const times: Array<string | undefined> = [];
  let last = created;
  for (const message of messages) {
    if (message.number !== undefined) for (const [to, time] of ledgerTimes) if (to < message.number) last = laterTime(last, time);
    const own =
      message.role === 'user'
        ? message.sentAt
        : (isoText(message.usage?.timestamp) ?? (message.number === undefined ? undefined : ledgerTimes.get(message.number)));
    times[message.index] = own ?? last;
    last = laterTime(last, own);
  }
  return times;
}

export class AmpReader implements LogReader {
  constructor(
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
  ) {}

  line(_buffer: Buffer, _start: number, _end: number, lineNumber: number): void {
    this.sink.malformed(lineNumber, 'an Amp thread is one JSON document (T-<id>.json), not JSON Lines; rename the file to end in .json');
  }

  /** A thread is read whole: there is nothing to go on from. */
  state(): null {
    return null;
  }

  document(document: Json): void {
    const threadId = nonEmptyStr(document.id);
    if (threadId === undefined || !threadId.startsWith('T-')) {
      this.sink.malformed(LINE, `its id is ${JSON.stringify(document.id) ?? 'missing'}, not an Amp thread id (T-...); not read`);
      return;
    }
    if (!Array.isArray(document.messages)) {
      const keys = Object.keys(document).slice(0, 12).join(', ');
      this.sink.malformed(
        LINE,
        `thread ${threadId} has no "messages" array (it has ${keys}): an Amp thread shape seq does not know; update seq, or report the file's shape`,
      );
      return;
    }
    const messages = document.messages.flatMap((raw, index): Message[] => (isObject(raw) ? [this.message(raw, index)] : []));
    const created = isoOfMs(document.created);
    this.sink.event(this.session(threadId, document, created));
    const ledger = this.ledger(threadId, document.usageLedger);
    const times = messageTimes(messages, ledger, created);
    if (this.needs.tokens) this.requests(threadId, messages, ledger, times);
    if (this.needs.messages || this.needs.toolCalls || this.needs.toolOutputs === true) this.conversation(threadId, messages, times);
  }

  /** The ledger's events, each id once (the same event written twice is one request); undefined for a thread without a ledger. */
  private ledger(threadId: string, ledger: unknown): LedgerEvent[] | undefined {
    if (ledger === undefined || ledger === null) return undefined;
    const events = isObject(ledger) && Array.isArray(ledger.events) ? ledger.events : undefined;
    if (events === undefined) {
      this.sink.malformed(LINE, `thread ${threadId}: its usageLedger has no "events" array, a ledger seq does not know; its messages' usage is read instead`);
      return undefined;
    }
    const seen = new Set<string>();
    const out: LedgerEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const event: unknown = events[i];
      if (!isObject(event)) continue;
      const id = nonEmptyStr(event.id) ?? `ledger#${i}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const to = typeof event.toMessageId === 'number' ? event.toMessageId : undefined;
      out.push({ index: i, id, event, to, timestamp: isoText(event.timestamp) });
    }
    return out;
  }

  private message(raw: Json, index: number): Message {
    const number = typeof raw.messageId === 'number' && Number.isInteger(raw.messageId) ? raw.messageId : undefined;
    const meta = isObject(raw.meta) ? raw.meta : undefined;
    return {
      index,
      role: nonEmptyStr(raw.role),
      number,
      key: nonEmptyStr(raw.protocolMessageID) ?? (number === undefined ? `#${index}` : String(number)),
      content: Array.isArray(raw.content) ? raw.content : typeof raw.content === 'string' ? [{ type: 'text', text: raw.content }] : [],
      usage: isObject(raw.usage) ? raw.usage : undefined,
      sentAt: isoOfMs(meta?.sentAt),
    };
  }

  private session(threadId: string, document: Json, created: string | undefined): SessionEvent {
    const env = isObject(document.env) && isObject(document.env.initial) ? document.env.initial : undefined;
    const trees = Array.isArray(env?.trees) ? env.trees : [];
    const tree: unknown = trees[0];
    const platform = isObject(env?.platform) ? env.platform : undefined;
    return {
      kind: 'session',
      sessionId: threadId,
      parentSessionId: undefined,
      start: created,
      cwd: pathOfUri(isObject(tree) ? nonEmptyStr(tree.uri) : undefined),
      client: nonEmptyStr(platform?.client) ?? nonEmptyStr(platform?.clientType),
      version: nonEmptyStr(platform?.clientVersion),
      sidechain: false,
    };
  }

  /**
   * Tells the thread's requests: one per ledger event (with the cache split of the assistant
   * message it points to), then one per assistant message with usage that no event points to.
   */
  private requests(threadId: string, messages: Message[], ledger: LedgerEvent[] | undefined, times: Array<string | undefined>): void {
    const byNumber = new Map<number, Message>();
    for (const message of messages) if (message.role === 'assistant' && message.number !== undefined) byNumber.set(message.number, message);
    /** Assistant messages whose request a ledger event already is. */
    const joined = new Set<number>();
    for (const entry of ledger ?? []) {
      const to = entry.to === undefined ? undefined : byNumber.get(entry.to);
      const model = nonEmptyStr(entry.event.model) ?? nonEmptyStr(to?.usage?.model);
      const counts = this.ledgerRequest(threadId, entry, to, joined);
      if (counts !== undefined && !isEmpty(counts)) this.tell(threadId, entry.id, entry.timestamp, model, counts);
    }
    for (const message of messages) {
      if (message.role !== 'assistant' || message.usage === undefined || joined.has(message.index)) continue;
      const counts = usageCounts(message.usage);
      if (typeof counts === 'string') {
        this.sink.malformed(LINE, `thread ${threadId}, messages[${message.index}]: ${counts}`);
        continue;
      }
      if (!isEmpty(counts)) this.tell(threadId, message.key, times[message.index], nonEmptyStr(message.usage.model), counts);
    }
  }

  /**
   * A ledger event's counts: its input and output, with the cache split of the message it points
   * to (joined once: a second event to the same message gets none, or its cache would count twice).
   */
  private ledgerRequest(threadId: string, entry: LedgerEvent, to: Message | undefined, joined: Set<number>): AmpCounts | undefined {
    const fromMessage = to?.usage === undefined ? undefined : usageCounts(to.usage);
    let counts = ledgerCounts(entry.event.tokens);
    if (typeof counts === 'string') {
      if (fromMessage === undefined || typeof fromMessage === 'string') {
        this.sink.malformed(LINE, `thread ${threadId}, usageLedger.events[${entry.index}]: ${counts}`);
        return undefined;
      }
      counts = { ...fromMessage, cacheRead: 0, cacheWrite: 0 };
    }
    if (to !== undefined && !joined.has(to.index)) {
      joined.add(to.index);
      if (fromMessage !== undefined && typeof fromMessage !== 'string')
        return { ...counts, cacheRead: fromMessage.cacheRead, cacheWrite: fromMessage.cacheWrite };
    }
    return counts;
  }

  /**
   * One request, by its native id (a ledger event's id, or a message's): the request id as the
   * log writes it, and the message id prefixed with the thread's, as the native one is only
   * unique within its thread.
   */
  private tell(threadId: string, id: string, timestamp: string | undefined, model: string | undefined, counts: AmpCounts): void {
    const event: UsageEvent = {
      kind: 'usage',
      sessionId: threadId,
      timestamp,
      model,
      messageId: `${threadId}/${id}`,
      requestId: id,
      sidechain: false,
      tokens: ampTokens(counts, model),
    };
    this.sink.event(event);
  }

  /** Messages, tool calls and tool outputs. */
  private conversation(threadId: string, messages: Message[], times: Array<string | undefined>): void {
    const results = new Map<string, Json>();
    for (const message of messages) {
      if (message.role !== 'user') continue;
      for (const block of message.content) {
        if (!isObject(block) || block.type !== 'tool_result') continue;
        const callId = nonEmptyStr(block.toolUseID) ?? nonEmptyStr(block.tool_use_id);
        if (callId !== undefined) results.set(callId, block);
      }
    }
    for (const message of messages) {
      if (message.role !== 'user' && message.role !== 'assistant') continue;
      const timestamp = times[message.index];
      for (let b = 0; b < message.content.length; b++) {
        const block: unknown = message.content[b];
        if (!isObject(block)) continue;
        if (block.type === 'text' && this.needs.messages && typeof block.text === 'string') {
          this.sink.event({ kind: 'message', role: message.role, text: block.text, timestamp, command: undefined, id: `${threadId}/${message.key}#${b}` });
        } else if (block.type === 'tool_use' && message.role === 'assistant' && this.needs.toolCalls) {
          const callId = nonEmptyStr(block.id);
          const run = callId === undefined ? undefined : results.get(callId)?.run;
          this.sink.event({
            kind: 'tool_call',
            callKind: 'tool_use',
            tool: nonEmptyStr(block.name) ?? '',
            callId,
            argumentsLength: block.input === undefined ? undefined : codePointLength(JSON.stringify(block.input)),
            inputLength: undefined,
            status: isObject(run) ? nonEmptyStr(run.status) : undefined,
            timestamp,
            skill: undefined,
            filesChanged: undefined,
            linesAdded: undefined,
          });
        } else if (block.type === 'tool_result' && this.needs.toolOutputs === true) {
          this.sink.event(toolOutput(block, timestamp));
        }
      }
    }
  }
}

/** A tool's result: its output's length, and whether it failed (an error, or a command's exit code other than 0). */
function toolOutput(block: Json, timestamp: string | undefined): ToolOutputEvent {
  const run = isObject(block.run) ? block.run : undefined;
  const result = run?.result;
  const output = isObject(result) && typeof result.output === 'string' ? result.output : result === undefined ? '' : JSON.stringify(result);
  const exitCode = isObject(result) && typeof result.exitCode === 'number' ? result.exitCode : undefined;
  const status = nonEmptyStr(run?.status);
  return {
    kind: 'tool_output',
    callId: nonEmptyStr(block.toolUseID) ?? nonEmptyStr(block.tool_use_id),
    timestamp,
    outputLength: codePointLength(output),
    originalTokenCount: undefined,
    isError: status === 'error' || (exitCode !== undefined && exitCode !== 0) ? true : status === 'done' ? false : undefined,
  };
}
