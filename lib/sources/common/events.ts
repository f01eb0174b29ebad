/**
 * The normalized events the log readers produce: everything downstream of lib/sources knows
 * these, and nothing about the two log formats.
 */

/** An agent's name, as its source declares it (registry.ts lists them). */
export type SourceName = string;

export interface SessionEvent {
  kind: 'session';
  sessionId: string;
  /** The session this one was forked or spawned from, when the log says so. */
  parentSessionId: string | undefined;
  start: string | undefined;
  cwd: string | undefined;
  /** The client: Codex `originator` (codex_cli_rs, codex_vscode...), Claude `entrypoint` (cli, sdk-cli...). */
  client: string | undefined;
  /** The agent's version: Codex `cli_version`, Claude Code `version`. */
  version: string | undefined;
  /** True for a Claude subagent transcript (its usage belongs to the parent session). */
  sidechain: boolean;
}

export interface MessageEvent {
  kind: 'message';
  role: string;
  text: string;
  timestamp: string | undefined;
  /** A Claude user message that typed a slash command: the command's name, without the slash. */
  command: string | undefined;
  /**
   * The message's identity, the same in every copy of its session (a resumed or archived copy,
   * an excerpt): Claude the line's uuid and the block's index; Codex the session, the line's
   * time, the role and a digest of the text. Undefined where the log gives none.
   */
  id: string | undefined;
}

/** What an edit changed, from the text the agent sent: files touched and lines added. */
export interface EditStats {
  files: string[];
  linesAdded: number;
}

export interface ToolCallEvent {
  kind: 'tool_call';
  /** function_call, custom_tool_call, local_shell_call, web_search_call (Codex); tool_use (Claude). */
  callKind: string;
  tool: string;
  callId: string | undefined;
  /** Length of the arguments text (Codex function_call) or of the JSON input (Claude). */
  argumentsLength: number | undefined;
  /** Length of a free-form input (Codex custom_tool_call). */
  inputLength: number | undefined;
  status: string | undefined;
  timestamp: string | undefined;
  /** The skill a Claude `Skill` tool call launches. */
  skill: string | undefined;
  /** Files and added lines of an edit, where the call shows them (apply_patch, Edit, Write). */
  filesChanged: string[] | undefined;
  linesAdded: number | undefined;
}

/** Codex's cumulative counters, one token_count event with usage. */
export interface TokenCounts {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}

export const TOKEN_KEYS = ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens'] as const;

export interface TokenCountEvent {
  kind: 'token_count';
  timestamp: string | undefined;
  model: string | undefined;
  total: TokenCounts;
  last: TokenCounts | undefined;
  modelContextWindow: number | undefined;
  /** Set on the first event after a fork's replayed history: the parent's total at the fork. */
  baseline: TokenCounts | undefined;
  /** The session whose counters these are (the same in every copy of the rollout). */
  session: string | undefined;
}

/** One model request's tokens, in the one vocabulary of every source. */
export interface UsageTokens {
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  /** Of cache_write_tokens, those written to be kept an hour (Claude's ephemeral_1h), which cost more. */
  cache_write_1h_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
}

/** A model request's usage as one line gives it (Claude Code repeats it on every line of a response). */
export interface UsageEvent {
  kind: 'usage';
  /** The session the line names (a subagent's lines name their parent's). */
  sessionId: string | undefined;
  timestamp: string | undefined;
  model: string | undefined;
  messageId: string | undefined;
  requestId: string | undefined;
  sidechain: boolean;
  tokens: UsageTokens;
  /** What the log itself says the request cost, in US dollars, where it says (OpenCode). */
  loggedCostUsd?: number;
  /**
   * Not one request but a session's totals of one model since its shutdown before (Copilot CLI's
   * `session.shutdown`): how many requests they sum, and when that shutdown was (undefined for the
   * session's first). Counted only where no exported request of the session falls between the
   * two shutdowns (lib/datasets/requests.ts).
   */
  sessionTotals?: { requests: number; since: string | undefined };
  /** A request that its session's totals give way to (a Copilot CLI export's span). */
  exported?: true;
}

/** What a tool call gave back: Codex function and custom tool outputs, Claude tool_result blocks. */
export interface ToolOutputEvent {
  kind: 'tool_output';
  callId: string | undefined;
  timestamp: string | undefined;
  /** Characters of the output text. */
  outputLength: number;
  /** Codex's `Original token count: N` line (0.104 on), when the output has one. */
  originalTokenCount: number | undefined;
  /** Claude's is_error; Codex's exit code other than 0, where the output says. */
  isError: boolean | undefined;
}

export type LogEvent = SessionEvent | MessageEvent | ToolCallEvent | TokenCountEvent | UsageEvent | ToolOutputEvent;

/** Where a reader sends events, and where it reports a line it could not use. */
export interface EventSink {
  event(event: LogEvent): void;
  malformed(lineNumber: number, reason: string): void;
  /** A line used with a repair (invalid UTF-8 replaced). */
  repaired(lineNumber: number, what: string): void;
}

export function tokenCounts(raw: unknown): TokenCounts | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const out = {} as TokenCounts;
  for (const key of TOKEN_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) {
      out[key] = 0;
    } else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      out[key] = Math.round(value);
    } else {
      return undefined;
    }
  }
  return out;
}

/**
 * A count that a number cannot hold exactly: JSON.parse has already rounded anything from 2^53
 * on, so such a count is reported, never used. Returns what to say, or undefined when every
 * count in `raw` (an object of counts, nested ones included) is exact.
 */
export function inexactCount(raw: unknown, path = ''): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  for (const key in raw) {
    const value: unknown = (raw as Record<string, unknown>)[key];
    if (typeof value === 'number') {
      if (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) {
        return `token count ${path}${key} is ${value.toExponential(3)}, beyond 2^53: it cannot be counted exactly, so the line is skipped`;
      }
    } else if (typeof value === 'object' && value !== null) {
      const nested = inexactCount(value, `${path}${key}.`);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

/**
 * A count used with a repair: a fraction (rounded), or a value that is no number, or a negative
 * one (counted as 0). Returns what to say of the first such member of `raw` (an object of counts,
 * `keys` the members read, a dotted key for a nested one), or undefined when each is a whole
 * number or absent.
 */
export function repairedCount(raw: unknown, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    let value: unknown = raw;
    for (const part of key.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined || value === null || (Number.isSafeInteger(value) && (value as number) >= 0)) continue;
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)
        : typeof value === 'number'
          ? String(value)
          : typeof value;
    const read = typeof value === 'number' && Number.isFinite(value) && value > 0 ? `read as ${Math.round(value)}` : 'read as 0';
    return `token count ${key} is ${shown}, ${read}`;
  }
  return undefined;
}
