/**
 * Reads Claude Code transcripts into events. Every line type of formats.md B.2 is tolerated;
 * only user and assistant lines carry events. Claude writes one line per content block of a
 * response, each with the response's usage: the usage events here are per line, and the
 * datasets keep one per (message.id, requestId). Lines a dataset does not need are recognised
 * by a byte marker and never decoded.
 */
import { isUtf8 } from 'node:buffer';
import type { EventSink, SessionEvent, UsageTokens } from './events.js';
import type { ReaderNeeds, RecordLines } from './codex.js';
import { claudeEditStats } from './patches.js';
import { skipValue, valueAfter } from './json-bytes.js';

type Json = Record<string, unknown>;

const USAGE_MARKER = Buffer.from('"usage":{');
const KEY = {
  message: Buffer.from('"message":{'),
  content: Buffer.from('"content":'),
  usage: Buffer.from('"usage":'),
  model: Buffer.from('"model":'),
  id: Buffer.from('"id":'),
  requestId: Buffer.from('"requestId":'),
  timestamp: Buffer.from('"timestamp":'),
  sessionId: Buffer.from('"sessionId":'),
  type: Buffer.from('"type":"assistant"'),
  userType: Buffer.from('"type":"user"'),
  anyType: Buffer.from('"type":"'),
  sidechain: Buffer.from('"isSidechain":true'),
};
const SESSION_ID = /"sessionId":"([^"\\]+)"/;
const COMMAND_NAME = /<command-name>\/?([^<\s]+)<\/command-name>/;

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

