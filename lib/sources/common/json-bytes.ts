/**
 * Just enough JSON over raw bytes to find the few fields a reader needs in a long line without
 * decoding the rest (a Claude response line carries its whole thinking and tool input). It
 * reads JSON as JSON allows it to be written: whitespace anywhere between tokens, members in
 * any order. What it cannot read for certain (a key written with an escape, bytes that are not
 * JSON) it says so, and the caller decodes the whole line instead.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** JSON's whitespace: space, tab, line feed, carriage return. */
export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The first index in [i, end) that is not whitespace (end when all are). */
export function skipSpace(bytes: Buffer, i: number, end: number): number {
  while (i < end && isSpace(bytes[i])) i++;
  return i;
}

/** The end of [start, end) less trailing whitespace. */
export function trimEnd(bytes: Buffer, start: number, end: number): number {
  while (end > start && isSpace(bytes[end - 1])) end--;
  return end;
}

const ESCAPE = Buffer.from('\\u00');

/**
 * Whether some printable ASCII character is written as a \u00XX escape. JSON allows it (a key
 * such as "\u0074ype" is "type"), no agent writes it, and where it can be, the absence of a
 * key's plain bytes proves nothing.
 */
export function hasAsciiEscape(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(ESCAPE); at >= 0; at = bytes.indexOf(ESCAPE, at + 4)) {
    const high = bytes[at + 4];
    // \u0020 to \u007f: the third hex digit is 2 to 7.
    if (high !== undefined && high >= 0x32 && high <= 0x37) return true;
  }
  return false;
}

/**
 * Whether the bytes may hold the key whose quoted form is `quotedKey` (`"message"`): its plain
 * bytes are there, or an escape could spell it. False proves the key is absent at every depth.
 */
export function mayHold(bytes: Buffer, quotedKey: Buffer): boolean {
  return bytes.indexOf(quotedKey) >= 0 || hasAsciiEscape(bytes);
}

