/**
 * The token datasets, in Codex's own counters (input includes cached input, output
 * includes reasoning, total = input + output): token_events (each token_count snapshot),
 * token_deltas (what each snapshot added), token_sessions (one row per session). Claude
 * sessions get the same rows, from their deduplicated requests accumulated in order.
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import { TOKEN_KEYS, type TokenCounts } from '../sources/common/events.js';
import { counterTokens, UsageRequests, CounterTrack, ZERO, type Request } from './requests.js';
import { rowBase } from './session-dataset.js';
import { flag, sessionDataset } from './session-dataset.js';
import type { FieldInfo, RowIdentity, ScanContext } from './types.js';
import type { UsageTokens } from '../sources/common/events.js';
import type { Prices } from '../prices/prices.js';
import { COST_PARAMS, costFields, noticeUnpriced, pricesKey, scanPrices } from './costs.js';
import type { ParamInfo } from '../spec/catalog.js';
import type { Emit } from './types.js';
import { instantMs, utcTime } from '../time/iso.js';

function counterFields(prefix: string, what: string): FieldInfo[] {
  return TOKEN_KEYS.map((key) => ({ name: `${prefix}_${key}`, type: 'integer' as const, description: `${what} ${key}` }));
}

function counters(prefix: string, counts: TokenCounts | undefined): Row {
  const out: Row = {};
  for (const key of TOKEN_KEYS) out[`${prefix}_${key}`] = counts === undefined ? null : counts[key];
  return out;
}

function plus(a: TokenCounts, b: TokenCounts): TokenCounts {
  const out = { ...ZERO };
  for (const key of TOKEN_KEYS) out[key] = a[key] + b[key];
  return out;
}

/** A Claude request in Codex's counters (input there includes cache reads and writes). */
function usageCounts(request: Request): TokenCounts {
  const t = request.tokens;
  const input = t.input_tokens + t.cache_read_tokens + t.cache_write_tokens;
  return {
    input_tokens: input,
    cached_input_tokens: t.cache_read_tokens,
    output_tokens: t.output_tokens,
    reasoning_output_tokens: t.reasoning_tokens,
    total_tokens: input + t.output_tokens,
  };
}

/** One snapshot of a session's counters, from either source. */
interface Snapshot {
  timestamp: string | undefined;
  model: string | undefined;
  window: number | undefined;
  total: TokenCounts;
  last: TokenCounts | undefined;
  baseline: TokenCounts | undefined;
  /** A Claude request's own tokens, which say what its cache writes were (its counters do not). */
  request?: UsageTokens;
  /** How many requests `request` sums (a session's totals), where not one. */
  requests?: number;
}

/** The tokens a snapshot added, to price them: a Claude request's own, else its counters'. */
function costTokens(s: Snapshot, delta: TokenCounts): UsageTokens {
  return s.request ?? counterTokens(delta);
}

/**
 * The token datasets share their reading: Codex snapshots as they come, file by file; Claude
 * snapshots after the last file (their requests are deduplicated across files first).
 */
function tokenDataset(
  name: string,
  description: string,
  fields: FieldInfo[],
  params: ParamInfo[],
  make: (
    params: Record<string, JsonValue>,
    scan: ScanContext,
  ) => {
    /** A session's snapshots, in order, one at a time; `end` after its last. */
    session(base: (timestamp: string | undefined) => Row): { snapshot(s: Snapshot, emit: Emit): void; end(emit: Emit): void };
    /** What its rows are priced with, where they have costs. */
    prices?: Prices;
  },
  options: { identity?: RowIdentity; rowFields?: (params: Record<string, JsonValue>) => FieldInfo[] } = {},
) {
  return sessionDataset({
    name,
    description,
    fields,
    params,
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    ...(options.rowFields === undefined ? {} : { rowFields: options.rowFields }),
    inputsKey: pricesKey,
    create(values, scan) {
      const logic = make(values, scan);
      const perRequest = new UsageRequests();
      return {
        needs: { messages: false, toolCalls: false, tokens: true },
        gathersSessions: true,
        file(context) {
          let session: ReturnType<typeof logic.session> | undefined;
          return {
            event(event, emit) {
              if (event.kind === 'usage') perRequest.add(event, context.path, context.source);
              if (event.kind !== 'token_count') return;
              session ??= logic.session((timestamp) => context.base(timestamp));
              session.snapshot(
                {
                  timestamp: event.timestamp,
                  model: event.model,
                  window: event.modelContextWindow,
                  total: event.total,
                  last: event.last,
                  baseline: event.baseline,
                },
                emit,
              );
            },
            finish(emit) {
              session?.end(emit);
            },
          };
        },
        *end() {
          const rows: Row[] = [];
          const emit: Emit = (row) => rows.push(row);
          for (const requests of perRequest.sessions()) {
            let session: ReturnType<typeof logic.session> | undefined;
            let total = ZERO;
            for (const request of requests) {
              session ??= logic.session((timestamp) => rowBase(request.source, request.sessionId ?? request.path, request.path, timestamp, scan.tz));
              const last = usageCounts(request);
              total = plus(total, last);
              session.snapshot(
                {
                  timestamp: request.timestamp,
                  model: request.model,
                  window: undefined,
                  total,
                  last,
                  baseline: undefined,
                  request: request.tokens,
                  requests: request.requests,
                },
                emit,
              );
              yield* rows.splice(0);
            }
            session?.end(emit);
            yield* rows.splice(0);
          }
          noticeUnpriced(logic.prices, scan);
        },
      };
    },
  });
}

