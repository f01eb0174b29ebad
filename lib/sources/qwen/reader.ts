/**
 * Reads Qwen Code chat recordings into events: the JSON Lines of `projects/<project>/chats/`
 * (one ChatRecord a line, `message` a Gemini Content of `parts`) and the legacy one-document
 * sessions of `tmp/<hash>/chats/session-*.json`.
 *
 * One assistant record is one model response; its `usageMetadata` is the request's usage. The
 * `system/ui_telemetry` records repeat the same counts and are never counted. `/branch` copies
 * the records before the branch point into the new session's file verbatim but for `sessionId`,
 * `parentUuid` and an added `forkedFrom`: a copy's usage is told under the request's own ids
 * (its record uuid) and the session it forked from, so that the usage dataset keeps one of the
 * two, in the session that made the request; its messages and tool calls are not told again.
 */
import { decodeObject, isObject, type Json, str } from '../common/json-values.js';
import { lineCount, linesReplaced } from '../common/edits.js';
import type { EventSink, SessionEvent, ToolCallEvent, UsageTokens } from '../common/events.js';
import { mayHold } from '../common/json-bytes.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { legacyTokens, usageMetadataTokens } from './tokens.js';
import { codePointLength } from '../../base/code-points.js';

const USAGE_KEY = Buffer.from('"usageMetadata"');
const RECORD_TYPES = new Set(['user', 'assistant', 'tool_result', 'system']);
/** Text Qwen Code puts into the user's turn itself: the environment it starts a session with. */
export const SESSION_CONTEXT = '<session_context>';

function parts(message: unknown): Json[] {
  return isObject(message) && Array.isArray(message.parts) ? message.parts.filter(isObject) : [];
}

/** The text parts that are not reasoning (`thought: true`). */
function texts(list: Json[]): string[] {
  return list.flatMap((part) => (typeof part.text === 'string' && part.thought !== true ? [part.text] : []));
}

/** Qwen Code's own tool call, as the model wrote it. */
function toolCall(name: string, args: Json, callId: string | undefined, status: string | undefined, timestamp: string | undefined): ToolCallEvent {
  const file = str(args.file_path) ?? str(args.absolute_path);
  let linesAdded: number | undefined;
  // The editing tools: `edit` (formerly `replace`) puts new_string over old_string; `write_file` writes content.
  if (name === 'edit' || name === 'replace') linesAdded = linesReplaced(args.new_string, args.old_string);
  else if (name === 'write_file') linesAdded = lineCount(args.content);
  const edits = linesAdded !== undefined && file !== undefined;
  return {
    kind: 'tool_call',
    callKind: 'function_call',
    tool: name,
    callId,
    argumentsLength: codePointLength(JSON.stringify(args)),
    inputLength: undefined,
    status,
    timestamp,
    skill: name === 'skill' ? str(args.skill) : undefined,
    filesChanged: edits ? [file] : undefined,
    linesAdded: edits ? linesAdded : undefined,
  };
}

/** What a Qwen reader knows after some lines: enough to read on from there (the cache keeps it). */
export interface QwenState {
  sessionId: string | undefined;
  /** The first record's time that /branch did not copy: a fork starts when it was made. */
  start: string | undefined;
  /** The first record's time, copied or not: the start of a fork that has no record of its own. */
  firstAt: string | undefined;
  cwd: string | undefined;
  version: string | undefined;
  parent: string | undefined;
  /** Tool calls whose result has not come yet: told with its status when it comes, else at the end. */
  calls: ToolCallEvent[];
}

export class QwenReader implements LogReader {
  private sessionId: string | undefined;
  private start: string | undefined;
  private firstAt: string | undefined;
  private cwd: string | undefined;
  private version: string | undefined;
  private parent: string | undefined;
  private calls: ToolCallEvent[] = [];
  /** A legacy document, read whole: no state to read on from. */
  private whole = false;

  constructor(
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: QwenState,
  ) {
    if (from) {
      this.sessionId = from.sessionId;
      this.start = from.start;
      this.firstAt = from.firstAt;
      this.cwd = from.cwd;
      this.version = from.version;
      this.parent = from.parent;
      this.calls = [...from.calls];
    }
  }

  state(): QwenState | null {
    if (this.whole) return null;
    const { sessionId, start, firstAt, cwd, version, parent, calls } = this;
    return { sessionId, start, firstAt, cwd, version, parent, calls };
  }

