/**
 * Copilot CLI's session state, `session-state/<sessionId>/events.jsonl`: one event a line,
 * `{type, data, id, timestamp, parentId}`, written for every session. It is read for the
 * session, its messages and its tool calls, and for its only token counts: each shutdown's
 * cumulative totals per model, told as what they added since the shutdown before (a resumed
 * session shuts down again with larger totals). Those totals stand for that run of the session
 * only where no OpenTelemetry export holds a request of it between the two shutdowns
 * (lib/datasets/requests.ts): the spans give the same tokens request by request.
 */
import { basename, dirname } from 'node:path';
import { inexactCount, type EventSink, type SessionEvent, type UsageTokens } from '../common/events.js';
import type { ReaderNeeds } from '../common/source.js';
import { mayHold } from '../common/json-bytes.js';
import { isObject, nonEmptyStr, type Json } from '../common/json-values.js';
import { decodeLine, isCount, modelName } from './json.js';
import { codePointLength } from '../../base/code-points.js';

/** The event types are namespaced with dots (`session.start`, `tool.execution_complete`): no Claude or Codex line type has one. */
const EVENT_TYPE = /^[a-z][a-zA-Z_]*(?:\.[a-zA-Z_]+)+$/;
/** The version of `session.start` this reader follows. */
const KNOWN_VERSION = 1;
const SESSION_START = Buffer.from('"session.start"');
const SHUTDOWN = Buffer.from('"session.shutdown"');
/** A shutdown's counts of a model, as `modelMetrics.<model>.usage` names them; input holds the cache reads and writes. */
const TOTALS = ['inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens'] as const;

/** A model's totals at a shutdown: requests, then the counts in TOTALS's order. */
type ModelTotals = [number, number, number, number, number];

/** Whether a decoded record is a session-state event. */
export function eventRecognition(record: Json): 'surely' | false {
  return typeof record.type === 'string' && EVENT_TYPE.test(record.type) && isObject(record.data) && !('payload' in record) ? 'surely' : false;
}

/** A tool call requested and not yet completed: told once its completion (or the file's end) is read. */
interface PendingCall {
  callId: string;
  callKind: string;
  tool: string;
  argumentsLength: number | undefined;
  timestamp: string | undefined;
}

/** What a session-state reader knows after some lines: enough to read on from there. */
export interface EventsState {
  kind: 'events';
  sessionId: string | undefined;
  start: string | undefined;
  cwd: string | undefined;
  client: string | undefined;
  version: string | undefined;
  pending: PendingCall[];
  /** Each model's totals at the last shutdown read, and when it was. */
  shutdown: Array<[string, ModelTotals]>;
  shutdownAt: string | undefined;
}

function argumentsLength(args: unknown): number | undefined {
  if (typeof args === 'string') return codePointLength(args);
  return args === undefined || args === null ? undefined : codePointLength(JSON.stringify(args));
}

/** The session a file is of by its place: `<id>/events.jsonl`, or the older flat `<id>.jsonl`. */
function sessionOfPath(path: string): string | undefined {
  const name = basename(path);
  const id = name === 'events.jsonl' ? basename(dirname(path)) : name.replace(/\.jsonl$/, '');
  return id === '' || id === '.' ? undefined : id;
}

export class EventsReader {
  private sessionId: string | undefined;
  private start: string | undefined;
  private cwd: string | undefined;
  private client: string | undefined;
  private version: string | undefined;
  private readonly pending = new Map<string, PendingCall>();
  private readonly shutdown = new Map<string, ModelTotals>();
  private shutdownAt: string | undefined;

  constructor(
    private readonly path: string,
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: EventsState,
  ) {
    if (from) {
      this.sessionId = from.sessionId;
      this.start = from.start;
      this.cwd = from.cwd;
      this.client = from.client;
      this.version = from.version;
      for (const call of from.pending) this.pending.set(call.callId, call);
      for (const [model, totals] of from.shutdown) this.shutdown.set(model, totals);
      this.shutdownAt = from.shutdownAt;
    }
  }

