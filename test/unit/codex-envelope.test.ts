/**
 * The head of a Codex line read from its bytes (EnvelopeHead) against the reference, a regular
 * expression over the line's first 160 bytes as latin1 (a time of printable ASCII, as JSON.parse
 * reads it with no escape): the two agree on whether a line has the head, and on its time, type
 * and payload type, for heads written every way near it (codex-reader-fast.test.ts holds the
 * reader's events to those of decoding every line).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeHead } from '../../lib/sources/codex/envelope.js';

const REFERENCE = /^\{"timestamp":"([ !#-[\]-~]*)",(?:"ordinal":\d+,)?"type":"([A-Za-z_]+)","payload":(?:\{"type":"([A-Za-z_]+)")?/;

function reference(bytes: Buffer): { time: string; type: string; payloadType: string | undefined } | undefined {
  const m = REFERENCE.exec(bytes.toString('latin1', 0, Math.min(bytes.length, 160)));
  return m === null ? undefined : { time: m[1] as string, type: m[2] as string, payloadType: m[3] };
}

function read(bytes: Buffer): { time: string; type: string; payloadType: string | undefined } | undefined {
  const padded = Buffer.concat([Buffer.from('xx'), bytes]);
  const head = new EnvelopeHead();
  if (!head.read(padded, 2, padded.length)) return undefined;
  return { time: head.time(padded), type: head.type, payloadType: head.payloadType };
}

const name = fc.oneof(
  fc.constantFrom('event_msg', 'response_item', 'session_meta', 'turn_context', 'token_count', 'function_call', 'task_started', 'compacted'),
  fc.stringMatching(/^[A-Za-z_]{0,12}$/),
  fc.constantFrom('event-msg', 'type1', 'événement', ''),
);
const time = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('a"b', 'a\\"b', 'ü', 'x'.repeat(150), 'a\u0001b', 'a\u007fb'),
);
const ordinal = fc.oneof(
  fc.constant(''),
  fc.nat().map((n) => `"ordinal":${n},`),
  fc.constantFrom('"ordinal":,', '"ordinal":1x,', '"ordinal":-1,', '"ordinal":1'),
);
const payload = fc.oneof(
  name.map((n) => `{"type":"${n}","info":null}`),
  fc.constantFrom('{"info":null,"type":"token_count"}', '{ "type":"token_count"}', 'null', '{"type":1}', '{"type":"token_count'),
);
const line = fc
  .tuple(time, ordinal, name, payload, fc.constantFrom('', ' ', '}'))
  .map(([t, o, n, p, end]) => `{"timestamp":"${t}",${o}"type":"${n}","payload":${p}}${end}`);

describe("a Codex line's head read from its bytes", () => {
  it('agrees with the regular expression on every line', () => {
    let heads = 0;
    fc.assert(
      fc.property(fc.oneof(line, fc.string({ maxLength: 200 })), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        const want = reference(bytes);
        if (want !== undefined) heads++;
        expect(read(bytes), text).toEqual(want);
      }),
      { numRuns: 5000 },
    );
    // Not a property of nothing: a good part of the lines have the head.
    expect(heads).toBeGreaterThan(500);
  });

  it('reads the heads Codex writes', () => {
    const written = [
      '{"timestamp":"2026-08-03T10:48:56.000Z","type":"event_msg","payload":{"type":"token_count","info":null}}',
      '{"timestamp":"2025-09-24T19:22:31.123Z","type":"session_meta","payload":{"id":"019"}}',
      '{"timestamp":"2025-09-24T19:22:31.123Z","ordinal":12,"type":"response_item","payload":{"type":"function_call_output"}}',
    ];
    expect(written.map((text) => read(Buffer.from(text)))).toEqual([
      { time: '2026-08-03T10:48:56.000Z', type: 'event_msg', payloadType: 'token_count' },
      { time: '2025-09-24T19:22:31.123Z', type: 'session_meta', payloadType: undefined },
      { time: '2025-09-24T19:22:31.123Z', type: 'response_item', payloadType: 'function_call_output' },
    ]);
  });
});