export class ClaudeReader implements RecordLines {
  private sessionId: string | undefined;
  private start: string | undefined;
  private cwd: string | undefined;
  private version: string | undefined;
  private client: string | undefined;
  private sidechain = false;

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
  }

  state(): ClaudeState {
    const { sessionId, start, cwd, version, client, sidechain } = this;
    return { sessionId, start, cwd, version, client, sidechain };
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (end === start) return;
    const view = buffer.subarray(start, end);
    if (!this.wanted(view)) {
      if (this.sessionId === undefined) this.noteSession(view);
      // Not needed, so not decoded; but a line that is visibly not {...} is counted all the same.
      if (view[0] !== 0x7b) this.sink.malformed(lineNumber, 'not a Claude Code transcript record');
      else if (view[view.length - 1] !== 0x7d) this.sink.malformed(lineNumber, 'incomplete line (cut short)');
      return;
    }
    if (view[0] !== 0x7b) {
      this.sink.malformed(lineNumber, 'not a Claude Code transcript record');
      return;
    }
    if (view[view.length - 1] !== 0x7d) {
      this.sink.malformed(lineNumber, 'incomplete line (cut short)');
      return;
    }
    // Usage alone is wanted: read it around the content blocks, without decoding them.
    if (!this.needs.messages && !this.needs.toolCalls && this.needs.toolOutputs !== true && this.quickUsage(view)) return;
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
    this.noteEnvelope(line);
    const message = line.message;
    if (!isObject(message)) return;
    const timestamp = str(line.timestamp);
    if (line.type === 'assistant') this.assistant(line, message, timestamp);
    else if (line.type === 'user' && line.isMeta !== true) this.user(message, timestamp);
  }

  /**
   * Whether a line can hold what the datasets need, from a few bytes: only lines with a message
   * can; a user line (its type comes before its message) only for messages; usage only where
   * the line has a usage object. `view` is the line alone, so no search runs past its end.
   */
  private wanted(view: Buffer): boolean {
    // Searches that must stop at a place search backwards from it (lastIndexOf): no view to make.
    const message = view.indexOf(KEY.message);
    if (message < 0) return false;
    if (this.needs.messages) return true;
    if (view.lastIndexOf(KEY.userType, message) >= 0) return this.needs.toolOutputs === true;
    if (this.needs.toolCalls) return true;
    return view.indexOf(USAGE_MARKER, message) >= 0;
  }

  /**
   * An assistant line's usage from the bytes around its content (the thinking, text and tool
   * input there are most of the line): false when the line is laid out otherwise, and then it
   * is decoded whole.
   */
  private quickUsage(view: Buffer): boolean {
    const message = view.indexOf(KEY.message);
    if (message < 0) return false;
    // The top-level type after the message is the usual layout; a type before it (progress lines
    // that nest a message, some 2.1 lines) is decoded whole instead.
    if (view.lastIndexOf(KEY.anyType, message) >= 0) return false;
    const content = view.indexOf(KEY.content, message);
    if (content < 0) return false;
    const afterContent = skipValue(view, content + KEY.content.length, view.length);
    if (afterContent < 0 || view.indexOf(KEY.type, afterContent) < 0) return false;
    const usage = valueAfter(view, KEY.usage, afterContent, view.length);
    const model = valueAfter(view, KEY.model, message, content);
    const id = valueAfter(view, KEY.id, message, content);
    const requestId = valueAfter(view, KEY.requestId, afterContent, view.length);
    const timestamp = valueAfter(view, KEY.timestamp, afterContent, view.length);
    const sessionId = valueAfter(view, KEY.sessionId, 0, message);
    if (!isObject(usage) || typeof model !== 'string' || typeof timestamp !== 'string') return false;
    const sidechain = view.lastIndexOf(KEY.sidechain, message) >= 0;
    if (typeof sessionId === 'string') this.noteEnvelope({ sessionId, timestamp, isSidechain: sidechain });
    if (model === '<synthetic>') return true;
    this.sink.event({
      kind: 'usage',
      sessionId: str(sessionId) ?? this.sessionId,
      timestamp,
      model,
      messageId: str(id),
      requestId: str(requestId),
      sidechain,
      tokens: claudeTokens(usage),
    });
    return true;
  }

  /** The session of a line not otherwise decoded (queue-operation, summary...), from its bytes. */
  private noteSession(view: Buffer): void {
    const head = view.toString('latin1', 0, Math.min(view.length, 4096));
    const id = SESSION_ID.exec(head)?.[1];
    if (id !== undefined) this.announce(id, undefined);
  }

  private noteEnvelope(line: Json): void {
    this.start ??= str(line.timestamp);
    this.cwd ??= str(line.cwd);
    this.version ??= str(line.version);
    this.client ??= str(line.entrypoint);
    if (line.isSidechain === true || typeof line.agentId === 'string') this.sidechain = true;
    const id = str(line.sessionId);
    if (id !== undefined && this.sessionId === undefined) this.announce(id, str(line.timestamp));
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

  private assistant(line: Json, message: Json, timestamp: string | undefined): void {
    const model = str(message.model);
    if (this.needs.tokens && isObject(message.usage) && model !== '<synthetic>') {
      this.sink.event({
        kind: 'usage',
        sessionId: str(line.sessionId) ?? this.sessionId,
        timestamp,
        model,
        messageId: str(message.id),
        requestId: str(line.requestId),
        sidechain: line.isSidechain === true,
        tokens: claudeTokens(message.usage),
      });
    }
    const content = message.content;
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && this.needs.messages && typeof block.text === 'string') {
        this.sink.event({ kind: 'message', role: 'assistant', text: block.text, timestamp, command: undefined });
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

  private user(message: Json, timestamp: string | undefined): void {
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
    if (typeof content === 'string') {
      this.sink.event({ kind: 'message', role: 'user', text: content, timestamp, command: COMMAND_NAME.exec(content)?.[1] });
      return;
    }
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (isObject(block) && block.type === 'text' && typeof block.text === 'string') {
        this.sink.event({ kind: 'message', role: 'user', text: block.text, timestamp, command: COMMAND_NAME.exec(block.text)?.[1] });
      }
    }
  }
}
