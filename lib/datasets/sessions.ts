/**
 * One row per session: when, how long, with which models and client, how many turns, tool
 * calls and tokens, and the files changed and lines added where the logs show them. A Claude
 * session gathers its transcript and its subagents' files; rows come after the last file.
 */
import type { SourceName } from '../sources/common/events.js';
import { MessageFilter } from './messages.js';
import { CounterRequests, UsageRequests, tokenFields, type Request } from './requests.js';
import { rowBase } from './session-dataset.js';
import { sessionDataset } from './session-dataset.js';
import { TOKEN_FIELD_INFO } from './usage.js';
import { COST_PARAMS, costFields, noticeUnpriced, pricesKey, scanPrices } from './costs.js';
import type { FieldInfo } from './types.js';
import type { UsageTokens } from '../sources/common/events.js';
import { earlierTime, instantMs, laterTime, rowTime } from '../time/iso.js';

interface SessionTotals {
  source: SourceName;
  sessionId: string;
  /** Its files in the walk's order, and those that are a subagent's. */
  files: Set<string>;
  subagentFiles: Set<string>;
  start: string | undefined;
  end: string | undefined;
  /** Each model, with the instant it was first used (Infinity where no request of it had a time). */
  models: Map<string, number>;
  client: string | undefined;
  version: string | undefined;
  cwd: string | undefined;
  parent: string | undefined;
  userMessages: number;
  assistantMessages: number;
  toolCalls: number;
  requests: number;
  tokens: UsageTokens;
  /** What its priced requests cost, and how many had no price. */
  cost: number;
  unpriced: number;
  changedFiles: Set<string>;
  linesAdded: number;
  sawEdits: boolean;
}

const ZERO_TOKENS: UsageTokens = {
  input_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cache_write_1h_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  total_tokens: 0,
};

/** Models in order of first use; those of no known time after, in the order they came. */
function firstUsed(models: Map<string, number>): string[] {
  return [...models].sort((a, b) => (a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1)).map(([model]) => model);
}

/** The session's own log: its first file that is not a subagent's (the walk reaches a subagent's folder before its parent's transcript). */
function ownPath(s: SessionTotals): string {
  for (const file of s.files) if (!s.subagentFiles.has(file)) return file;
  return s.files.values().next().value as string;
}

const SESSION_FIELDS: FieldInfo[] = [
  { name: 'start', type: 'string', description: 'when the session began' },
  { name: 'end', type: 'string', description: 'its last recorded moment' },
  { name: 'duration_s', type: 'number', description: 'end - start, in seconds' },
  { name: 'models', type: 'string', description: 'the models used, comma-separated, in order of first use' },
  { name: 'client', type: 'string', description: "the agent's client, where its log names one (Codex originator, Claude Code entrypoint)" },
  { name: 'version', type: 'string', description: "the agent's version" },
  { name: 'cwd', type: 'string', description: 'the working folder', private: 'path' },
  { name: 'parent_session_id', type: 'string', description: 'the session this one was forked or spawned from' },
  { name: 'log_files', type: 'integer', description: 'files the session is written in (a Claude session with subagents has several)' },
  { name: 'turns', type: 'integer', description: 'user messages (as the messages dataset keeps them)' },
  { name: 'assistant_messages', type: 'integer', description: 'assistant messages' },
  { name: 'tool_calls', type: 'integer', description: 'tool calls' },
  { name: 'requests', type: 'integer', description: 'model requests' },
  ...TOKEN_FIELD_INFO,
  { name: 'files_changed', type: 'integer', description: 'distinct files edited (apply_patch, Edit, Write...), null when the logs show no edits' },
  { name: 'lines_added', type: 'integer', description: 'lines added by those edits, null when the logs show no edits' },
];

/** The cost field of a session row (not there with --no-cost). */
const COST_FIELDS: FieldInfo[] = [
  { name: 'cost_usd', type: 'number', description: 'what its requests cost in US dollars; null when one of them has a model with no price' },
];

