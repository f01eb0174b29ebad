/**
 * What a scan that reads few lines tells its readers (a kept table patched with a grown
 * transcript's new lines): a walk over a line's bytes is faster than a whole decode only once V8
 * has compiled it, after megabytes of lines, and such a scan is done before then. A reader given
 * a budget may decode that many bytes of lines whole where both ways tell the same; only speed
 * changes (test/unit/decode-first.test.ts reads every line both ways).
 */

/** Bytes of lines few enough that decoding them whole costs less than compiling a walk over them. */
const FEW = 4 << 20;

export class DecodeBudget {
  constructor(private left: number) {}

  /** Whether a line of this many bytes may be decoded whole; it counts against what is left. */
  take(bytes: number): boolean {
    if (this.left <= 0) return false;
    this.left -= bytes;
    return true;
  }
}

/** The budget of a scan about to read about this many bytes of lines: none where they are not few. */
export function fewLines(bytes: number): DecodeBudget | undefined {
  return bytes <= FEW ? new DecodeBudget(bytes) : undefined;
}