  state(): EventsState {
    const { sessionId, start, cwd, client, version } = this;
    return {
      kind: 'events',
      sessionId,
      start,
      cwd,
      client,
      version,
      pending: [...this.pending.values()],
      shutdown: [...this.shutdown],
      shutdownAt: this.shutdownAt,
    };
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    // Without messages and tool calls, only the session's own line is of use, and its shutdowns for tokens.
    if (!this.needs.messages && !this.needs.toolCalls) {
      const bytes = buffer.subarray(start, end);
      if (!mayHold(bytes, SESSION_START) && !(this.needs.tokens && mayHold(bytes, SHUTDOWN))) {
        if (this.sessionId === undefined) this.announce(undefined, undefined);
        return;
      }
    }
    const record = decodeLine(buffer, start, end, lineNumber, this.sink);
    if (record !== undefined) this.record(record, lineNumber);
  }

  record(record: Json, lineNumber: number): void {
    const type = nonEmptyStr(record.type);
    const data = record.data;
    if (type === undefined || !isObject(data)) {
      this.sink.malformed(lineNumber, 'not a Copilot CLI session event (no type or no data): skipped');
      return;
    }
    const timestamp = nonEmptyStr(record.timestamp);
    if (type === 'session.start') {
      this.sessionStart(data, timestamp, lineNumber);
      return;
    }
    if (this.sessionId === undefined) this.announce(undefined, timestamp);
    switch (type) {
      case 'user.message':
        this.message('user', data, record, timestamp);
        break;
      case 'assistant.message':
        this.message('assistant', data, record, timestamp);
        if (this.needs.toolCalls) this.toolRequests(data, timestamp);
        break;
      case 'tool.execution_start':
        if (this.needs.toolCalls) this.executionStart(data, timestamp);
        break;
      case 'tool.execution_complete':
        if (this.needs.toolCalls) this.executionComplete(data);
        break;
      case 'session.shutdown':
        if (this.needs.tokens) this.shutdownTotals(data, record, timestamp, lineNumber);
        break;
    }
  }

  /**
   * A shutdown's totals per model, each told as what it added since the shutdown before: the
   * totals are the session's since it began, and a resumed session shuts down again. A model
   * whose totals fell starts over (a copy of the session resumed apart).
   */
  private shutdownTotals(data: Json, record: Json, timestamp: string | undefined, lineNumber: number): void {
    const metrics = data.modelMetrics;
    if (metrics === undefined) return;
    if (!isObject(metrics)) {
      this.sink.malformed(lineNumber, `session.shutdown's modelMetrics is ${JSON.stringify(metrics)?.slice(0, 40)}, not an object: its tokens are skipped`);
      return;
    }
    const models: Array<[string, ModelTotals]> = [];
    for (const [model, value] of Object.entries(metrics)) {
      const totals = this.modelTotals(model, value, lineNumber);
      if (totals === undefined) return;
      models.push([model, totals]);
    }
    const since = this.shutdownAt;
    this.shutdownAt = timestamp;
    for (const [model, totals] of models) {
      const before = this.shutdown.get(model);
      this.shutdown.set(model, totals);
      const fell = before !== undefined && totals.some((count, i) => count < (before[i] as number));
      const added = before === undefined || fell ? totals : (totals.map((count, i) => count - (before[i] as number)) as ModelTotals);
      if (added.every((count) => count === 0)) continue;
      const [requests, input, read, write, output] = added;
      const uncached = Math.max(0, input - read - write);
      const tokens: UsageTokens = {
        input_tokens: uncached,
        cache_read_tokens: read,
        cache_write_tokens: write,
        cache_write_1h_tokens: 0,
        output_tokens: output,
        reasoning_tokens: 0,
        total_tokens: uncached + read + write + output,
      };
      // The event's id is a UUID, the same in every copy of the file: a copy's totals are counted once.
      const id = nonEmptyStr(record.id);
      this.sink.event({
        kind: 'usage',
        sessionId: this.sessionId,
        timestamp,
        model: modelName(model),
        messageId: id,
        requestId: `session.shutdown ${id ?? timestamp ?? lineNumber} ${model}`,
        sidechain: false,
        tokens,
        sessionTotals: { requests, since },
      });
    }
  }

  /** A model's totals at a shutdown; undefined (told as malformed) where its counts are no counts. */
  private modelTotals(model: string, value: unknown, lineNumber: number): ModelTotals | undefined {
    const usage = isObject(value) && isObject(value.usage) ? value.usage : undefined;
    const requests = isObject(value) && isObject(value.requests) ? value.requests.count : undefined;
    const counts = TOTALS.map((name) => usage?.[name] ?? 0);
    const bad = [requests ?? 0, ...counts].find((count) => !isCount(count));
    if (usage === undefined || bad !== undefined) {
      const inexact = usage === undefined ? undefined : inexactCount(Object.fromEntries(TOTALS.map((name, i) => [name, counts[i]])));
      this.sink.malformed(
        lineNumber,
        inexact ?? `session.shutdown's totals of ${model} are ${JSON.stringify(value)?.slice(0, 80)}, not token counts: the line is skipped`,
      );
      return undefined;
    }
    // Totals that name no count of requests are of one at least.
    return [(requests as number | undefined) ?? 1, ...counts] as ModelTotals;
  }

