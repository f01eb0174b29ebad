/**
 * Reads Claude Code transcripts into events. Every line type Claude Code writes is tolerated;
 * only user and assistant lines carry events. Claude writes one line per content block of a
 * response, each with the response's usage, one after another: a run of lines with the same
 * (message.id, requestId) is told as one usage event, its first copy with the largest total,
 * which is the copy the datasets would keep of the run (they keep one per key across files).
 *
 * A line is read from its bytes as far as that can be done for certain, whatever its spelling
 * (whitespace, key order, escapes): a line without the key "message" is no user or assistant
 * line; the walk over its members (json-bytes.ts) tells its type; a response's usage is read
 * around its content blocks. Anything else, and anything the walk cannot read for certain, is
 * decoded whole; so are the few lines of a scan that reads few (decodesFirst).
 */
import { decodeObject, isObject, type Json, str } from '../common/json-values.js';
import { isUtf8 } from 'node:buffer';
import { inexactCount, repairedCount, type EventSink, type SessionEvent, type UsageEvent, type UsageTokens } from '../common/events.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { claudeEditStats } from './edits.js';
import { keyIs, mayHold, SKIP, skipValue, slotOf, STOPPED, valueAt, walkObject, type MemberVisitor } from '../common/json-bytes.js';
import { compactType, MESSAGE_TABLE, plainTypeMember, SLOT, TOP_TABLE, typeAt, Walk } from './line-walk.js';
import { claudeTokens, claudeTokensAt, COUNT_MEMBERS } from './tokens.js';
import type { DecodeBudget } from '../common/decode-first.js';
import { codePointLength } from '../../base/code-points.js';

/** A line longer than this is walked all the same: the walk skips its long strings natively, compiled or not. */
const LONGEST_FIRST = 16 << 10;

const QUOTED_MESSAGE = Buffer.from('"message"');
const COMMAND_NAME = /<command-name>\/?([^<\s]+)<\/command-name>/;

/** What a Claude reader knows after some lines: enough to read on from there (the cache keeps it). */
export interface ClaudeState {
  sessionId: string | undefined;
  start: string | undefined;
  cwd: string | undefined;
  version: string | undefined;
  client: string | undefined;
  sidechain: boolean;
}

export class ClaudeReader implements LogReader {
  private sessionId: string | undefined;
  private start: string | undefined;
  private cwd: string | undefined;
  private version: string | undefined;
  private client: string | undefined;
  private sidechain = false;
  private readonly walk = new Walk();
  /** The usage of the run of lines being read, told when a line of another request (or the end, or a point) comes. */
  private pending: UsageEvent | undefined;
  /** User and assistant lines are both decoded whole: no walk is worth it. */
  private readonly decodeAll: boolean;

  constructor(
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: ClaudeState,
    /** Bytes of lines it may decode whole rather than walk (common/decode-first.ts). */
    private readonly decode?: DecodeBudget,
  ) {
    if (from) {
      this.sessionId = from.sessionId;
      this.start = from.start;
      this.cwd = from.cwd;
      this.version = from.version;
      this.client = from.client;
      this.sidechain = from.sidechain;
    }
    this.decodeAll = needs.messages || (needs.toolCalls && needs.toolOutputs === true);
  }

  /** Tells the pending usage first: what comes before a point is told before it. */
  state(): ClaudeState {
    this.flush();
    const { sessionId, start, cwd, version, client, sidechain } = this;
    return { sessionId, start, cwd, version, client, sidechain };
  }

  /** Whether lines of this type are decoded whole. */
  private decodes(type: unknown): boolean {
    if (type === 'assistant') return this.needs.messages || this.needs.toolCalls;
    if (type === 'user') return this.needs.messages || this.needs.toolOutputs === true;
    return false;
  }

  /** Whether lines of this type are read at all (their envelope noted, their events told). */
  private needed(type: unknown): boolean {
    return this.decodes(type) || (type === 'assistant' && this.needs.tokens);
  }

