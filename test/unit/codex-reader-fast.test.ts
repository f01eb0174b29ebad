/**
 * The Codex reader's fast paths (a line's head read from its bytes, a token_count line read by
 * one regular expression) against the reader decoding every line: the same rollouts, written as
 * Codex writes them and again with a space after each line's `{` (which no fast path reads), give
 * the same events and the same line problems. Times and counts come in odd forms too: raw control
 * bytes and non-ASCII in a time, invalid UTF-8, counts past 2^53, rate limits that do not decode,
 * lines cut short or with more after the payload, a child's turn at its header's very time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../lib/sources/common/events.js';
import { CodexReader } from '../../lib/sources/codex/reader.js';
import { tokenLine } from '../../lib/sources/codex/token-line.js';

/** A line's bytes: `@FF@` is a byte 0xff (invalid UTF-8). */
function bytesOf(line: string): Buffer {
  return Buffer.concat(line.split('@FF@').flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.of(0xff), Buffer.from(part)])));
}

type Told = ['event', LogEvent] | ['malformed' | 'repaired', number, string];

/** What the reader tells of the lines, in order. */
function read(lines: string[]): Told[] {
  const told: Told[] = [];
  const sink = {
    event: (event: LogEvent) => void told.push(['event', event]),
    // Where JSON.parse failed is one byte on in the respelled line.
    malformed: (line: number, reason: string) => void told.push(['malformed', line, reason.replace(/position \d+/, 'position N')]),
    repaired: (line: number, what: string) => void told.push(['repaired', line, what]),
  };
  const reader = new CodexReader('/logs/rollout-2026-01-01T00-00-00-a.jsonl', sink, { messages: true, toolCalls: true, toolOutputs: true, tokens: true });
  lines.forEach((line, i) => {
    const bytes = bytesOf(line);
    reader.line(bytes, 0, bytes.length, i + 1);
  });
  return told;
}

const time = fc.oneof(
  { arbitrary: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 6 },
  { arbitrary: fc.constantFrom('2026-05-01T00:00:00.000Z\u0001', '2026-05-01T00:00:00Z', 'ü', '', '2026\\u0041', '[trimmed]', 'x@FF@'), weight: 1 },
  // The header's own time (a child's first turn may start at it).
  { arbitrary: fc.constant('@T@'), weight: 2 },
);
const count = fc.oneof(
  { arbitrary: fc.nat({ max: 2_000_000 }), weight: 20 },
  { arbitrary: fc.constantFrom('12345678901234567', '1e3', '-1', '0.5', 'null', '"7"'), weight: 1 },
);
const usage = fc
  .tuple(
    count,
    count,
    fc.option(fc.oneof({ arbitrary: count, weight: 10 }, { arbitrary: fc.constantFrom('007', '12345678901234567'), weight: 1 }), { nil: undefined }),
    count,
    count,
    count,
  )
  .map(
    ([input, cached, write, output, reasoning, total]) =>
      `{"input_tokens":${input},"cached_input_tokens":${cached},${write === undefined ? '' : `"cache_write_input_tokens":${write},`}"output_tokens":${output},"reasoning_output_tokens":${reasoning},"total_tokens":${total}}`,
  );
// Mostly as Codex writes them, so that many lines take the fast path.
const limits = fc.oneof(
  { arbitrary: fc.constantFrom('null', '{"primary":{"used_percent":1.0,"window_minutes":300}}'), weight: 6 },
  { arbitrary: fc.constantFrom('{"plan":"plüs"}', '{"plan":"p@FF@"}', 'nul', '{"a":1'), weight: 1 },
);
/** How a line ends: as written, cut short, or with more after its payload. */
const ending = fc.oneof(
  { arbitrary: fc.constant((l: string) => l), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      (l: string) => l.slice(0, -1),
      (l: string) => `${l.slice(0, -1)},"x":1}`,
      (l: string) => `${l.slice(0, -2)}]}`,
    ),
    weight: 1,
  },
);
const info = fc.oneof(
  fc.constant('null'),
  fc.tuple(usage, usage, count).map(([total, last, window]) => `{"total_token_usage":${total},"last_token_usage":${last},"model_context_window":${window}}`),
);
/** A line as Codex writes it (the time written raw: it may hold what JSON does not allow). */
const line = fc.oneof(
  {
    arbitrary: fc
      .tuple(time, info, limits, ending)
      .map(([t, i, l, end]) => end(`{"timestamp":"${t}","type":"event_msg","payload":{"type":"token_count","info":${i},"rate_limits":${l}}}`)),
    weight: 8,
  },
  { arbitrary: time.map((t) => `{"timestamp":"${t}","type":"event_msg","payload":{"type":"task_started","turn_id":"1"}}`), weight: 2 },
  {
    arbitrary: fc
      .tuple(time, fc.constantFrom('gpt-5', 'gpt-5.1-codex'))
      .map(([t, m]) => `{"timestamp":"${t}","type":"turn_context","payload":{"cwd":"/w","model":"${m}"}}`),
    weight: 2,
  },
  { arbitrary: time.map((t) => `{"timestamp":"${t}","type":"event_msg","payload":{"type":"user_message","message":"hi"}}`), weight: 1 },
  {
    arbitrary: time.map((t) => `{"timestamp":"${t}","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}","call_id":"c1"}}`),
    weight: 1,
  },
);
/** A rollout: its own header, or a child's (its parent's history replayed after a second header), then lines. */
const rollout = fc.tuple(time, fc.boolean(), fc.array(line, { maxLength: 6 }), fc.array(line, { maxLength: 12 })).map(([t, child, replayed, own]) => {
  const header = (id: string, parent: string | undefined): string =>
    `{"timestamp":"${t}","type":"session_meta","payload":{"id":"${id}","timestamp":"${t}","cwd":"/w"${parent === undefined ? '' : `,"forked_from_id":"${parent}"`}}}`;
  const lines = child ? [header('child', 'parent'), header('parent', undefined), ...replayed, ...own] : [header('s1', undefined), ...own];
  return lines.map((l) => l.replaceAll('@T@', t));
});

describe("the Codex reader's fast paths", () => {
  it('tell what decoding every line tells, for rollouts written every way', () => {
    let fast = 0;
    fc.assert(
      fc.property(rollout, (lines) => {
        const decoded = lines.map((l) => `{ ${l.slice(1)}`);
        expect(read(lines)).toEqual(read(decoded));
        for (const l of lines) {
          const bytes = bytesOf(l);
          if (tokenLine(bytes, 0, bytes.length)?.counters !== undefined) fast++;
        }
      }),
      { numRuns: 1500 },
    );
    // Not a property of nothing: many token_count lines with counters are read by the regular expression.
    expect(fast).toBeGreaterThan(400);
  });
});