  /** Only the usage is needed: records without usage need not be decoded once the session is known. */
  private get usageOnly(): boolean {
    return !this.needs.messages && !this.needs.toolCalls && this.needs.toolOutputs !== true;
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (end === start) return;
    if (buffer[start] !== 0x7b) {
      this.sink.malformed(lineNumber, 'not a Qwen Code chat record (not a JSON object)');
      return;
    }
    if (buffer[end - 1] !== 0x7d) {
      this.sink.malformed(lineNumber, 'incomplete line (cut short)');
      return;
    }
    if (this.sessionId !== undefined && this.usageOnly && !mayHold(buffer.subarray(start, end), USAGE_KEY)) return;
    const record = decodeObject(buffer, start, end, lineNumber, this.sink);
    if (record !== undefined) this.record(record, lineNumber);
  }

  private record(record: Json, lineNumber: number): void {
    const type = record.type;
    if (typeof type !== 'string' || !RECORD_TYPES.has(type)) {
      const version = str(record.version) ?? this.version;
      this.sink.malformed(
        lineNumber,
        `a record of type ${JSON.stringify(type)}${version === undefined ? '' : ` (Qwen Code ${version})`}, which seq does not know: skipped; a newer seq may read it`,
      );
      return;
    }
    const sessionId = str(record.sessionId);
    const timestamp = str(record.timestamp);
    const forkedFrom = isObject(record.forkedFrom) ? record.forkedFrom : undefined;
    const copy = forkedFrom !== undefined;
    this.firstAt ??= timestamp;
    if (!copy) this.start ??= timestamp;
    if (this.sessionId === undefined && sessionId !== undefined) {
      this.cwd = str(record.cwd);
      this.version = str(record.version);
      this.parent = str(forkedFrom?.sessionId);
      this.announce(sessionId, undefined);
    }
    if (type === 'assistant') {
      this.assistant(record, timestamp, lineNumber, copy ? (str(forkedFrom.sessionId) ?? sessionId) : sessionId, copy);
    } else if (copy) {
      // A record /branch copied: its message and tool result were told in the session it was made in.
    } else if (type === 'user') {
      this.user(record, timestamp);
    } else if (type === 'tool_result') {
      this.toolResult(record, timestamp);
    }
  }

  private announce(sessionId: string, timestamp: string | undefined): void {
    this.sessionId = sessionId;
    this.start ??= timestamp;
    this.sink.event(this.sessionEvent(sessionId));
  }

  private sessionEvent(sessionId: string): SessionEvent {
    return {
      kind: 'session',
      sessionId,
      parentSessionId: this.parent,
      start: this.start,
      cwd: this.cwd,
      client: undefined,
      version: this.version,
      sidechain: false,
    };
  }

  private assistant(record: Json, timestamp: string | undefined, lineNumber: number, sessionId: string | undefined, copy: boolean): void {
    if (this.needs.tokens && record.usageMetadata !== undefined) {
      const uuid = str(record.uuid);
      const id = uuid ?? `${sessionId ?? this.sessionId}@${timestamp ?? lineNumber}`;
      this.usage(lineNumber, record.usageMetadata, usageMetadataTokens, {
        sessionId: sessionId ?? this.sessionId,
        timestamp,
        model: str(record.model),
        id,
        requestId: id,
      });
    }
    if (copy) return;
    const list = parts(record.message);
    if (this.needs.messages) {
      const text = texts(list).join('');
      if (text !== '') this.sink.event({ kind: 'message', role: 'assistant', text, timestamp, command: undefined, id: str(record.uuid) });
    }
    if (!this.needs.toolCalls) return;
    for (const part of list) {
      const call = part.functionCall;
      if (!isObject(call)) continue;
      const event = toolCall(str(call.name) ?? '', isObject(call.args) ? call.args : {}, str(call.id), undefined, timestamp);
      // Its status is in the tool_result record that follows: the call is told then.
      if (event.callId === undefined) this.sink.event(event);
      else this.calls.push(event);
    }
  }

  /** A request's usage; the record is told as malformed where its counts are none. */
  private usage(
    lineNumber: number,
    raw: unknown,
    tokensOf: (raw: Json) => UsageTokens | string,
    at: { sessionId: string | undefined; timestamp: string | undefined; model: string | undefined; id: string; requestId: string },
  ): void {
    if (!isObject(raw)) {
      this.sink.malformed(lineNumber, `usage of ${JSON.stringify(raw).slice(0, 40)}, not an object of counts: skipped`);
      return;
    }
    const tokens = tokensOf(raw);
    if (typeof tokens === 'string') {
      this.sink.malformed(lineNumber, tokens);
      return;
    }
    this.sink.event({
      kind: 'usage',
      sessionId: at.sessionId,
      timestamp: at.timestamp,
      model: at.model,
      messageId: at.id,
      requestId: at.requestId,
      sidechain: false,
      tokens,
    });
  }

