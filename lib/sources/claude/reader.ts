/**
 * Reads Claude Code transcripts into events. Every line type Claude Code writes is tolerated;
 * only user and assistant lines carry events. Claude writes one line per content block of a
 * response, each with the response's usage: the usage events here are per line, and the
 * datasets keep one per (message.id, requestId).
 *
 * A line is read from its bytes as far as that can be done for certain, whatever its spelling
 * (whitespace, key order, escapes): a line without the key "message" is no user or assistant
 * line; the walk over its members (json-bytes.ts) tells its type; a response's usage is read
 * around its content blocks. Anything else, and anything the walk cannot read for certain, is
 * decoded whole.
 */
import { isUtf8 } from 'node:buffer';
import { inexactCount, type EventSink, type SessionEvent, type UsageTokens } from '../common/events.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { claudeEditStats } from './edits.js';
import { keyIs, mayHold, SKIP, skipString, skipValue, STOPPED, valueAt, walkObject, type MemberVisitor } from '../common/json-bytes.js';

type Json = Record<string, unknown>;

const QUOTED_MESSAGE = Buffer.from('"message"');
const COMMAND_NAME = /<command-name>\/?([^<\s]+)<\/command-name>/;

/** The members of a line read from its bytes (and those of its message): each has a start and an end in `Walk.at`. */
const TOP_KEYS = ['type', 'message', 'sessionId', 'timestamp', 'requestId', 'isSidechain', 'agentId', 'cwd', 'version', 'entrypoint'] as const;
const MESSAGE_KEYS = ['id', 'model', 'usage'] as const;
type Member = (typeof TOP_KEYS)[number] | `message.${(typeof MESSAGE_KEYS)[number]}`;
const SLOT = Object.fromEntries([...TOP_KEYS.map((k, i) => [k, i]), ...MESSAGE_KEYS.map((k, i) => [`message.${k}`, TOP_KEYS.length + i])]) as Record<Member, number>;
const SLOTS = TOP_KEYS.length + MESSAGE_KEYS.length;

/** Each key's bytes, and the keys by length: most members are none of them, and a length that none has says so at once. */
function keyTable(keys: readonly string[], offset: number): Array<Array<{ bytes: Buffer; slot: number }> | undefined> {
  const table: Array<Array<{ bytes: Buffer; slot: number }> | undefined> = [];
  keys.forEach((key, i) => (table[key.length] ??= []).push({ bytes: Buffer.from(key), slot: offset + i }));
  return table;
}
const TOP_TABLE = keyTable(TOP_KEYS, 0);
const MESSAGE_TABLE = keyTable(MESSAGE_KEYS, TOP_KEYS.length);

function slotOf(bytes: Buffer, keyStart: number, keyEnd: number, table: ReturnType<typeof keyTable>): number {
  const candidates = table[keyEnd - keyStart];
  if (candidates === undefined) return -1;
  for (const { bytes: key, slot } of candidates) {
    let i = 0;
    while (i < key.length && bytes[keyStart + i] === key[i]) i++;
    if (i === key.length) return slot;
  }
  return -1;
}

const TYPE_MEMBER = Buffer.from('"type":"');

/**
 * The line's type where it is written as Claude Code writes it, before any nested object or
 * array (user lines, and assistant lines of 2.1): found by native searches, not by a walk. A
 * `"type":"` right after a `{` or `,`, with no `{` or `[` before it but the line's own, is a
 * member of the line itself: inside a string its quotes would be escaped, and a key ending in an
 * escaped quote has a backslash before it. Undefined when the line is written otherwise.
 */
function compactType(view: Buffer): string | undefined {
  const at = view.indexOf(TYPE_MEMBER);
  if (at < 1 || (view[at - 1] !== 0x7b && view[at - 1] !== 0x2c)) return undefined;
  if (view.lastIndexOf(0x7b, at) > 0 || view.lastIndexOf(0x5b, at) >= 0) return undefined;
  const valueStart = at + TYPE_MEMBER.length - 1;
  const valueEnd = skipString(view, valueStart, view.length);
  if (valueEnd < 0) return undefined;
  return typeAt(view, valueStart, valueEnd);
}

const TYPE_NAMES = ['user', 'assistant'].map((name) => ({ name, bytes: Buffer.from(JSON.stringify(name)) }));

