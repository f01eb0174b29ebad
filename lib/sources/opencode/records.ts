/**
 * OpenCode's records, as its database rows and its older per-file JSON storage both hold them
 * (a row's `data` is the file's document less its ids): a session, a message (an assistant
 * message is one model turn, with its tokens and cost), a part (text, tool call, ...). Each is
 * turned into events here, the same way from either store, with the same ids, so that a message
 * kept in both (OpenCode copies its JSON storage into the database and leaves the files) is
 * counted once by the datasets.
 */
import { isObject, nonEmptyStr, type Json } from '../common/json-values.js';
import { lineCount, linesReplaced } from '../common/edits.js';
import { inexactCount, type EditStats, type EventSink, type SessionEvent, type UsageEvent, type UsageTokens } from '../common/events.js';
import type { ReaderNeeds } from '../common/source.js';
import { codePointLength } from '../../base/code-points.js';

/** A time in ms since the epoch (OpenCode writes every time so), as ISO text. */
export function isoTime(ms: unknown): string | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A session as the `session` table or a `storage/session/<project>/<id>.json` file gives it. */
export interface SessionRecord {
  id: string;
  parentId: string | undefined;
  createdMs: unknown;
  directory: string | undefined;
  version: string | undefined;
}

export function sessionEvent(sessionId: string, record?: SessionRecord): SessionEvent {
  return {
    kind: 'session',
    sessionId,
    parentSessionId: record?.parentId,
    start: isoTime(record?.createdMs),
    cwd: record?.directory,
    // OpenCode names no client (terminal, desktop, IDE) in its records.
    client: undefined,
    version: record?.version,
    // A subagent's session is a session of its own, linked by parentSessionId; its usage is its own.
    sidechain: false,
  };
}

/** A session JSON file's fields (the table's columns have other names: database.ts reads those). */
export function sessionFromDocument(document: Json): SessionRecord | undefined {
  const id = nonEmptyStr(document.id);
  if (id === undefined) return undefined;
  const time = isObject(document.time) ? document.time : {};
  return {
    id,
    parentId: nonEmptyStr(document.parentID),
    createdMs: time.created,
    directory: nonEmptyStr(document.directory),
    version: nonEmptyStr(document.version),
  };
}

/**
 * Whether a message is a copy that a fork made of its source session's history: OpenCode copies
 * each earlier message whole (its time, tokens, cost and parts) under a new id into the new
 * session, which it made first, so the copy is older than its session. The source's message is
 * the one counted, by every dataset.
 */
export function forkedCopy(messageCreatedMs: unknown, sessionCreatedMs: unknown): boolean {
  return typeof messageCreatedMs === 'number' && typeof sessionCreatedMs === 'number' && messageCreatedMs < sessionCreatedMs;
}

/** A message's time of creation, as its data holds it. */
export function createdMs(message: Json): unknown {
  return isObject(message.time) ? message.time.created : undefined;
}

const COUNTS = ['input', 'output', 'reasoning'] as const;

/** A token count as OpenCode writes it: a whole number from 0 (absent counts as 0). */
function count(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** A total, when written: NaN for one that is no count. */
function totalCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return count(value) ?? NaN;
}

/**
 * An assistant message's tokens in seq's vocabulary, or what is wrong with them. OpenCode's
 * `output` leaves reasoning out in current versions (their `total` counts both) and holds it in
 * older ones (no `total`, or a `total` without reasoning): seq's output_tokens always holds it.
 */
export function messageTokens(tokens: Json): UsageTokens | string {
  const inexact = inexactCount(tokens, 'tokens.');
  if (inexact !== undefined) return inexact;
  const cache = tokens.cache === undefined ? {} : tokens.cache;
  if (!isObject(cache)) return `tokens.cache is ${JSON.stringify(cache)}, not an object of counts`;
  const [input, output, reasoning] = COUNTS.map((key) => count(tokens[key]));
  const read = count(cache.read);
  const write = count(cache.write);
  // Older OpenCode writes no total.
  const total = totalCount(tokens.total);
  if (input === undefined || output === undefined || reasoning === undefined || read === undefined || write === undefined || Number.isNaN(total)) {
    return `tokens ${JSON.stringify(tokens)} hold something other than counts`;
  }
  const base = input + output + read + write;
  // Which way `output` was written: by `total` where it tells (with reasoning: output excludes it).
  const exclusive = total !== undefined && (total === base + reasoning || (total !== base && reasoning > output));
  const outputTokens = exclusive ? output + reasoning : output;
  return {
    input_tokens: input,
    cache_read_tokens: read,
    cache_write_tokens: write,
    cache_write_1h_tokens: 0,
    output_tokens: outputTokens,
    reasoning_tokens: reasoning,
    total_tokens: input + read + write + outputTokens,
  };
}

