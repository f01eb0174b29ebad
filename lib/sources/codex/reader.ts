/**
 * Reads OpenAI Codex CLI rollouts into events, every generation of its format: the envelope
 * lines of 0.4x and later (`{timestamp, type, payload}`), the bare items of the first Rust
 * versions (G1/G2, no envelope, no timestamps), and the single JSON document of the TypeScript
 * CLI (G0). A line's kind is read from its first bytes, so lines no dataset needs are never
 * decoded. Fork and subagent files replay their parent's history; that replay is not counted.
 */
import { inexactCount, repairedCount, TOKEN_KEYS, tokenCounts, type EventSink, type TokenCounts } from '../common/events.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { patchStats } from './patches.js';
import { tokenLine } from './token-line.js';
import { EnvelopeHead } from './envelope.js';

import { decodeObject, isObject, type Json, str } from '../common/json-values.js';
import { contentText, idFromPath, outputText, parentOf, turnStartMs } from './payloads.js';
import { nodeCrypto } from '../../base/builtins.js';
import { instantMs } from '../../time/iso.js';
import { codePointLength } from '../../base/code-points.js';
const ORIGINAL_TOKENS = /^Original token count: (\d+)$/gm;
const TOOL_KINDS = new Set(['function_call', 'custom_tool_call']);
const OUTPUT_KINDS = new Set(['function_call_output', 'custom_tool_call_output']);
/** What a Codex reader knows after some lines: enough to read on from there (the cache keeps it). */
export interface CodexState {
  generation: 'unknown' | 'envelope' | 'bare';
  ownSession: boolean;
  child: boolean;
  inReplay: boolean;
  replayTotal: TokenCounts | undefined;
  pendingBaseline: TokenCounts | undefined;
  model: string | undefined;
  sessionStart: string | undefined;
  /** When a child session began (its header's time): its own turns start at or after it, its parent's before. */
  childStart: string | undefined;
  sessionId: string | undefined;
}

export class CodexReader implements LogReader {
  private generation: CodexState['generation'] = 'unknown';
  private ownSession = false;
  private child = false;
  private inReplay = false;
  private replayTotal: TokenCounts | undefined;
  private pendingBaseline: TokenCounts | undefined;
  private model: string | undefined;
  private sessionStart: string | undefined;
  private childStart: string | undefined;
  private sessionId: string | undefined;
  /** The line being read, decoded: at once where its spelling was not Codex's own, else when first asked for. */
  private current: Json | undefined;
  private readonly head = new EnvelopeHead();

  constructor(
    private readonly path: string,
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: CodexState,
  ) {
    if (from) {
      this.generation = from.generation;
      this.ownSession = from.ownSession;
      this.child = from.child;
      this.inReplay = from.inReplay;
      this.replayTotal = from.replayTotal;
      this.pendingBaseline = from.pendingBaseline;
      this.model = from.model;
      this.sessionStart = from.sessionStart;
      this.childStart = from.childStart;
      this.sessionId = from.sessionId;
    }
  }

  state(): CodexState {
    const { generation, ownSession, child, inReplay, replayTotal, pendingBaseline, model, sessionStart, childStart, sessionId } = this;
    return { generation, ownSession, child, inReplay, replayTotal, pendingBaseline, model, sessionStart, childStart, sessionId };
  }

