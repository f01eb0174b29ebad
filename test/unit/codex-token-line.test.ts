/**
 * Codex token_count lines read without decoding them (tokenLine) against the reference, the
 * line decoded by JSON.parse and counted as the reader counts a decoded line: wherever tokenLine
 * reads a line, it reads what the reference does, for any spelling of any such record, valid
 * or not; and it reads the lines Codex writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inexactCount, tokenCounts } from '../../lib/sources/common/events.js';
import { type TokenLine, tokenLine } from '../../lib/sources/codex/token-line.js';
import { random, spell } from '../helpers/serialize.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The reference: what the reader makes of the line decoded; undefined where it is malformed to it. */
function reference(text: string): TokenLine | undefined {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(line) || !isObject(line.payload) || typeof line.timestamp !== 'string') return undefined;
  const info = line.payload.info;
  if (info === null || info === undefined) return { timestamp: line.timestamp, counters: undefined };
  const total = isObject(info) ? tokenCounts(info.total_token_usage) : undefined;
  if (!isObject(info) || total === undefined || inexactCount(info) !== undefined) return undefined;
  const last = tokenCounts(info.last_token_usage);
  const window = info.model_context_window;
  if (last === undefined || typeof window !== 'number') return undefined;
  return { timestamp: line.timestamp, counters: { total, last, modelContextWindow: window } };
}

function read(text: string): TokenLine | undefined {
  const bytes = Buffer.from(`  ${text} `);
  return tokenLine(bytes, 2, bytes.length - 1);
}

// Mostly counts as Codex writes them, so that many records are read without decoding.
const count = fc.oneof(
  { arbitrary: fc.nat({ max: 5_000_000 }), weight: 30 },
  { arbitrary: fc.maxSafeNat(), weight: 1 },
  { arbitrary: fc.constantFrom(0, 999_999_999_999_999, 1e16, -1, 0.5, null, '7'), weight: 1 },
);
const usage = fc.record(
  {
    input_tokens: count,
    cached_input_tokens: count,
    cache_write_input_tokens: count,
    output_tokens: count,
    reasoning_output_tokens: count,
    total_tokens: count,
  },
  { requiredKeys: ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens'] },
);
const limits = fc.oneof(
  fc.constant(null),
  fc.record({
    primary: fc.record({ used_percent: fc.double({ min: 0, max: 100, noNaN: true }), window_minutes: fc.nat() }),
    plan_type: fc.constantFrom('pro', 'plüs'),
  }),
);
const record = fc.record({
  timestamp: fc.oneof(
    { arbitrary: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()), weight: 4 },
    { arbitrary: fc.constantFrom('[trimmed]', 'a"b', 'a\\b', 'ü'), weight: 1 },
  ),
  type: fc.constant('event_msg'),
  payload: fc.record({
    type: fc.constant('token_count'),
    info: fc.oneof(fc.constant(null), fc.record({ total_token_usage: usage, last_token_usage: usage, model_context_window: count })),
    rate_limits: limits,
  }),
});

describe('Codex token_count lines read without decoding them', () => {
  it('give what the decoded line gives wherever they give anything, in any spelling', () => {
    let fast = 0;
    fc.assert(
      fc.property(record, fc.integer(), fc.boolean(), (value, seed, plain) => {
        const spelling = plain
          ? { space: 0, shuffle: 0, escape: 0, crlf: false, bom: false, pad: false }
          : { space: 0.2, shuffle: 0.3, escape: 0.05, crlf: false, bom: false, pad: false };
        const text = spell(value, spelling, random(seed));
        const got = read(text);
        if (got !== undefined) {
          if (got.counters !== undefined) fast++;
          expect(got).toEqual(reference(text));
        }
      }),
      { numRuns: 3000 },
    );
    // Not a property of nothing: a good part of the lines with counters are read without decoding.
    expect(fast).toBeGreaterThan(200);
  });

  it('never reads a line that does not decode, or a record written otherwise', () => {
    const good =
      '{"timestamp":"2026-08-03T10:48:56.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":16341,"cached_input_tokens":3584,"output_tokens":81,"reasoning_output_tokens":63,"total_tokens":16422},"last_token_usage":{"input_tokens":16341,"cached_input_tokens":3584,"output_tokens":81,"reasoning_output_tokens":63,"total_tokens":16422},"model_context_window":258400},"rate_limits":null}}';
    expect(read(good)).toBeDefined();
    const broken = [
      good.replace('"rate_limits":null', '"rate_limits":nul'),
      good.replace('"rate_limits":null', '"rate_limits":{"a":1'),
      good.replace('"rate_limits":null}}', '"rate_limits":null},"x":1}'),
      good.replace('"rate_limits":null', '"rate_limits":null,"info":null'),
      good.replace('"input_tokens":16341', '"input_tokens":016341'),
      good.replace('"input_tokens":16341', '"input_tokens":9999999999999999'),
      good.replace('"input_tokens":16341', '"input_tokens":1e3'),
      good.replace('"timestamp":"2026', '"timestamp":"\u00e92026'),
      good.replace('"type":"event_msg",', '"type":"event_msg","ordinal":01,'),
      good.replace('"rate_limits":null', '"rate_limits":"\u00ff"'),
      good.slice(0, -1),
    ];
    for (const text of broken) expect(read(text), text).toBeUndefined();
  });

  it('reads the lines Codex writes, with or without cache writes and rate limits', () => {
    const written = [
      '{"timestamp":"2026-08-03T10:48:56.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":16341,"cached_input_tokens":3584,"cache_write_input_tokens":0,"output_tokens":81,"reasoning_output_tokens":63,"total_tokens":16422},"last_token_usage":{"input_tokens":16341,"cached_input_tokens":3584,"cache_write_input_tokens":0,"output_tokens":81,"reasoning_output_tokens":63,"total_tokens":16422},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"plan_type":"pro","primary":{"used_percent":1.0,"window_minutes":10080,"resets_at":1785958530},"secondary":null,"individual_limit":null,"credits":{"has_credits":false,"unlimited":false,"balance":"0"},"rate_limit_reached_type":null,"spend_control_reached":false}}}',
      '{"timestamp":"2025-09-24T19:22:31.123Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{"primary":{"used_percent":0,"window_minutes":0,"resets_in_seconds":0},"secondary":{"used_percent":0,"window_minutes":0,"resets_in_seconds":0}}}}',
    ];
    for (const text of written) {
      const got = read(text);
      expect(got, text).toBeDefined();
      expect(got).toEqual(reference(text));
    }
  });
});