/** The index just after the string that starts at `i` (a quote), or -1. */
export function skipString(bytes: Buffer, i: number, end: number): number {
  // Short strings (keys, ids) in a plain loop; long ones (text, thinking) quote to quote, natively.
  let j = i + 1;
  const short = Math.min(end, j + 48);
  for (; j < short; j++) {
    const c = bytes[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  for (;;) {
    const q = bytes.indexOf(QUOTE, j);
    if (q < 0 || q >= end) return -1;
    // A quote ends the string unless an odd number of backslashes comes before it.
    let k = q - 1;
    while (bytes[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** The index just after the JSON value that starts at `i` (after whitespace), or -1. */
export function skipValue(bytes: Buffer, i: number, end: number): number {
  i = skipSpace(bytes, i, end);
  const first = bytes[i];
  if (first === QUOTE) return skipString(bytes, i, end);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < end; j++) {
      const c = bytes[j];
      if (c === QUOTE) {
        j = skipString(bytes, j, end) - 1;
        if (j < 0) return -1;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  for (let j = i; j < end; j++) {
    const c = bytes[j];
    if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) return j === i ? -1 : j;
  }
  return end > i ? end : -1;
}

/**
 * Receives each member of an object: the key's bytes without its quotes [keyStart, keyEnd) (never
 * an escape in them), and where its value starts. Returns the value's end when it read the
 * value itself, SKIP to have the walk skip it, STOPPED to end the walk there (before the value
 * is passed over: a long value is never walked for nothing), or -1 when the value cannot be read.
 */
export type MemberVisitor = (bytes: Buffer, keyStart: number, keyEnd: number, valueStart: number, end: number) => number;

export const SKIP = 0;
/** A walk that the visitor stopped before the object's end. */
export const STOPPED = -2;

/**
 * Walks the members of the object whose `{` is at `i` (after whitespace). Returns the index just
 * after its `}`, STOPPED when the visitor stopped, or -1 when the bytes cannot be walked for
 * certain: not an object, cut short, or a key with an escape (the caller then decodes).
 */
export function walkObject(bytes: Buffer, i: number, end: number, visit: MemberVisitor): number {
  i = skipSpace(bytes, i, end);
  if (bytes[i] !== 0x7b) return -1;
  i = skipSpace(bytes, i + 1, end);
  if (bytes[i] === 0x7d) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) return -1;
    const keyEnd = skipString(bytes, i, end);
    if (keyEnd < 0) return -1;
    for (let k = i + 1; k < keyEnd - 1; k++) if (bytes[k] === BACKSLASH) return -1;
    const colon = skipSpace(bytes, keyEnd, end);
    if (bytes[colon] !== 0x3a) return -1;
    const valueStart = skipSpace(bytes, colon + 1, end);
    const seen = visit(bytes, i + 1, keyEnd - 1, valueStart, end);
    if (seen === STOPPED || seen === -1) return seen;
    const valueEnd = seen === SKIP ? skipValue(bytes, valueStart, end) : seen;
    if (valueEnd < 0) return -1;
    i = skipSpace(bytes, valueEnd, end);
    if (bytes[i] === 0x2c) {
      i = skipSpace(bytes, i + 1, end);
      continue;
    }
    return bytes[i] === 0x7d ? i + 1 : -1;
  }
}

/** Whether the key [keyStart, keyEnd) is `key` (ASCII). */
export function keyIs(bytes: Buffer, keyStart: number, keyEnd: number, key: string): boolean {
  if (keyEnd - keyStart !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[keyStart + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** Whether the bytes at `start` are `word`'s (a JavaScript loop: a native compare costs more than a few bytes). */
export function sameBytes(bytes: Buffer, start: number, word: Buffer): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[start + i] !== word[i]) return false;
  return true;
}

/** True when [from, to) holds only printable ASCII without a backslash. */
function plainAscii(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number;
    if (c === BACKSLASH || c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

const LITERALS: Array<[Buffer, unknown]> = [
  [Buffer.from('true'), true],
  [Buffer.from('false'), false],
  [Buffer.from('null'), null],
];

/** The JSON value at [start, end), parsed; undefined when it is not JSON. */
export function valueAt(bytes: Buffer, start: number, end: number): unknown {
  if (start < 0) return undefined;
  // A plain string (ids, model names, timestamps): its bytes as they are, without JSON.parse;
  // one with an escape or a byte beyond ASCII goes the long way. So do true, false and null.
  end = trimEnd(bytes, start, end);
  if (bytes[start] === QUOTE && bytes[end - 1] === QUOTE && end - start >= 2 && plainAscii(bytes, start + 1, end - 1))
    return bytes.toString('latin1', start + 1, end - 1);
  for (const [literal, value] of LITERALS) {
    if (end - start === literal.length && sameBytes(bytes, start, literal)) return value;
  }
  try {
    return JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    return undefined;
  }
}

/** Keys' bytes by their length, each with its slot: most members of a line are none of them, and a length none has says so at once. */
export type KeyTable = Array<Array<{ bytes: Buffer; slot: number }> | undefined>;

export function keyTable(keys: ReadonlyArray<readonly [string, number]>): KeyTable {
  const table: KeyTable = [];
  for (const [key, slot] of keys) {
    table[key.length] ??= [];
    table[key.length]?.push({ bytes: Buffer.from(key), slot });
  }
  return table;
}

/** The slot of the key in [keyStart, keyEnd) of `bytes` (a member's name, without its quotes), -1 where the table has none. */
export function slotOf(bytes: Buffer, keyStart: number, keyEnd: number, table: KeyTable): number {
  const candidates = table[keyEnd - keyStart];
  if (candidates === undefined) return -1;
  for (const { bytes: key, slot } of candidates) if (sameBytes(bytes, keyStart, key)) return slot;
  return -1;
}