  private user(record: Json, timestamp: string | undefined): void {
    // Subtypes (notification, cron, mid_turn_user_message, ...) are turns Qwen Code wrote, not the user.
    if (!this.needs.messages || record.subtype !== undefined) return;
    const payload = isObject(record.systemPayload) ? record.systemPayload : undefined;
    const typed = str(payload?.displayText);
    const text =
      typed ??
      texts(parts(record.message))
        .filter((t) => !t.startsWith(SESSION_CONTEXT))
        .join('\n');
    if (text !== '') this.sink.event({ kind: 'message', role: 'user', text, timestamp, command: undefined, id: str(record.uuid) });
  }

  private toolResult(record: Json, timestamp: string | undefined): void {
    const result = isObject(record.toolCallResult) ? record.toolCallResult : undefined;
    const response = parts(record.message)
      .map((part) => part.functionResponse)
      .find(isObject);
    const callId = str(result?.callId) ?? str(response?.id);
    const status = str(result?.status);
    if (this.needs.toolCalls && callId !== undefined) {
      const at = this.calls.findIndex((call) => call.callId === callId);
      if (at >= 0) {
        const [call] = this.calls.splice(at, 1);
        if (call !== undefined) this.sink.event({ ...call, status });
      }
    }
    if (this.needs.toolOutputs === true) {
      const output = isObject(response?.response) ? response.response : undefined;
      // What the model was given back; resultDisplay is what the user saw (often a diff, or empty).
      const text = str(output?.output) ?? str(output?.error) ?? (output === undefined ? (str(result?.resultDisplay) ?? '') : JSON.stringify(output));
      this.sink.event({
        kind: 'tool_output',
        callId,
        timestamp,
        outputLength: codePointLength(text),
        originalTokenCount: undefined,
        isError: status === undefined ? undefined : status !== 'success',
      });
    }
  }

  /** Tool calls whose result never came are told without a status; the session again, with its start now known (the datasets merge). */
  finish(): void {
    for (const call of this.calls) this.sink.event(call);
    this.calls = [];
    if (this.sessionId !== undefined && !this.whole) this.sink.event({ ...this.sessionEvent(this.sessionId), start: this.start ?? this.firstAt });
  }

  /** A legacy session: one document `{sessionId, projectHash, startTime, messages[]}`. */
  document(doc: Json): void {
    this.whole = true;
    const sessionId = str(doc.sessionId);
    if (sessionId === undefined || !Array.isArray(doc.messages)) {
      this.sink.malformed(1, 'a legacy Qwen Code session needs "sessionId" and a "messages" array; this document has not both: skipped');
      return;
    }
    this.announce(sessionId, str(doc.startTime));
    for (const message of doc.messages) {
      if (!isObject(message)) continue;
      const timestamp = str(message.timestamp);
      const content = this.legacyText(message.content);
      // A message's id is unique in its session only.
      const own = str(message.id);
      const id = own === undefined ? undefined : `${sessionId}/${own}`;
      if (message.type === 'user') {
        if (this.needs.messages && content !== '') this.sink.event({ kind: 'message', role: 'user', text: content, timestamp, command: undefined, id });
        continue;
      }
      if (message.type !== 'qwen') continue;
      if (this.needs.tokens && message.tokens !== undefined) {
        const request = own ?? timestamp ?? String(doc.messages.indexOf(message));
        this.usage(1, message.tokens, legacyTokens, { sessionId, timestamp, model: str(message.model), id: `${sessionId}/${request}`, requestId: request });
      }
      if (this.needs.messages && content !== '') this.sink.event({ kind: 'message', role: 'assistant', text: content, timestamp, command: undefined, id });
      if (this.needs.toolCalls && Array.isArray(message.toolCalls)) {
        for (const call of message.toolCalls) {
          if (!isObject(call)) continue;
          this.sink.event(
            toolCall(str(call.name) ?? '', isObject(call.args) ? call.args : {}, str(call.id), str(call.status), str(call.timestamp) ?? timestamp),
          );
        }
      }
    }
  }

  /** A legacy message's content: a string, or Gemini parts. */
  private legacyText(content: unknown): string {
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) return texts(content.filter(isObject)).join('');
    return isObject(content) ? texts([content]).join('') : '';
  }
}
