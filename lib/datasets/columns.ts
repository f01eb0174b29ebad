/** Numbers held outside the JavaScript heap, for what a scan keeps per request. */
const SHIFT = 13;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

type NumberArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * A column of numbers, `width` per slot, in fixed-size blocks: growing never copies, and at most
 * one block is unused (a doubling array wastes up to half, and holds two copies while it grows).
 *
 * A slot's numbers are read and written by the caller, in its block at its offset
 * (`column.block(slot)[column.offset(slot) + k]`), not through a method: an element access
 * written once for every kind of typed array would see them all and be slow for each, while one
 * in the caller sees only its own column's kind.
 */
export class Column<T extends NumberArray> {
  private readonly blocks: T[] = [];

  constructor(
    private readonly width: number,
    private readonly make: (length: number) => T,
  ) {}

  /** The block that holds the slot; blocks up to it are made as needed. */
  block(slot: number): T {
    const block = slot >>> SHIFT;
    while (this.blocks.length <= block) this.blocks.push(this.make(BLOCK * this.width));
    return this.blocks[block] as T;
  }

  /** Where the slot's numbers start in its block. */
  offset(slot: number): number {
    return (slot & MASK) * this.width;
  }
}
