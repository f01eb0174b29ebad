/**
 * Reads Gemini CLI sessions into events: a whole JSON document (up to 0.38) or JSON Lines
 * (0.39 on) of a header, message records, `{"$set": ...}` metadata patches and
 * `{"$rewindTo": id}` lines.
 *
 * In JSON Lines a message is appended again each time it changes (its usage arrives, tool calls
 * are attached or finish), the last copy being the message; a `$set` of `messages` re-lists the
 * conversation. The copies of a message written one after another (what lies between them is
 * metadata) are told once, as their last copy; a copy written later (a re-listing) is told
 * again, with the same ids, and the scan counts it once: a request by its message and request
 * id, the largest kept; a message and a tool call by their ids, the first kept. A rewind takes
 * messages out of the conversation but not out of what was asked of the model, so rewound
 * requests are counted. A message's id is unique only within its session, so the ids told are
 * the session's id, a slash, and the message's id.
 */
import { basename } from 'node:path';
import type { EventSink, SessionEvent } from '../common/events.js';
import { mayHold } from '../common/json-bytes.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { geminiPlace } from './project.js';
import { decodeObject, isObject, type Json, str } from '../common/json-values.js';
import { contentText, geminiEditStats, geminiTokens, isHeader, MESSAGE_TYPES, toolResultText } from './records.js';
import { codePointLength } from '../../base/code-points.js';

/** What a Gemini reader knows after some lines: enough to read on from there (the cache keeps it). */
export interface GeminiState {
  sessionId: string | undefined;
  start: string | undefined;
  cwd: string | undefined;
  parent: string | undefined;
}

const QUOTED = {
  tokens: Buffer.from('"tokens"'),
  toolCalls: Buffer.from('"toolCalls"'),
  content: Buffer.from('"content"'),
  messages: Buffer.from('"messages"'),
};
/** How Gemini CLI begins its metadata lines and its message records (it writes them with JSON.stringify). */
const METADATA_STARTS = [Buffer.from('{"$set":'), Buffer.from('{"$rewindTo":')];
const MESSAGE_START = Buffer.from('{"id":');

export class GeminiReader implements LogReader {
  private sessionId: string | undefined;
  private start: string | undefined;
  private cwd: string | undefined;
  private parent: string | undefined;
  /** Read whole as one document: nothing to read on from. */
  private whole = false;
  /** The last copy so far of the message being written, told when another message (or a point, or the end) comes. */
  private pending: { record: Json; lineNumber: number } | undefined;
  /** The keys a line must hold to be of use once the session is known (each dataset's own). */
  private readonly wanted: Buffer[];

  constructor(
    private readonly path: string,
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: GeminiState,
  ) {
    if (from) {
      this.sessionId = from.sessionId;
      this.start = from.start;
      this.cwd = from.cwd;
      this.parent = from.parent;
    }
    this.wanted = [
      ...(needs.tokens ? [QUOTED.tokens] : []),
      ...(needs.toolCalls || needs.toolOutputs === true ? [QUOTED.toolCalls] : []),
      ...(needs.messages ? [QUOTED.content] : []),
    ];
  }

  /** Tells the pending message first: what comes before a point is told before it. */
  state(): GeminiState | null {
    this.flush();
    if (this.whole) return null;
    const { sessionId, start, cwd, parent } = this;
    return { sessionId, start, cwd, parent };
  }

  finish(): void {
    this.flush();
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (end === start) return;
    const view = buffer.subarray(start, end);
    if (this.sessionId !== undefined && this.useless(view)) return;
    if (buffer[end - 1] !== 0x7d) {
      this.bad(lineNumber, 'incomplete line (cut short)');
      return;
    }
    const record = decodeObject(buffer, start, end, lineNumber, this.sink, (n, reason) => this.bad(n, reason));
    if (record === undefined) return;
    if (typeof record.$rewindTo === 'string') {
      this.flush();
    } else if (isObject(record.$set)) {
      this.patch(record.$set, lineNumber);
    } else if (isHeader(record)) {
      // A legacy document on one line is read as the document it is.
      if (Array.isArray(record.messages)) this.readDocument(record, lineNumber);
      else this.header(record);
    } else if (typeof record.id === 'string' && typeof record.type === 'string') {
      this.announceByName();
      this.take(record, lineNumber);
    } else {
      this.bad(
        lineNumber,
        `a record of unknown shape (keys: ${Object.keys(record).slice(0, 8).join(', ')}): not a Gemini CLI header, message, $set or $rewindTo; if a newer Gemini CLI wrote it, seq needs an update to read it`,
      );
    }
  }

  /**
   * Whether a line is known, from its first bytes, to hold nothing the datasets need: metadata
   * other than a re-listing of the messages, or a message record without any key they need. Any
   * other line is decoded, so that one of an unknown shape is reported.
   */
  private useless(view: Buffer): boolean {
    if (METADATA_STARTS.some((head) => view.subarray(0, head.length).equals(head))) return this.wanted.length === 0 || !mayHold(view, QUOTED.messages);
    if (view.subarray(0, MESSAGE_START.length).equals(MESSAGE_START)) return !this.wanted.some((key) => mayHold(view, key));
    return false;
  }

  /** A line that cannot be used, told after the message before it, so that problems come in the order of their lines. */
  private bad(lineNumber: number, reason: string): void {
    this.flush();
    this.sink.malformed(lineNumber, reason);
  }

  /** A legacy session, one JSON document (a `.json` file). */
  document(document: Json): void {
    this.whole = true;
    this.readDocument(document, 1);
  }