  /** `[start, end)` is one record, without the whitespace around it. */
  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (end === start) return;
    if (this.generation === 'bare') {
      this.bareLine(this.parse(buffer, start, end, lineNumber), lineNumber);
      return;
    }
    const head = this.head;
    // The payload's type is read from the bytes only where it is the payload's first member.
    if (
      head.read(buffer, start, end) &&
      (head.payloadType !== undefined || (head.type !== 'event_msg' && head.type !== 'response_item')) &&
      buffer[end - 1] === 0x7d
    ) {
      this.generation = 'envelope';
      this.current = undefined;
      this.envelopeLine(head.type, head.payloadType, undefined, buffer, start, end, lineNumber);
      return;
    }
    if (buffer[start] !== 0x7b) {
      if (this.generation === 'unknown') this.bareLine(this.parse(buffer, start, end, lineNumber), lineNumber);
      else this.sink.malformed(lineNumber, 'not a Codex rollout record');
      return;
    }
    if (buffer[end - 1] !== 0x7d) {
      this.sink.malformed(lineNumber, 'incomplete line (cut short)');
      return;
    }
    const line = this.parse(buffer, start, end, lineNumber);
    if (line === undefined) return;
    if (this.generation === 'unknown' && (typeof line.type !== 'string' || !('payload' in line))) {
      this.generation = 'bare';
      this.bareLine(line, lineNumber);
      return;
    }
    if (typeof line.type !== 'string') {
      this.sink.malformed(lineNumber, 'not a Codex rollout record');
      return;
    }
    this.generation = 'envelope';
    this.current = line;
    const payloadType = isObject(line.payload) ? str(line.payload.type) : undefined;
    this.envelopeLine(line.type, payloadType, str(line.timestamp) ?? '', buffer, start, end, lineNumber);
  }

  private record(buffer: Buffer, start: number, end: number, lineNumber: number): Json | undefined {
    this.current ??= this.parse(buffer, start, end, lineNumber);
    return this.current;
  }

  private parse(buffer: Buffer, start: number, end: number, lineNumber: number): Json | undefined {
    return decodeObject(buffer, start, end, lineNumber, this.sink);
  }

  /** `timestamp`: the line's own ('' when it has none); undefined where it is the head's (read when needed). */
  private envelopeLine(
    type: string,
    payloadType: string | undefined,
    timestamp: string | undefined,
    buffer: Buffer,
    start: number,
    end: number,
    lineNumber: number,
  ): void {
    if (type === 'session_meta') {
      const line = this.record(buffer, start, end, lineNumber);
      if (line && isObject(line.payload)) this.sessionMeta(line.payload, str(line.timestamp));
      return;
    }
    if (type !== 'event_msg' && type !== 'response_item') payloadType = undefined;
    if (this.inReplay) {
      // The parent's history, replayed: skipped up to the child's own first turn. The parent's
      // turns start in the replay too, each written again at the time of the copy: a turn is
      // the child's where it began at or after the child did (turnStartMs).
      const childTurn = payloadType === 'task_started' && this.childsTurn(buffer, start, end, lineNumber, timestamp);
      if (childTurn || type.startsWith('inter_agent_communication')) {
        this.inReplay = false;
        this.pendingBaseline = this.replayTotal;
      } else if (payloadType === 'token_count' && this.needs.tokens) {
        const read = this.current === undefined ? tokenLine(buffer, start, end) : undefined;
        if (read !== undefined) {
          if (read.counters) this.replayTotal = read.counters.total;
          return;
        }
        const line = this.record(buffer, start, end, lineNumber);
        const info = line && isObject(line.payload) ? line.payload.info : undefined;
        const total = isObject(info) ? tokenCounts(info.total_token_usage) : undefined;
        const inexact = inexactCount(info);
        if (inexact !== undefined) this.sink.malformed(lineNumber, inexact);
        else if (total) this.replayTotal = total;
      }
      return;
    }
    if (type === 'turn_context') {
      if (!this.needs.tokens) return;
      const line = this.record(buffer, start, end, lineNumber);
      const payload = line && isObject(line.payload) ? line.payload : undefined;
      if (!payload) return;
      const mode = isObject(payload.collaboration_mode) && isObject(payload.collaboration_mode.settings) ? payload.collaboration_mode.settings : undefined;
      this.model = str(payload.model) ?? str(mode?.model) ?? this.model;
      return;
    }
    if (payloadType === undefined) return;
    const wanted =
      (payloadType === 'token_count' && this.needs.tokens) ||
      ((payloadType === 'message' || payloadType === 'user_message' || payloadType === 'agent_message') && this.needs.messages) ||
      (TOOL_KINDS.has(payloadType) && this.needs.toolCalls) ||
      (OUTPUT_KINDS.has(payloadType) && this.needs.toolOutputs === true);
    if (!wanted) return;
    if (payloadType === 'token_count' && type === 'event_msg' && this.current === undefined) {
      const read = tokenLine(buffer, start, end);
      if (read !== undefined) {
        if (read.counters) this.tokenCount(read.timestamp, read.counters.total, read.counters.last, read.counters.modelContextWindow);
        return;
      }
    }
    const line = this.record(buffer, start, end, lineNumber);
    if (!line || !isObject(line.payload)) return;
    const lineTime = str(line.timestamp);
    if (type === 'event_msg') this.eventMessage(line.payload, lineTime, lineNumber);
    else this.responseItem(line.payload, lineTime, lineNumber);
  }

  /** Whether a task_started line of a replay begins one of the child's own turns. */
  private childsTurn(buffer: Buffer, start: number, end: number, lineNumber: number, timestamp: string | undefined): boolean {
    const line = this.record(buffer, start, end, lineNumber);
    const payload = line && isObject(line.payload) ? line.payload : {};
    const began = turnStartMs(payload, timestamp ?? this.head.time(buffer));
    const childBegan = instantMs(this.childStart ?? '');
    return Number.isNaN(childBegan) || Number.isNaN(began) || began >= childBegan;
  }

  /**
   * A message's identity, the same in every copy of the rollout: the session, the line's time,
   * the role and a digest of the text (the two copies Codex writes of one message share it).
   */
  private messageId(timestamp: string | undefined, role: string, text: string): string | undefined {
    if (timestamp === undefined || this.sessionId === undefined) return undefined;
    return `${this.sessionId} ${timestamp} ${role} ${nodeCrypto().hash('sha1', text, 'base64').slice(0, 16)}`;
  }

  private sessionMeta(payload: Json, lineTimestamp: string | undefined): void {
    if (this.ownSession) {
      // A second header: a child file replaying its parent (a resumed file's repeat is ignored).
      if (this.child) {
        this.inReplay = true;
        this.replayTotal = undefined;
      }
      return;
    }
    this.ownSession = true;
    const parent = parentOf(payload);
    this.child = parent !== undefined;
    if (this.child) this.childStart = str(payload.timestamp) ?? lineTimestamp;
    this.sessionStart = str(payload.timestamp) ?? lineTimestamp;
    const sessionId = str(payload.session_id) ?? str(payload.id) ?? idFromPath(this.path);
    this.sessionId = sessionId;
    this.sink.event({
      kind: 'session',
      sessionId,
      parentSessionId: parent,
      start: this.sessionStart,
      cwd: str(payload.cwd),
      client: str(payload.originator),
      version: str(payload.cli_version),
      sidechain: false,
    });
  }

  private eventMessage(payload: Json, timestamp: string | undefined, lineNumber: number): void {
    switch (payload.type) {
      case 'user_message':
      case 'agent_message': {
        const text = str(payload.message);
        if (text !== undefined) {
          const role = payload.type === 'user_message' ? 'user' : 'assistant';
          this.sink.event({ kind: 'message', role, text, timestamp, command: undefined, id: this.messageId(timestamp, role, text) });
        }
        return;
      }
      case 'token_count': {
        const info = payload.info;
        if (info === null || info === undefined) return; // a rate-limit refresh without usage
        const total = isObject(info) ? tokenCounts(info.total_token_usage) : undefined;
        if (!isObject(info) || !total) {
          this.sink.malformed(lineNumber, 'token_count whose counters are not non-negative numbers');
          return;
        }
        const inexact = inexactCount(info);
        if (inexact !== undefined) {
          this.sink.malformed(lineNumber, inexact);
          return;
        }
        const repaired = repairedCount(info.total_token_usage, TOKEN_KEYS);
        if (repaired !== undefined) this.sink.repaired(lineNumber, repaired);
        this.tokenCount(
          timestamp,
          total,
          tokenCounts(info.last_token_usage),
          typeof info.model_context_window === 'number' ? info.model_context_window : undefined,
        );
        return;
      }
    }
  }

  private tokenCount(timestamp: string | undefined, total: TokenCounts, last: TokenCounts | undefined, modelContextWindow: number | undefined): void {
    this.sink.event({
      kind: 'token_count',
      timestamp,
      model: this.model,
      total,
      last,
      modelContextWindow,
      baseline: this.pendingBaseline,
      session: this.sessionId,
    });
    this.pendingBaseline = undefined;
  }

  private responseItem(payload: Json, timestamp: string | undefined, lineNumber: number): void {
    if (OUTPUT_KINDS.has(String(payload.type))) {
      if (this.needs.toolOutputs !== true) return;
      const { text, exitCode } = outputText(payload.output);
      // An output may hold several (a command run in parts): every one is summed.
      let tokens: number | undefined;
      for (const m of text.matchAll(ORIGINAL_TOKENS)) tokens = (tokens ?? 0) + Number(m[1]);
      if (tokens !== undefined && tokens > Number.MAX_SAFE_INTEGER) {
        this.sink.malformed(
          lineNumber,
          `its "Original token count" comes to ${tokens.toExponential(3)}, beyond 2^53: it cannot be counted exactly, so the output is skipped`,
        );
        return;
      }
      this.sink.event({
        kind: 'tool_output',
        callId: str(payload.call_id),
        timestamp,
        outputLength: codePointLength(text),
        originalTokenCount: tokens,
        isError: exitCode === undefined ? undefined : exitCode !== 0,
      });
      return;
    }
    if (payload.type === 'message') {
      const role = str(payload.role);
      if (role === undefined) return;
      const text = contentText(payload.content);
      this.sink.event({ kind: 'message', role, text, timestamp, command: undefined, id: this.messageId(timestamp, role, text) });
      return;
    }
    if (payload.type === 'function_call' || payload.type === 'custom_tool_call') {
      const custom = payload.type === 'custom_tool_call';
      const name = str(payload.name) ?? '';
      const input = custom ? str(payload.input) : undefined;
      const args = custom ? undefined : str(payload.arguments);
      const patch = custom && name === 'apply_patch' && input !== undefined ? patchStats(input) : undefined;
      this.sink.event({
        kind: 'tool_call',
        callKind: payload.type,
        tool: name,
        callId: str(payload.call_id),
        argumentsLength: args === undefined ? undefined : codePointLength(args),
        inputLength: input === undefined ? undefined : codePointLength(input),
        status: str(payload.status),
        timestamp,
        skill: undefined,
        filesChanged: patch?.files,
        linesAdded: patch?.linesAdded,
      });
    }
  }

  /** G1/G2: the first line is the session header; then bare response items, without timestamps. */
  private bareLine(line: Json | undefined, lineNumber: number): void {
    if (line === undefined) return;
    if (!this.ownSession) {
      if (typeof line.id === 'string' && line.type === undefined) {
        this.sessionMeta(line, str(line.timestamp));
        return;
      }
      this.sessionMeta({ id: idFromPath(this.path) }, undefined);
    }
    if (line.record_type !== undefined || typeof line.type !== 'string') return;
    const wanted =
      (line.type === 'message' && this.needs.messages) ||
      (TOOL_KINDS.has(line.type) && this.needs.toolCalls) ||
      (OUTPUT_KINDS.has(line.type) && this.needs.toolOutputs === true);
    if (wanted) this.responseItem(line, this.sessionStart, lineNumber);
    else if (line.type === 'message' || TOOL_KINDS.has(line.type) || line.type === 'reasoning' || line.type.endsWith('_output')) return;
    else if (lineNumber === 1) this.sink.malformed(lineNumber, 'not a Codex rollout record');
  }

  /** G0: one JSON document `{session, items}` (the TypeScript CLI), as recogniseDocument knows it. */
  document(value: Record<string, unknown>): void {
    if (!isObject(value.session) || !Array.isArray(value.items)) {
      this.sink.malformed(1, 'a JSON document without "session" and "items"');
      return;
    }
    this.generation = 'bare';
    this.sessionMeta(value.session, str(value.session.timestamp));
    for (const item of value.items) {
      if (
        isObject(item) &&
        typeof item.type === 'string' &&
        ((item.type === 'message' && this.needs.messages) || (TOOL_KINDS.has(item.type) && this.needs.toolCalls))
      ) {
        this.responseItem(item, this.sessionStart, 1);
      }
    }
  }
}