const DEDUPE: ParamInfo = {
  name: 'dedupe',
  type: 'boolean',
  default: true,
  help: 'skip a snapshot whose total_tokens equals the previous one (Codex repeats them)',
};

export const tokenEventsDataset = tokenDataset(
  'token_events',
  'Each token_count snapshot of the cumulative counters (Codex), or each request accumulated per session (Claude).',
  [
    { name: 'model', type: 'string', description: 'the model of the turn' },
    { name: 'model_context_window', type: 'integer', description: 'the context window' },
    ...counterFields('total', 'cumulative'),
    ...counterFields('last', 'last request'),
  ],
  [DEDUPE],
  (params) => ({
    session(base) {
      let previous: number | undefined;
      return {
        snapshot(s, emit) {
          // After a replayed or repeated stretch, its last total is the one before.
          previous ??= s.baseline?.total_tokens;
          if (flag(params, 'dedupe') && previous === s.total.total_tokens) return;
          previous = s.total.total_tokens;
          emit(
            Object.assign(
              base(s.timestamp),
              { model: s.model ?? null, model_context_window: s.window ?? null },
              counters('total', s.total),
              counters('last', s.last),
            ),
          );
        },
        end: () => undefined,
      };
    },
  }),
);

const DELTA_FIELDS: FieldInfo[] = [
  { name: 'model', type: 'string', description: 'the model of the turn' },
  { name: 'segment', type: 'integer', description: 'counts up each time the counters restart' },
  { name: 'model_context_window', type: 'integer', description: 'the context window' },
  ...counterFields('delta', 'added'),
  ...counterFields('total', 'cumulative'),
];

const DELTA_COST: FieldInfo[] = [
  { name: 'cost_usd', type: 'number', description: 'what the tokens it added cost in US dollars; null when no price is known for its model' },
];

export const tokenDeltasDataset = tokenDataset(
  'token_deltas',
  'What each snapshot added to the cumulative counters; a total lower than the one before starts a new segment.',
  [...DELTA_FIELDS, ...DELTA_COST],
  [
    { name: 'include_base', type: 'boolean', default: true, help: 'the first snapshot of a segment counts its whole total' },
    { name: 'include_zero', type: 'boolean', default: false, help: 'keep snapshots that added nothing' },
    DEDUPE,
    ...COST_PARAMS,
  ],
  (params, scan) => {
    const prices = scanPrices(params, scan.noticeWindow ?? scan.window);
    return {
      prices,
      session(base) {
        const track = new CounterTrack();
        let lastTotal: number | undefined;
        return {
          snapshot(s, emit) {
            lastTotal ??= s.baseline?.total_tokens;
            if (flag(params, 'dedupe') && lastTotal === s.total.total_tokens) return;
            lastTotal = s.total.total_tokens;
            const advanced = track.advance(s);
            // Without its base, a segment's first snapshot added nothing: include_zero decides, as for any such.
            const delta = advanced.startsSegment && !flag(params, 'include_base') ? ZERO : advanced.delta;
            if (delta.total_tokens === 0 && !flag(params, 'include_zero')) return;
            const row = Object.assign(
              base(s.timestamp),
              { model: s.model ?? null, segment: track.segment, model_context_window: s.window ?? null },
              counters('delta', delta),
              counters('total', s.total),
            );
            if (prices !== undefined)
              Object.assign(row, {
                cost_usd: prices.cost(s.model, costTokens(s, delta), s.requests, s.timestamp === undefined ? undefined : instantMs(s.timestamp)).cost,
              });
            emit(row);
          },
          end: () => undefined,
        };
      },
    };
  },
  { rowFields: (params) => costFields(DELTA_FIELDS, DELTA_COST, params) },
);

/**
 * One row per session: its counters summed over segments, so a session whose counters restarted
 * is not under-counted (its largest snapshot misses what came before a restart), and a fork does not count its parent.
 */
export const tokenSessionsDataset = tokenDataset(
  'token_sessions',
  'One row per session: first and last snapshot, and the tokens it used (summed over counter restarts).',
  [
    { name: 'model', type: 'string', description: 'the model of the last snapshot' },
    { name: 'start', type: 'string', description: 'the first snapshot' },
    { name: 'end', type: 'string', description: 'the last snapshot' },
    { name: 'max_at', type: 'string', description: 'the snapshot with the largest total' },
    ...counterFields('total', 'used in the session:'),
  ],
  [],
  () => ({
    session(base) {
      let first: Snapshot | undefined;
      let latest: Snapshot | undefined;
      let largest: Snapshot | undefined;
      let used = ZERO;
      const track = new CounterTrack();
      return {
        snapshot(s) {
          first ??= s;
          latest = s;
          if (largest === undefined || s.total.total_tokens > largest.total.total_tokens) largest = s;
          used = plus(used, track.advance(s).delta);
        },
        end(emit) {
          if (!first || !latest) return;
          emit(
            Object.assign(
              base(first.timestamp),
              {
                model: latest.model ?? null,
                start: first.timestamp === undefined ? null : utcTime(first.timestamp),
                end: latest.timestamp === undefined ? null : utcTime(latest.timestamp),
                max_at: largest?.timestamp === undefined ? null : utcTime(largest.timestamp),
              },
              counters('total', used),
            ),
          );
        },
      };
    },
  }),
  // One row per session, growing with it: the later read, with more tokens, is the newer.
  { identity: { fields: ['source', 'session_id'], version: 'total_total_tokens' } },
);