  private sessionStart(data: Json, timestamp: string | undefined, lineNumber: number): void {
    const version = data.version;
    if (version !== undefined && version !== KNOWN_VERSION) {
      // What the start of an unknown version means is not known; the events after it are read
      // as version 1's, whose types they share, so that its messages and tool calls are not lost.
      this.sink.malformed(
        lineNumber,
        `session-state version ${JSON.stringify(version)?.slice(0, 20)}, where seq knows version ${KNOWN_VERSION}: this session.start is skipped and the session's other events are read as version ${KNOWN_VERSION}'s; a newer seq may read it whole`,
      );
      this.announce(undefined, timestamp);
      return;
    }
    const context = isObject(data.context) ? data.context : {};
    this.cwd ??= nonEmptyStr(context.cwd);
    this.client ??= nonEmptyStr(data.producer);
    this.version ??= nonEmptyStr(data.copilotVersion);
    // A resumed session writes no second start; a copy of one may: the first is the session's.
    this.announce(nonEmptyStr(data.sessionId), nonEmptyStr(data.startTime) ?? timestamp);
  }

  /** Tells the session (again, with what is known now): its id from `session.start`, else from the file's place. */
  private announce(sessionId: string | undefined, start: string | undefined): void {
    this.sessionId ??= sessionId ?? sessionOfPath(this.path);
    this.start ??= start;
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
      sidechain: false,
    };
  }

  private message(role: 'user' | 'assistant', data: Json, record: Json, timestamp: string | undefined): void {
    if (!this.needs.messages) return;
    const text = data.content;
    if (typeof text !== 'string' || text.trim() === '') return;
    // The event's id is a UUID, the same in every copy of the file.
    this.sink.event({ kind: 'message', role, text, timestamp, command: undefined, id: nonEmptyStr(record.id) });
  }

  private toolRequests(data: Json, timestamp: string | undefined): void {
    if (!Array.isArray(data.toolRequests)) return;
    for (const request of data.toolRequests as unknown[]) {
      if (!isObject(request)) continue;
      const callId = nonEmptyStr(request.toolCallId);
      const tool = nonEmptyStr(request.name);
      if (callId === undefined || tool === undefined || this.pending.has(callId)) continue;
      this.pending.set(callId, {
        callId,
        callKind: nonEmptyStr(request.type) ?? 'function',
        tool,
        argumentsLength: argumentsLength(request.arguments),
        timestamp,
      });
    }
  }

  /** A tool run whose request the file does not hold (a session resumed from another file): the run is the call. */
  private executionStart(data: Json, timestamp: string | undefined): void {
    const callId = nonEmptyStr(data.toolCallId);
    const tool = nonEmptyStr(data.toolName);
    if (callId === undefined || tool === undefined || this.pending.has(callId)) return;
    this.pending.set(callId, { callId, callKind: 'function', tool, argumentsLength: argumentsLength(data.arguments), timestamp });
  }

  private executionComplete(data: Json): void {
    const callId = nonEmptyStr(data.toolCallId);
    const call = callId === undefined ? undefined : this.pending.get(callId);
    if (call === undefined) return;
    this.pending.delete(call.callId);
    this.tell(call, data.success === true ? 'success' : data.success === false ? 'failure' : undefined);
  }

  private tell(call: PendingCall, status: string | undefined): void {
    this.sink.event({
      kind: 'tool_call',
      callKind: call.callKind,
      tool: call.tool,
      callId: call.callId,
      argumentsLength: call.argumentsLength,
      inputLength: undefined,
      status,
      timestamp: call.timestamp,
      skill: undefined,
      filesChanged: undefined,
      linesAdded: undefined,
    });
  }

  /** At the end of the file: the calls never completed (cancelled, or still running), and the session with all that is known. */
  finish(): void {
    for (const call of this.pending.values()) this.tell(call, undefined);
    this.pending.clear();
    if (this.sessionId !== undefined) this.sink.event(this.sessionEvent(this.sessionId));
  }
}