/**
 * The usage of one message (a database row's `data` with its ids, or a message file), or
 * undefined for one that is not a model turn with tokens (a user message, an aborted call with
 * nothing counted). `problem` is told what is wrong with a message that cannot be counted.
 */
export function messageUsage(messageId: string, sessionId: string, data: Json, problem: (reason: string) => void): UsageEvent | undefined {
  if (data.role !== 'assistant' || data.tokens === undefined) return undefined;
  if (!isObject(data.tokens)) {
    problem(`message ${messageId}: tokens is ${JSON.stringify(data.tokens)}, not an object; an OpenCode version seq does not know? Its usage is skipped`);
    return undefined;
  }
  const tokens = messageTokens(data.tokens);
  if (typeof tokens === 'string') {
    problem(`message ${messageId}: ${tokens}; its usage is skipped`);
    return undefined;
  }
  if (tokens.total_tokens === 0) return undefined;
  const time = isObject(data.time) ? data.time : {};
  const cost = data.cost;
  return {
    kind: 'usage',
    sessionId,
    timestamp: isoTime(time.created),
    model: nonEmptyStr(data.modelID),
    // Message ids are OpenCode's own, unique across its sessions; the same in the database and its JSON copy.
    messageId,
    requestId: messageId,
    sidechain: false,
    tokens,
    ...(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { loggedCostUsd: cost } : {}),
  };
}

/** What OpenCode's editing tools changed, from their input: `write` (its content), `edit` (new text over old). */
function editStats(tool: unknown, input: unknown): EditStats | undefined {
  if (!isObject(input) || typeof input.filePath !== 'string') return undefined;
  if (tool === 'write') return { files: [input.filePath], linesAdded: lineCount(input.content) };
  if (tool === 'edit') return { files: [input.filePath], linesAdded: linesReplaced(input.newString, input.oldString) };
  return undefined;
}

/** What a part's events need of its message: its role and time. */
export interface MessageContext {
  role: string | undefined;
  createdMs: unknown;
}

/**
 * The events of one part: a message for a text part that the user or the model wrote (not one
 * OpenCode added itself), a tool call for a tool part. Other parts (reasoning, steps, files,
 * patches, snapshots) tell nothing here: the message carries the turn's tokens.
 */
export function partEvents(partId: string, data: Json, message: MessageContext | undefined, needs: ReaderNeeds, sink: EventSink): void {
  const time = isObject(data.time) ? data.time : {};
  if (data.type === 'text') {
    const role = message?.role;
    if (!needs.messages || (role !== 'user' && role !== 'assistant')) return;
    if (data.synthetic === true || data.ignored === true || typeof data.text !== 'string') return;
    sink.event({
      kind: 'message',
      role,
      text: data.text,
      timestamp: isoTime(time.start) ?? isoTime(message?.createdMs),
      command: undefined,
      // Part ids are unique across sessions and the same in both stores.
      id: partId,
    });
    return;
  }
  if (data.type !== 'tool' || !needs.toolCalls) return;
  const state = isObject(data.state) ? data.state : {};
  const stateTime = isObject(state.time) ? state.time : {};
  const edit = editStats(data.tool, state.input);
  sink.event({
    kind: 'tool_call',
    callKind: 'tool',
    tool: nonEmptyStr(data.tool) ?? 'unknown',
    callId: nonEmptyStr(data.callID) ?? partId,
    argumentsLength: state.input === undefined ? undefined : codePointLength(JSON.stringify(state.input)),
    inputLength: undefined,
    status: nonEmptyStr(state.status),
    timestamp: isoTime(stateTime.start) ?? isoTime(message?.createdMs),
    skill: undefined,
    filesChanged: edit?.files,
    linesAdded: edit?.linesAdded,
  });
}