export const sessionsDataset = sessionDataset({
  name: 'sessions',
  description: 'One row per session: start, end, duration, models, client, turns, tool calls, tokens, cost, files changed, lines added.',
  fields: [...SESSION_FIELDS, ...COST_FIELDS],
  rowFields: (params) => costFields(SESSION_FIELDS, COST_FIELDS, params),
  params: COST_PARAMS,
  inputsKey: pricesKey,
  // A session grows: its row read later, with a later end, is the newer.
  identity: { fields: ['source', 'session_id'], version: 'end' },
  create(params, scan) {
    const prices = scanPrices(params, scan.noticeWindow ?? scan.window);
    const sessions = new Map<string, SessionTotals>();
    const perRequest = new UsageRequests();
    const sessionOf = (source: SourceName, sessionId: string, path: string): SessionTotals => {
      let s = sessions.get(sessionId);
      if (!s) {
        s = {
          source,
          sessionId,
          files: new Set(),
          subagentFiles: new Set(),
          start: undefined,
          end: undefined,
          models: new Map(),
          client: undefined,
          version: undefined,
          cwd: undefined,
          parent: undefined,
          userMessages: 0,
          assistantMessages: 0,
          toolCalls: 0,
          requests: 0,
          tokens: { ...ZERO_TOKENS },
          cost: 0,
          unpriced: 0,
          changedFiles: new Set(),
          linesAdded: 0,
          sawEdits: false,
        };
        sessions.set(sessionId, s);
      }
      s.files.add(path);
      return s;
    };
    const addRequest = (s: SessionTotals, request: Request): void => {
      s.requests += request.requests ?? 1;
      const ms = request.ms ?? (request.timestamp === undefined ? NaN : instantMs(request.timestamp));
      for (const key of Object.keys(s.tokens) as Array<keyof UsageTokens>) s.tokens[key] += request.tokens[key];
      if (request.model !== undefined) {
        // Files come in the walk's order (a subagent's folder before its parent's transcript): first use is by time.
        const at = Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
        const known = s.models.get(request.model);
        if (known === undefined || at < known) s.models.set(request.model, at);
      }
      // A session is kept or not by its start: the notice of unpriced requests counts by it too.
      const priced = prices?.cost(request.model, request.tokens, request.requests, s.start === undefined ? undefined : instantMs(s.start));
      if (priced?.cost === null) s.unpriced++;
      else if (priced !== undefined) s.cost += priced.cost;
      s.end = laterTime(s.end, request.timestamp);
    };
    return {
      needs: { messages: true, toolCalls: true, tokens: true },
      gathersSessions: true,
      file(context) {
        const messages = new MessageFilter(['user', 'assistant'], context.source);
        const counters = new CounterRequests(context.path, context.source);
        const current = (): SessionTotals | undefined => (context.session ? sessionOf(context.source, context.session.sessionId, context.path) : undefined);
        return {
          event(event) {
            if (event.kind === 'usage') {
              perRequest.add(event, context.path, context.source);
              return;
            }
            const s = current();
            if (!s) return;
            switch (event.kind) {
              case 'session':
                if (event.sidechain) s.subagentFiles.add(context.path);
                s.start = earlierTime(s.start, event.start);
                s.client ??= event.client;
                s.version ??= event.version;
                s.cwd ??= event.cwd;
                s.parent ??= event.parentSessionId;
                break;
              case 'message': {
                const kept = messages.keep(event);
                if (!kept) break;
                if (kept.role === 'user') s.userMessages++;
                else s.assistantMessages++;
                s.end = laterTime(s.end, kept.timestamp);
                break;
              }
              case 'tool_call':
                s.toolCalls++;
                s.end = laterTime(s.end, event.timestamp);
                if (event.filesChanged !== undefined) {
                  s.sawEdits = true;
                  for (const file of event.filesChanged) s.changedFiles.add(file);
                  s.linesAdded += event.linesAdded ?? 0;
                }
                break;
              case 'token_count': {
                const request = counters.next(event, s.sessionId);
                if (request) addRequest(s, request);
                break;
              }
            }
          },
        };
      },
      *end() {
        for (const request of perRequest.requests()) {
          if (request.sessionId === undefined) continue;
          addRequest(sessionOf(request.source, request.sessionId, request.path), request);
        }
        for (const s of sessions.values()) {
          const start = s.start;
          const end = laterTime(s.end, start);
          const [startMs, endMs] = [start === undefined ? NaN : instantMs(start), end === undefined ? NaN : instantMs(end)];
          const duration = (endMs - startMs) / 1000;
          const row = Object.assign(rowBase(s.source, s.sessionId, ownPath(s), start, scan.tz, startMs), {
            start: start === undefined ? null : rowTime(start, startMs),
            end: end === undefined ? null : rowTime(end, endMs),
            duration_s: Number.isFinite(duration) ? duration : null,
            models: s.models.size > 0 ? firstUsed(s.models).join(',') : null,
            client: s.client ?? null,
            version: s.version ?? null,
            cwd: s.cwd ?? null,
            parent_session_id: s.parent ?? null,
            log_files: s.files.size,
            turns: s.userMessages,
            assistant_messages: s.assistantMessages,
            tool_calls: s.toolCalls,
            requests: s.requests,
          });
          Object.assign(row, tokenFields(s.tokens), {
            files_changed: s.sawEdits ? s.changedFiles.size : null,
            lines_added: s.sawEdits ? s.linesAdded : null,
          });
          // Not a part of its cost: a session with a request of no price has none.
          if (prices !== undefined) Object.assign(row, { cost_usd: s.unpriced > 0 ? null : s.cost });
          yield row;
        }
        noticeUnpriced(prices, scan);
      },
    };
  },
});