  /** `[start, end)` is one record, without the whitespace around it. */
  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (end === start) return;
    if (buffer[start] !== 0x7b) {
      this.sink.malformed(lineNumber, 'not a Claude Code transcript record');
      return;
    }
    if (buffer[end - 1] !== 0x7d) {
      this.sink.malformed(lineNumber, 'incomplete line (cut short)');
      return;
    }
    if (this.decodeAll) {
      this.decoded(buffer, start, end, lineNumber);
      return;
    }
    if (this.decode !== undefined && this.needs.tokens && this.decodesFirst(buffer, start, end) && this.decodedPlain(buffer, start, end, lineNumber)) return;
    if (!this.needs.tokens) {
      this.withoutUsage(buffer, start, end, lineNumber);
      return;
    }
    // The walk tells the type where the line writes it and stops there when the line is not
    // needed: no search for "message" or "type" first, which an assistant line would pay for nothing.
    const walk = this.walk;
    walk.reset(start, end);
    if (walkObject(buffer, start, end, this.visitTop) === -1 || walk.decode) {
      this.decoded(buffer, start, end, lineNumber);
      return;
    }
    const messageAt = walk.at[SLOT.message * 2] as number;
    if (walk.type === 'assistant' && messageAt >= 0 && buffer[messageAt] === 0x7b) {
      this.quickUsage(buffer, lineNumber);
      return;
    }
    if (this.sessionId === undefined) {
      const sessionId = walk.value(buffer, 'sessionId');
      if (typeof sessionId === 'string') this.announce(sessionId, undefined);
    }
  }

  /** A line when no usage is needed: decoded if it may be a needed user or assistant line, else only its session read. */
  private withoutUsage(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    const view = buffer.subarray(start, end);
    if (!mayHold(view, QUOTED_MESSAGE)) {
      // No user or assistant line: only the session it names is of use, until one is known.
      if (this.sessionId === undefined) this.sessionOnly(buffer, start, end, lineNumber);
      return;
    }
    const type = compactType(view);
    if (type !== undefined && !this.needed(type)) {
      if (this.sessionId === undefined) this.sessionOnly(buffer, start, end, lineNumber);
      return;
    }
    this.decoded(buffer, start, end, lineNumber);
  }

  /**
   * One member of a line whose usage may be needed, as the walk meets it. It stops as soon as the
   * line is known not to be needed (and its session is known), or to be needed whole; it reads
   * into the message for a response's id, model and usage.
   */
  private readonly visitTop: MemberVisitor = (bytes, keyStart, keyEnd, valueStart, end) => {
    const walk = this.walk;
    const slot = slotOf(bytes, keyStart, keyEnd, TOP_TABLE);
    if (slot < 0) return SKIP;
    // A member written twice is the last one to JSON.parse: the line is decoded.
    if ((walk.at[slot * 2] as number) >= 0) return -1;
    const valueEnd = slot === 1 && bytes[valueStart] === 0x7b ? walkObject(bytes, valueStart, end, this.visitMessage) : skipValue(bytes, valueStart, end);
    if (valueEnd < 0) return -1;
    walk.at[slot * 2] = valueStart;
    walk.at[slot * 2 + 1] = valueEnd;
    if (slot !== 0) return valueEnd;
    walk.type = typeAt(bytes, valueStart, valueEnd);
    if (this.decodes(walk.type)) {
      walk.decode = true;
      return STOPPED;
    }
    if (this.needed(walk.type) || (this.sessionId === undefined && !walk.has('sessionId'))) return valueEnd;
    // Stopped only at a type written as compactType reads it (before any nested value), which is
    // the one every read of the line stops at; anywhere else the walk goes on, and finds a type
    // written again (decoded, as JSON.parse reads it).
    return plainTypeMember(bytes.subarray(walk.start, walk.end)) === keyStart - 1 - walk.start ? STOPPED : valueEnd;
  };

  private readonly visitMessage: MemberVisitor = (bytes, keyStart, keyEnd, valueStart, end) => {
    const slot = slotOf(bytes, keyStart, keyEnd, MESSAGE_TABLE);
    if (slot < 0) return SKIP;
    if ((this.walk.at[slot * 2] as number) >= 0) return -1;
    const valueEnd = skipValue(bytes, valueStart, end);
    this.walk.at[slot * 2] = valueStart;
    this.walk.at[slot * 2 + 1] = valueEnd;
    return valueEnd;
  };

  /** An assistant line walked whole when its usage alone is needed: what `decoded` tells of it, without decoding it. */
  private quickUsage(bytes: Buffer, lineNumber: number): void {
    const walk = this.walk;
    this.noteEnvelope((key) => walk.value(bytes, key));
    const usageAt = walk.at[SLOT['message.usage'] * 2] as number;
    if (usageAt < 0) return;
    const model = str(walk.value(bytes, 'message.model'));
    if (model === '<synthetic>') return;
    // Read from its bytes where they are plain (most lines), else decoded.
    let tokens = claudeTokensAt(bytes, usageAt, walk.at[SLOT['message.usage'] * 2 + 1] as number);
    if (tokens === undefined) {
      const usage = walk.value(bytes, 'message.usage');
      if (!isObject(usage)) return;
      tokens = this.tokens(lineNumber, usage);
      if (tokens === undefined) return;
    }
    const messageId = str(walk.value(bytes, 'message.id'));
    const requestId = str(walk.value(bytes, 'requestId'));
    const sidechain = walk.value(bytes, 'isSidechain') === true;
    if (this.sameRun(messageId, requestId, sidechain, tokens)) return;
    this.pending = {
      kind: 'usage',
      sessionId: str(walk.value(bytes, 'sessionId')) ?? this.sessionId,
      timestamp: str(walk.value(bytes, 'timestamp')),
      model,
      messageId,
      requestId,
      sidechain,
      tokens,
    };
  }

  /**
   * Whether a line's usage adds nothing to the pending run: a copy of the same request (key and
   * sidechain) with no larger total. The datasets keep the first copy with the largest total of
   * a key, and the copies of a run share their key and sidechain: the run's usage is the copy
   * they would keep of it. Else the caller makes the line's usage pending: it replaces the run's
   * copy, or (another request) the run is told first. Lines without a message id are never merged,
   * so never joined.
   */
  private sameRun(messageId: string | undefined, requestId: string | undefined, sidechain: boolean, tokens: UsageTokens): boolean {
    const pending = this.pending;
    if (
      pending !== undefined &&
      messageId !== undefined &&
      pending.messageId === messageId &&
      pending.requestId === requestId &&
      pending.sidechain === sidechain
    ) {
      if (tokens.total_tokens <= pending.tokens.total_tokens) return true;
      this.pending = undefined;
      return false;
    }
    this.flush();
    return false;
  }

  private flush(): void {
    if (this.pending === undefined) return;
    this.sink.event(this.pending);
    this.pending = undefined;
  }

  /** A line no dataset needs, while the file's session is not known: the session it names. */
  private sessionOnly(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    let sessionId: unknown;
    const ended = walkObject(buffer, start, end, (bytes, keyStart, keyEnd, valueStart, end) => {
      if (!keyIs(bytes, keyStart, keyEnd, 'sessionId')) return SKIP;
      sessionId = valueAt(bytes, valueStart, skipValue(bytes, valueStart, end));
      return STOPPED;
    });
    if (ended === -1) {
      this.decoded(buffer, start, end, lineNumber);
      return;
    }
    if (ended === STOPPED && typeof sessionId === 'string') this.announce(sessionId, undefined);
  }

  /** A line decoded whole: the reference for what every byte-level read above tells. */
  private decoded(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    const line = decodeObject(buffer, start, end, lineNumber, this.sink);
    if (line !== undefined) this.record(line, lineNumber);
  }

  /**
   * Whether this line is decoded whole, from the budget of a scan that reads few lines:
   * not where the walk stops at a type no dataset needs, written before any nested value (a
   * user line when only usage is needed), which costs it less than a decode.
   */
  private decodesFirst(buffer: Buffer, start: number, end: number): boolean {
    if (end - start > LONGEST_FIRST || this.decode?.take(end - start) !== true) return false;
    const type = compactType(buffer.subarray(start, end));
    return type === undefined || this.needed(type);
  }

  /**
   * A line decoded whole where that tells exactly what the walk would: it is UTF-8 and JSON (a
   * `{...}`, so an object), so that neither would tell of a problem with it. False where it is
   * not: the walk reads it.
   */
  private decodedPlain(buffer: Buffer, start: number, end: number, lineNumber: number): boolean {
    if (!isUtf8(buffer.subarray(start, end))) return false;
    let line: unknown;
    try {
      line = JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      return false;
    }
    this.record(line as Json, lineNumber);
    return true;
  }

  /** What a decoded line tells. */
  private record(line: Json, lineNumber: number): void {
    const message = line.message;
    if (!isObject(message) || !this.needed(line.type)) {
      if (this.sessionId === undefined && typeof line.sessionId === 'string') this.announce(line.sessionId, undefined);
      return;
    }
    this.noteEnvelope((key) => line[key]);
    const timestamp = str(line.timestamp);
    if (line.type === 'assistant') this.assistant(line, message, timestamp, lineNumber);
    else if (line.isMeta !== true) this.user(line, message, timestamp);
  }

  private noteEnvelope(field: (key: 'timestamp' | 'cwd' | 'version' | 'entrypoint' | 'isSidechain' | 'agentId' | 'sessionId') => unknown): void {
    this.start ??= str(field('timestamp'));
    const cwdKnown = this.cwd !== undefined;
    this.cwd ??= str(field('cwd'));
    // A session told before its first line with a cwd is told again with it: --project goes by it.
    if (!cwdKnown && this.cwd !== undefined && this.sessionId !== undefined) this.sink.event(this.sessionEvent(this.sessionId));
    this.version ??= str(field('version'));
    this.client ??= str(field('entrypoint'));
    if (!this.sidechain && (field('isSidechain') === true || typeof field('agentId') === 'string')) this.sidechain = true;
    if (this.sessionId === undefined) {
      const id = str(field('sessionId'));
      if (id !== undefined) this.announce(id, str(field('timestamp')));
    }
  }

  private announce(sessionId: string, timestamp: string | undefined): void {
    this.sessionId = sessionId;
    this.start ??= timestamp;
    this.sink.event(this.sessionEvent(sessionId));
  }

  /** At the end of the file: the session again, with what later lines told (the datasets merge). */
  finish(): void {
    this.flush();
    if (this.sessionId !== undefined) this.sink.event(this.sessionEvent(this.sessionId));
  }

  private sessionEvent(sessionId: string): SessionEvent {
    return {
      kind: 'session',
      sessionId,
      parentSessionId: undefined,
      start: this.start,
      cwd: this.cwd,
      client: this.client,
      version: this.version,
      sidechain: this.sidechain,
    };
  }

  /** A decoded usage's tokens; undefined (the line told as malformed) where they cannot be counted exactly. */
  private tokens(lineNumber: number, usage: Json): UsageTokens | undefined {
    const inexact = inexactCount(usage);
    if (inexact !== undefined) {
      this.sink.malformed(lineNumber, inexact);
      return undefined;
    }
    const tokens = claudeTokens(usage);
    if (tokens.total_tokens > Number.MAX_SAFE_INTEGER) {
      this.sink.malformed(
        lineNumber,
        `its token counts add up to ${tokens.total_tokens.toExponential(3)}, beyond 2^53: they cannot be counted exactly, so the line is skipped`,
      );
      return undefined;
    }
    const repaired = repairedCount(usage, COUNT_MEMBERS);
    if (repaired !== undefined) this.sink.repaired(lineNumber, repaired);
    return tokens;
  }

  private assistant(line: Json, message: Json, timestamp: string | undefined, lineNumber: number): void {
    const model = str(message.model);
    const tokens = this.needs.tokens && isObject(message.usage) && model !== '<synthetic>' ? this.tokens(lineNumber, message.usage) : undefined;
    const messageId = str(message.id);
    const requestId = str(line.requestId);
    const sidechain = line.isSidechain === true;
    if (tokens !== undefined && !this.sameRun(messageId, requestId, sidechain, tokens)) {
      this.pending = { kind: 'usage', sessionId: str(line.sessionId) ?? this.sessionId, timestamp, model, messageId, requestId, sidechain, tokens };
    }
    const content = message.content;
    if (!Array.isArray(content)) return;
    const uuid = str(line.uuid);
    for (let index = 0; index < content.length; index++) {
      const block: unknown = content[index];
      if (!isObject(block)) continue;
      if (block.type === 'text' && this.needs.messages && typeof block.text === 'string') {
        this.sink.event({
          kind: 'message',
          role: 'assistant',
          text: block.text,
          timestamp,
          command: undefined,
          id: uuid === undefined ? undefined : `${uuid}#${index}`,
        });
      } else if (block.type === 'tool_use' && this.needs.toolCalls) {
        const name = str(block.name) ?? '';
        const input = isObject(block.input) ? block.input : {};
        const edit = claudeEditStats(name, input);
        this.sink.event({
          kind: 'tool_call',
          callKind: 'tool_use',
          tool: name,
          callId: str(block.id),
          argumentsLength: codePointLength(JSON.stringify(input)),
          inputLength: undefined,
          status: undefined,
          timestamp,
          skill: name === 'Skill' ? str(input.skill) : undefined,
          filesChanged: edit?.files,
          linesAdded: edit?.linesAdded,
        });
      }
    }
  }

  private user(line: Json, message: Json, timestamp: string | undefined): void {
    const content = message.content;
    if (this.needs.toolOutputs === true && Array.isArray(content)) {
      for (const block of content) {
        if (!isObject(block) || block.type !== 'tool_result') continue;
        const text =
          typeof block.content === 'string'
            ? block.content
            : Array.isArray(block.content)
              ? block.content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('')
              : '';
        this.sink.event({
          kind: 'tool_output',
          callId: str(block.tool_use_id),
          timestamp,
          outputLength: codePointLength(text),
          originalTokenCount: undefined,
          isError: typeof block.is_error === 'boolean' ? block.is_error : undefined,
        });
      }
    }
    if (!this.needs.messages) return;
    const uuid = str(line.uuid);
    if (typeof content === 'string') {
      this.sink.event({ kind: 'message', role: 'user', text: content, timestamp, command: COMMAND_NAME.exec(content)?.[1], id: uuid });
      return;
    }
    if (!Array.isArray(content)) return;
    for (let index = 0; index < content.length; index++) {
      const block: unknown = content[index];
      if (isObject(block) && block.type === 'text' && typeof block.text === 'string') {
        this.sink.event({
          kind: 'message',
          role: 'user',
          text: block.text,
          timestamp,
          command: COMMAND_NAME.exec(block.text)?.[1],
          id: uuid === undefined ? undefined : `${uuid}#${index}`,
        });
      }
    }
  }
}
