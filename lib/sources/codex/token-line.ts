/**
 * A `token_count` line read without decoding it, where it is written exactly as Codex writes
 * it: the envelope without an ordinal, the payload's members in Codex's order, every count a
 * plain integer of at most 15 digits (below 2^53, so exact), nothing but ASCII. Any other
 * spelling of the same record, and any line this cannot be sure of, is left to JSON.parse
 * (the caller decodes it), so what is read here is what decoding would have read.
 */
import { isAscii } from 'node:buffer';
import type { TokenCounts } from '../common/events.js';

const COUNT = '(0|[1-9][0-9]{0,14})';
const USAGE =
  `\\{"input_tokens":${COUNT},"cached_input_tokens":${COUNT},(?:"cache_write_input_tokens":(?:0|[1-9][0-9]{0,14}),)?` +
  `"output_tokens":${COUNT},"reasoning_output_tokens":${COUNT},"total_tokens":${COUNT}\\}`;
/** A timestamp's characters: printable ASCII but the quote and the backslash (no escape to read). */
const TIME = '([ !#-\\[\\]-~]*)';
const TOKEN_LINE = new RegExp(
  `^\\{"timestamp":"${TIME}","type":"event_msg","payload":\\{"type":"token_count","info":` +
    `(?:null|\\{"total_token_usage":${USAGE},"last_token_usage":${USAGE},"model_context_window":${COUNT}\\}),"rate_limits":`,
);

/** What a token_count line tells: its time, and its counters (none where its info is null). */
export interface TokenLine {
  timestamp: string;
  counters: { total: TokenCounts; last: TokenCounts; modelContextWindow: number } | undefined;
}

function counts(m: RegExpExecArray, at: number): TokenCounts {
  return {
    input_tokens: Number(m[at]),
    cached_input_tokens: Number(m[at + 1]),
    output_tokens: Number(m[at + 2]),
    reasoning_output_tokens: Number(m[at + 3]),
    total_tokens: Number(m[at + 4]),
  };
}

/**
 * The token_count line `[start, end)` as decoding it would read it, or undefined where it is
 * not written as this reads it for certain: the line is then to be decoded.
 */
export function tokenLine(bytes: Buffer, start: number, end: number): TokenLine | undefined {
  if (!isAscii(bytes.subarray(start, end))) return undefined;
  const text = bytes.toString('latin1', start, end);
  const m = TOKEN_LINE.exec(text);
  if (m === null || !text.endsWith('}}')) return undefined;
  // The rate limits, which no dataset reads, are checked as JSON all the same: a line that
  // does not decode is told as malformed, by the caller, and counts nothing.
  const limits = text.slice(m[0].length, text.length - 2);
  if (limits !== 'null') {
    try {
      JSON.parse(limits);
    } catch {
      return undefined;
    }
  }
  const timestamp = m[1] as string;
  if (m[2] === undefined) return { timestamp, counters: undefined };
  return { timestamp, counters: { total: counts(m, 2), last: counts(m, 7), modelContextWindow: Number(m[12]) } };
}
