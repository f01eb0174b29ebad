/**
 * A hint from a scan to the readers of its thread: how many bytes of lines it is about to read,
 * where that is few (a kept table patched with a grown transcript's new lines). A walk over a
 * line's bytes is faster than a whole decode only once V8 has compiled it, after megabytes of
 * lines: a scan that reads fewer is done before then, and a reader may decode them whole. Only
 * speed changes: both ways tell the same (test/unit/serializations.test.ts, fuzz.test.ts).
 */

let left = 0;

/** The next `bytes` of lines this thread reads may be decoded whole (0: none). */
export function decodeFirst(bytes: number): void {
  left = bytes;
}

/** Whether a line of this many bytes may be decoded whole; it counts against what is left. */
export function decodedFirst(bytes: number): boolean {
  if (left <= 0) return false;
  left -= bytes;
  return true;
}

/** Bytes of lines few enough that decoding them whole costs less than compiling a walk over them. */
const FEW = 4 << 20;

/** A scan is about to read about this many bytes of lines: they are decoded whole where they are few. */
export function aboutToRead(bytes: number): void {
  decodeFirst(bytes <= FEW ? bytes : 0);
}
