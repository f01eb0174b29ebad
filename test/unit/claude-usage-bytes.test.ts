/**
 * Claude usage read from its bytes (claudeTokensAt) against the reference, the usage decoded by
 * JSON.parse and counted by claudeTokens: wherever the byte reading gives tokens they are the
 * reference's, for any spelling of any usage object, valid or not; and it gives them for the
 * usage objects Claude Code writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inexactCount } from '../../lib/sources/common/events.js';
import { claudeTokens, claudeTokensAt } from '../../lib/sources/claude/tokens.js';
import { random, spell } from '../helpers/serialize.js';

const KEYS = [
  'input_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'output_tokens',
  'output_tokens_details',
  'thinking_tokens',
  'service_tier',
  'cache_creation',
];

const count = fc.oneof(
  fc.nat({ max: 2_000_000 }),
  fc.maxSafeNat(),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -10, max: 1e20, noNaN: true }),
  fc.constantFrom(null, true, false, 'standard', '12', 1e16, 0.5),
);
const leaf = fc.dictionary(fc.constantFrom('thinking_tokens', 'ephemeral_1h_input_tokens', 'web_search_requests', 'x'), count, { maxKeys: 3 });
const usage = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(count, leaf, fc.array(leaf, { maxLength: 2 })), { maxKeys: 8 });

/** The reference: what a decoded line gives (undefined where it is not counted). */
function reference(text: string): ReturnType<typeof claudeTokens> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || inexactCount(value) !== undefined) return undefined;
  const tokens = claudeTokens(value as Record<string, unknown>);
  return tokens.total_tokens > Number.MAX_SAFE_INTEGER ? undefined : tokens;
}

function atBytes(text: string): ReturnType<typeof claudeTokensAt> {
  const bytes = Buffer.from(`{"usage":${text}}`);
  return claudeTokensAt(bytes, 9, bytes.length - 1);
}

describe('Claude usage read from its bytes', () => {
  it('gives the decoded tokens wherever it gives any, in any spelling', () => {
    let read = 0;
    fc.assert(
      fc.property(usage, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (value, seed, escapeShare) => {
        const next = random(seed);
        const text = spell(value, { space: 0.3, shuffle: 0.5, escape: escapeShare < 0.3 ? 0.1 : 0, crlf: false, bom: false, pad: false }, next);
        const fast = atBytes(text);
        if (fast !== undefined) {
          read++;
          expect(fast).toEqual(reference(text));
        }
      }),
      { numRuns: 3000 },
    );
    // Not a property of nothing: a good part of the objects are read from their bytes.
    expect(read).toBeGreaterThan(300);
  });

  it('never reads text that is not JSON, or a repeated key, otherwise than JSON.parse', () => {
    const cases = [
      '{"input_tokens":01}',
      '{"input_tokens":1,}',
      '{"input_tokens":1e3}',
      '{"input_tokens":1.0}',
      '{"input_tokens":-1}',
      '{"input_tokens":1 2}',
      '{"input_tokens":tru}',
      '{"input_tokens":"a\u0001"}',
      '{"input_tokens":5,"input_tokens":7}',
      '{"output_tokens":9,"output_tokens_details":{"thinking_tokens":4},"output_tokens_details":{}}',
      '{"output_tokens":9,"output_tokens_details":{"thinking_tokens":4,"thinking_tokens":3}}',
      '{"output_tokens":9,"output_tokens_details":7}',
      '{"input_tokens":9999999999999999}',
      '{"cache_creation":{"ephemeral_1h_input_tokens":99999999999999999999}}',
      '{"cache_creation_input_tokens":9,"cache_creation":{"ephemeral_1h_input_tokens":4},"cache_creation":{}}',
      '{"cache_creation_input_tokens":9,"cache_creation":{"ephemeral_1h_input_tokens":4,"ephemeral_1h_input_tokens":2}}',
      '{"cache_creation_input_tokens":9,"cache_creation":null}',
    ];
    for (const text of cases) {
      const fast = atBytes(text);
      if (fast !== undefined) expect(fast, text).toEqual(reference(text));
    }
    expect(atBytes('{"input_tokens":5,"input_tokens":7}')?.input_tokens).toBe(7);
    expect(atBytes('{"cache_creation_input_tokens":9,"cache_creation":{"ephemeral_1h_input_tokens":4}}')?.cache_write_1h_tokens).toBe(4);
  });

  it('reads the usage Claude Code writes without decoding it', () => {
    const written = [
      '{"input_tokens":8,"cache_creation_input_tokens":2009,"cache_read_input_tokens":11209,"output_tokens":409,"service_tier":"standard"}',
      '{"input_tokens":3,"cache_creation_input_tokens":5376,"cache_read_input_tokens":21440,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":5376},"output_tokens":12,"service_tier":"standard","inference_geo":"not_available"}',
      '{"input_tokens":3,"output_tokens":120,"output_tokens_details":{"thinking_tokens":80},"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"speed":"fast"}',
    ];
    for (const text of written) expect(atBytes(text), text).toEqual(reference(text));
  });
});
