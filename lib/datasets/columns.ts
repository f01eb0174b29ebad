/** Numbers held outside the JavaScript heap, for what a scan keeps per request. */
const SHIFT = 13;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

/**
 * A column of numbers, `width` per slot, in fixed-size blocks: growing never copies, and at most
 * one block is unused (a doubling array wastes up to half, and holds two copies while it grows).
 */
export class Column {
  private readonly blocks: Array<Float64Array | Int32Array | Uint32Array | Uint8Array> = [];

  constructor(
    private readonly width: number,
    private readonly make: (length: number) => Float64Array | Int32Array | Uint32Array | Uint8Array,
  ) {}

  get(slot: number, k = 0): number {
    return (this.blocks[slot >>> SHIFT] as Float64Array)[(slot & MASK) * this.width + k] as number;
  }

  set(slot: number, k: number, value: number): void {
    const block = slot >>> SHIFT;
    while (this.blocks.length <= block) this.blocks.push(this.make(BLOCK * this.width));
    (this.blocks[block] as Float64Array)[(slot & MASK) * this.width + k] = value;
  }
}
