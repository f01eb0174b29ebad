/**
 * The first bytes of a line as Codex writes it:
 * `{"timestamp":"…","type":"…","payload":{"type":"…"` (an optional `"ordinal":N,` after the
 * time). A line that starts so is routed by these bytes as far as its type goes, without making a
 * string of them: the types Codex writes are told by their bytes, and the time is made a string
 * only where it is asked for. Any other spelling of a record is decoded to learn its type.
 */
import { sameBytes } from '../common/json-bytes.js';

/** How far into a line its head is looked for. */
const HEAD_BYTES = 160;

const OPEN = Buffer.from('{"timestamp":"');
const ORDINAL = Buffer.from('"ordinal":');
const TYPE = Buffer.from('"type":"');
const PAYLOAD = Buffer.from('","payload":');
const PAYLOAD_TYPE = Buffer.from('{"type":"');

/** The types told without a string made: the envelope's and the payloads' Codex writes. */
const NAMES = [
  'session_meta',
  'turn_context',
  'event_msg',
  'response_item',
  'compacted',
  'token_count',
  'task_started',
  'task_complete',
  'turn_aborted',
  'user_message',
  'agent_message',
  'agent_reasoning',
  'agent_reasoning_section_break',
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'web_search_call',
  'exec_command_end',
  'patch_apply_end',
];
const BY_LENGTH = new Map<number, Array<[Buffer, string]>>();
for (const name of NAMES) {
  const list = BY_LENGTH.get(name.length) ?? [];
  list.push([Buffer.from(name), name]);
  BY_LENGTH.set(name.length, list);
}

function nameAt(bytes: Buffer, start: number, end: number): string {
  const candidates = BY_LENGTH.get(end - start);
  if (candidates !== undefined) for (const [name, text] of candidates) if (sameBytes(bytes, start, name)) return text;
  return bytes.toString('latin1', start, end);
}

/** A name's end: the first byte from `start` that is not a letter or `_` (`start` itself where there is none). */
function nameEnd(bytes: Buffer, start: number, limit: number): number {
  let i = start;
  for (; i < limit; i++) {
    const c = bytes[i] as number;
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f)) break;
  }
  return i;
}

/** A line's head, read again for every line (one object, never one per line). */
export class EnvelopeHead {
  type = '';
  /** Undefined where the payload's type is not its first member (or there is no payload object). */
  payloadType: string | undefined;
  /** The time's bytes, without its quotes: printable ASCII, no quote nor backslash among them. */
  timeStart = 0;
  timeEnd = 0;

  /**
   * Whether the line [start, end) starts with a Codex head within its first HEAD_BYTES bytes,
   * which is then read into this object.
   */
  read(bytes: Buffer, start: number, end: number): boolean {
    const limit = Math.min(end, start + HEAD_BYTES);
    if (limit - start < OPEN.length || !sameBytes(bytes, start, OPEN)) return false;
    let i = start + OPEN.length;
    const timeStart = i;
    // The time as JSON.parse reads it: printable ASCII, no escape (else the line is decoded).
    for (; i < limit; i++) {
      const c = bytes[i] as number;
      if (c === 0x22 || c === 0x5c || c < 0x20 || c > 0x7e) break;
    }
    if (i + 1 >= limit || bytes[i] !== 0x22 || bytes[i + 1] !== 0x2c) return false;
    const timeEnd = i;
    i += 2;
    if (i + ORDINAL.length <= limit && sameBytes(bytes, i, ORDINAL)) {
      let j = i + ORDINAL.length;
      const digits = j;
      while (j < limit && (bytes[j] as number) >= 0x30 && (bytes[j] as number) <= 0x39) j++;
      if (j > digits && j < limit && bytes[j] === 0x2c) i = j + 1;
    }
    if (i + TYPE.length > limit || !sameBytes(bytes, i, TYPE)) return false;
    const typeStart = i + TYPE.length;
    const typeEnd = nameEnd(bytes, typeStart, limit);
    if (typeEnd === typeStart || typeEnd + PAYLOAD.length > limit || !sameBytes(bytes, typeEnd, PAYLOAD)) return false;
    this.type = nameAt(bytes, typeStart, typeEnd);
    this.timeStart = timeStart;
    this.timeEnd = timeEnd;
    this.payloadType = undefined;
    i = typeEnd + PAYLOAD.length;
    if (i + PAYLOAD_TYPE.length <= limit && sameBytes(bytes, i, PAYLOAD_TYPE)) {
      const payloadStart = i + PAYLOAD_TYPE.length;
      const payloadEnd = nameEnd(bytes, payloadStart, limit);
      if (payloadEnd > payloadStart && payloadEnd < limit && bytes[payloadEnd] === 0x22) this.payloadType = nameAt(bytes, payloadStart, payloadEnd);
    }
    return true;
  }

  /** The time as a string, as the head's bytes spell it (printable ASCII: a character a byte). */
  time(bytes: Buffer): string {
    return bytes.toString('latin1', this.timeStart, this.timeEnd);
  }
}