  private readDocument(document: Json, lineNumber: number): void {
    this.header(document);
    const messages = document.messages;
    if (!Array.isArray(messages)) return;
    for (const message of messages) {
      if (isObject(message) && typeof message.id === 'string') this.tell(message, lineNumber);
      else this.sink.malformed(lineNumber, `a message without an id (${JSON.stringify(message).slice(0, 80)}): skipped`);
    }
  }

  private header(record: Json): void {
    if (this.sessionId !== undefined) return;
    const sessionId = str(record.sessionId) as string;
    this.start = str(record.startTime);
    const place = geminiPlace(this.path, str(record.projectHash));
    this.cwd = place.cwd;
    this.parent = place.parent;
    this.announce(sessionId);
  }

  /** A metadata patch: only a re-listing of the messages (a checkpoint) holds anything counted. */
  private patch(set: Json, lineNumber: number): void {
    if (!Array.isArray(set.messages)) return;
    this.announceByName();
    for (const message of set.messages) {
      if (isObject(message) && typeof message.id === 'string') this.take(message, lineNumber);
    }
    this.flush();
  }

  /** A log whose header is lost (cut short, damaged): its session is named after its file, which holds the session id or its start. */
  private announceByName(): void {
    if (this.sessionId !== undefined) return;
    this.announce(basename(this.path).replace(/\.jsonl?$/, ''));
  }

  private announce(sessionId: string): void {
    this.sessionId = sessionId;
    const event: SessionEvent = {
      kind: 'session',
      sessionId,
      parentSessionId: this.parent,
      start: this.start,
      cwd: this.cwd,
      client: undefined,
      version: undefined,
      sidechain: false,
    };
    this.sink.event(event);
  }

  private take(record: Json, lineNumber: number): void {
    if (this.pending !== undefined && this.pending.record.id === record.id) {
      this.pending = { record, lineNumber };
      return;
    }
    this.flush();
    this.pending = { record, lineNumber };
  }

  private flush(): void {
    if (this.pending === undefined) return;
    const { record, lineNumber } = this.pending;
    this.pending = undefined;
    this.tell(record, lineNumber);
  }

  /** The events of one message: its text, its tool calls and what they gave back, its request's usage. */
  private tell(message: Json, lineNumber: number): void {
    const type = str(message.type);
    if (type === undefined || !MESSAGE_TYPES.has(type)) {
      this.sink.malformed(
        lineNumber,
        `a message of unknown type ${JSON.stringify(message.type)}: Gemini CLI writes user, gemini, info, error and warning; if a newer one wrote it, seq needs an update to read it`,
      );
      return;
    }
    if (type !== 'user' && type !== 'gemini') return;
    const id = `${this.sessionId}/${message.id as string}`;
    const timestamp = str(message.timestamp);
    if (this.needs.messages) {
      const text = contentText(message.content);
      if (text !== '') this.sink.event({ kind: 'message', role: type === 'user' ? 'user' : 'assistant', text, timestamp, command: undefined, id });
    }
    if (type !== 'gemini') return;
    if ((this.needs.toolCalls || this.needs.toolOutputs === true) && Array.isArray(message.toolCalls)) this.toolCalls(message.toolCalls, timestamp);
    if (this.needs.tokens) this.usage(message, id, timestamp, lineNumber);
  }

  private toolCalls(calls: unknown[], timestamp: string | undefined): void {
    for (const call of calls) {
      if (!isObject(call)) continue;
      const callId = str(call.id);
      const at = str(call.timestamp) ?? timestamp;
      const status = str(call.status);
      if (this.needs.toolCalls) {
        const tool = str(call.name) ?? '';
        const args = isObject(call.args) ? call.args : {};
        // Only a call that succeeded changed a file.
        const edit = status === 'success' ? geminiEditStats(tool, args) : undefined;
        this.sink.event({
          kind: 'tool_call',
          callKind: 'function_call',
          tool,
          callId,
          argumentsLength: codePointLength(JSON.stringify(args)),
          inputLength: undefined,
          status,
          timestamp: at,
          skill: undefined,
          filesChanged: edit?.files,
          linesAdded: edit?.linesAdded,
        });
      }
      if (this.needs.toolOutputs === true && call.result !== undefined && call.result !== null) {
        this.sink.event({
          kind: 'tool_output',
          callId,
          timestamp: at,
          outputLength: codePointLength(toolResultText(call.result)),
          originalTokenCount: undefined,
          isError: status === undefined ? undefined : status === 'error',
        });
      }
    }
  }

  private usage(message: Json, id: string, timestamp: string | undefined, lineNumber: number): void {
    const raw = message.tokens;
    // Written before the usage arrived, or a request cancelled before any came: no usage.
    if (raw === undefined || raw === null) return;
    if (!isObject(raw)) {
      this.sink.malformed(lineNumber, `tokens is ${JSON.stringify(raw).slice(0, 40)}, not an object of counts: the request is skipped`);
      return;
    }
    const read = geminiTokens(raw);
    if ('error' in read) {
      this.sink.malformed(lineNumber, read.error);
      return;
    }
    if (read.odd !== undefined) this.sink.repaired(lineNumber, read.odd);
    this.sink.event({
      kind: 'usage',
      sessionId: this.sessionId,
      timestamp,
      model: str(message.model),
      messageId: id,
      requestId: message.id as string,
      sidechain: false,
      tokens: read.tokens,
    });
  }
}