/** A type written as a plain string, read without making a string of it where it is one the reader knows. */
function typeAt(bytes: Buffer, start: number, end: number): string {
  for (const { name, bytes: quoted } of TYPE_NAMES) {
    if (end - start === quoted.length && bytes.compare(quoted, 0, quoted.length, start, end) === 0) return name;
  }
  const type = valueAt(bytes, start, end);
  return typeof type === 'string' ? type : '';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
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

/** What a Claude reader knows after some lines: enough to read on from there (the cache keeps it). */
export interface ClaudeState {
  sessionId: string | undefined;
  start: string | undefined;
  cwd: string | undefined;
  version: string | undefined;
  client: string | undefined;
  sidechain: boolean;
}

/** What the walk over one line found, and what it decided. */
class Walk {
  readonly at = new Int32Array(SLOTS * 2);
  type: string | undefined;
  /** The line must be decoded whole: it is needed as a whole, or the walk could not tell. */
  decode = false;

  reset(): void {
    this.at.fill(-1);
    this.type = undefined;
    this.decode = false;
  }

  has(member: Member): boolean {
    return (this.at[SLOT[member] * 2] as number) >= 0;
  }

  value(bytes: Buffer, member: Member): unknown {
    const slot = SLOT[member];
    return valueAt(bytes, this.at[slot * 2] as number, this.at[slot * 2 + 1] as number);
  }
}

export class ClaudeReader implements LogReader {
  private sessionId: string | undefined;
  private start: string | undefined;
  private cwd: string | undefined;
  private version: string | undefined;
  private client: string | undefined;
  private sidechain = false;
  private readonly walk = new Walk();
  /** User and assistant lines are both decoded whole: no walk is worth it. */
  private readonly decodeAll: boolean;

  constructor(
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: ClaudeState,
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

  state(): ClaudeState {
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
    const view = buffer.subarray(start, end);
    if (view[0] !== 0x7b) {
      this.sink.malformed(lineNumber, 'not a Claude Code transcript record');
      return;
    }
    if (view[view.length - 1] !== 0x7d) {
      this.sink.malformed(lineNumber, 'incomplete line (cut short)');
      return;
    }
    if (!mayHold(view, QUOTED_MESSAGE)) {
      // No user or assistant line: only the session it names is of use, until one is known.
      if (this.sessionId === undefined) this.sessionOnly(view, lineNumber);
      return;
    }
    if (this.decodeAll) {
      this.decoded(view, lineNumber);
      return;
    }
    const type = compactType(view);
    if (type !== undefined && !this.needed(type)) {
      if (this.sessionId === undefined) this.sessionOnly(view, lineNumber);
      return;
    }
    // Without a usage to read from the bytes, a line that may be needed is decoded.
    if (!this.needs.tokens || (type !== undefined && this.decodes(type))) {
      this.decoded(view, lineNumber);
      return;
    }
    const walk = this.walk;
    walk.reset();
    if (walkObject(view, 0, view.length, this.visitTop) === -1 || walk.decode) {
      this.decoded(view, lineNumber);
      return;
    }
    const messageAt = walk.at[SLOT.message * 2] as number;
    if (walk.type === 'assistant' && this.needed('assistant') && view[messageAt] === 0x7b) {
      this.quickUsage(view, lineNumber);
      return;
    }
    if (this.sessionId === undefined) {
      const sessionId = walk.value(view, 'sessionId');
      if (typeof sessionId === 'string') this.announce(sessionId, undefined);
    }
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
    return this.needed(walk.type) || (this.sessionId === undefined && !walk.has('sessionId')) ? valueEnd : STOPPED;
  };

  private readonly visitMessage: MemberVisitor = (bytes, keyStart, keyEnd, valueStart, end) => {
    const slot = slotOf(bytes, keyStart, keyEnd, MESSAGE_TABLE);
    if (slot < 0) return SKIP;
    const valueEnd = skipValue(bytes, valueStart, end);
    this.walk.at[slot * 2] = valueStart;
    this.walk.at[slot * 2 + 1] = valueEnd;
    return valueEnd;
  };

  /** An assistant line walked whole when its usage alone is needed: what `decoded` tells of it, without decoding it. */
  private quickUsage(view: Buffer, lineNumber: number): void {
    const walk = this.walk;
    this.noteEnvelope((key) => walk.value(view, key));
    if (!walk.has('message.usage')) return;
    const usage = walk.value(view, 'message.usage');
    const model = str(walk.value(view, 'message.model'));
    if (!isObject(usage) || model === '<synthetic>') return;
    this.usage(lineNumber, usage, {
      sessionId: str(walk.value(view, 'sessionId')),
      timestamp: str(walk.value(view, 'timestamp')),
      model,
      messageId: str(walk.value(view, 'message.id')),
      requestId: str(walk.value(view, 'requestId')),
      sidechain: walk.value(view, 'isSidechain') === true,
    });
  }

  /** A line no dataset needs, while the file's session is not known: the session it names. */
  private sessionOnly(view: Buffer, lineNumber: number): void {
    let sessionId: unknown;
    const ended = walkObject(view, 0, view.length, (bytes, keyStart, keyEnd, valueStart, end) => {
      if (!keyIs(bytes, keyStart, keyEnd, 'sessionId')) return SKIP;
      sessionId = valueAt(bytes, valueStart, skipValue(bytes, valueStart, end));
      return STOPPED;
    });
    if (ended === -1) {
      this.decoded(view, lineNumber);
      return;
    }
    if (ended === STOPPED && typeof sessionId === 'string') this.announce(sessionId, undefined);
  }

  /** A line decoded whole: the reference for what every byte-level read above tells. */
  private decoded(view: Buffer, lineNumber: number): void {
    if (!isUtf8(view)) this.sink.repaired(lineNumber, 'invalid UTF-8 replaced by U+FFFD');
    let line: unknown;
    try {
      line = JSON.parse(view.toString('utf8'));
    } catch (error) {
      this.sink.malformed(lineNumber, error instanceof Error ? error.message.slice(0, 120) : 'not JSON');
      return;
    }
    if (!isObject(line)) {
      this.sink.malformed(lineNumber, 'JSON but not an object');
      return;
    }
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
    this.cwd ??= str(field('cwd'));
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

  private usage(
    lineNumber: number,
    usage: Json,
    request: { sessionId: string | undefined; timestamp: string | undefined; model: string | undefined; messageId: string | undefined; requestId: string | undefined; sidechain: boolean },
  ): void {
    const inexact = inexactCount(usage);
    if (inexact !== undefined) {
      this.sink.malformed(lineNumber, inexact);
      return;
    }
    const tokens = claudeTokens(usage);
    if (tokens.total_tokens > Number.MAX_SAFE_INTEGER) {
      this.sink.malformed(lineNumber, `its token counts add up to ${tokens.total_tokens.toExponential(3)}, beyond 2^53: they cannot be counted exactly, so the line is skipped`);
      return;
    }
    this.sink.event({
      kind: 'usage',
      sessionId: request.sessionId ?? this.sessionId,
      timestamp: request.timestamp,
      model: request.model,
      messageId: request.messageId,
      requestId: request.requestId,
      sidechain: request.sidechain,
      tokens,
    });
  }

  private assistant(line: Json, message: Json, timestamp: string | undefined, lineNumber: number): void {
    const model = str(message.model);
    if (this.needs.tokens && isObject(message.usage) && model !== '<synthetic>') {
      this.usage(lineNumber, message.usage, {
        sessionId: str(line.sessionId),
        timestamp,
        model,
        messageId: str(message.id),
        requestId: str(line.requestId),
        sidechain: line.isSidechain === true,
      });
    }
    const content = message.content;
    if (!Array.isArray(content)) return;
    const uuid = str(line.uuid);
    for (let index = 0; index < content.length; index++) {
      const block: unknown = content[index];
      if (!isObject(block)) continue;
      if (block.type === 'text' && this.needs.messages && typeof block.text === 'string') {
        this.sink.event({ kind: 'message', role: 'assistant', text: block.text, timestamp, command: undefined, id: uuid === undefined ? undefined : `${uuid}#${index}` });
      } else if (block.type === 'tool_use' && this.needs.toolCalls) {
        const name = str(block.name) ?? '';
        const input = isObject(block.input) ? block.input : {};
        const edit = claudeEditStats(name, input);
        this.sink.event({
          kind: 'tool_call',
          callKind: 'tool_use',
          tool: name,
          callId: str(block.id),
          argumentsLength: JSON.stringify(input).length,
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
        const text = typeof block.content === 'string' ? block.content : Array.isArray(block.content) ? block.content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('') : '';
        this.sink.event({
          kind: 'tool_output',
          callId: str(block.tool_use_id),
          timestamp,
          outputLength: text.length,
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
        this.sink.event({ kind: 'message', role: 'user', text: block.text, timestamp, command: COMMAND_NAME.exec(block.text)?.[1], id: uuid === undefined ? undefined : `${uuid}#${index}` });
      }
    }
  }
}
