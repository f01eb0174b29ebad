/**
 * Just enough JSON over raw bytes to find the few fields a dataset needs in a long line without
 * decoding the rest (a Claude response line carries its whole thinking and tool input). Every
 * function returns -1 or undefined when the bytes are not laid out as expected; callers then
 * fall back to JSON.parse of the whole line.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when [from, to) holds only printable ASCII without a backslash. */
function plainAscii(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number;
    if (c === BACKSLASH || c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The index just after the string that starts at `i` (a quote), or -1. */
export function skipString(bytes: Buffer, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = bytes[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return -1;
}

/** The index just after the JSON value that starts at `i` (after spaces), or -1. */
export function skipValue(bytes: Buffer, i: number, end: number): number {
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
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
    if (c === 0x2c || c === 0x7d || c === 0x5d) return j;
  }
  return -1;
}

/**
 * The value of `"key":` found first in [from, to), parsed; undefined when absent or not JSON.
 * The search runs on to the end of `bytes` (no view is made for it): give it one line's bytes.
 */
export function valueAfter(bytes: Buffer, key: Buffer, from: number, to: number): unknown {
  const at = bytes.indexOf(key, from);
  if (at < 0 || at + key.length > to) return undefined;
  const start = at + key.length;
  const stop = skipValue(bytes, start, to);
  if (stop < 0) return undefined;
  // A plain string (ids, model names, timestamps): its bytes as they are, without JSON.parse;
  // one with an escape or a byte beyond ASCII goes the long way.
  if (bytes[start] === QUOTE && plainAscii(bytes, start + 1, stop - 1)) return bytes.toString('latin1', start + 1, stop - 1);
  try {
    return JSON.parse(bytes.toString('utf8', start, stop));
  } catch {
    return undefined;
  }
}
