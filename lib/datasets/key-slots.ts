/**
 * Numbers the distinct string keys of a scan (0, 1, 2, ... in the order first seen), holding
 * them as bytes in large blocks outside the JavaScript heap. A history's Claude request keys run
 * to hundreds of thousands: as strings in a Map they cost about 120 bytes each, and because
 * they all survive, they would make the collector grow both of its generations. Here a key
 * costs its bytes plus 16, and the collector never sees it.
 */
import { Column } from './columns.js';

const BLOCK_BYTES = 1 << 20;

/** Node 20 has it; TypeScript's ES2023 library does not declare it yet. */
type WellFormedCheck = string & { isWellFormed(): boolean };
export class KeySlots {
  private readonly blocks: Buffer[] = [];
  private used = BLOCK_BYTES; // no block yet: the first key opens one
  /** Per key: where its bytes start (block * BLOCK_BYTES + offset), their length, and its hash. */
  private readonly keys = new Column(3, (n) => new Uint32Array(n));
  /** Open addressing: slot + 1, or 0 for an empty place. */
  private table = new Int32Array(1 << 12);
  private scratch = Buffer.allocUnsafe(256);
  count = 0;

  /** The key's number, adding it when it was never added; `added` says which (one encoding, one hash). */
  intern(key: string): { number: number; added: boolean } {
    const size = this.encode(key);
    const h = fnv(this.scratch, size);
    const found = this.lookup(size, h);
    return found === undefined ? { number: this.insert(size, h), added: true } : { number: found, added: false };
  }

  /** The number of the key in the scratch buffer (`size` bytes, hash `h`), or undefined. */
  private lookup(size: number, h: number): number | undefined {
    const mask = this.table.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const entry = this.table[at] as number;
      if (entry === 0) return undefined;
      if (this.hashOf(entry - 1) === h && this.same(entry - 1, size)) return entry - 1;
    }
  }

  /** Adds the key in the scratch buffer (not added before). */
  private insert(size: number, h: number): number {
    const slot = this.count++;
    if (size > BLOCK_BYTES) throw new RangeError(`a key of ${size} bytes`);
    if (this.used + size > BLOCK_BYTES) {
      this.blocks.push(Buffer.allocUnsafe(BLOCK_BYTES));
      this.used = 0;
    }
    // A plain loop: Buffer#copy's own cost per call is more than a short key's bytes.
    const block = this.blocks[this.blocks.length - 1] as Buffer;
    for (let i = 0; i < size; i++) block[this.used + i] = this.scratch[i] as number;
    const keys = this.keys.block(slot);
    const at = this.keys.offset(slot);
    keys[at] = (this.blocks.length - 1) * BLOCK_BYTES + this.used;
    keys[at + 1] = size;
    keys[at + 2] = h;
    this.used += size;
    if (this.count * 2 > this.table.length) this.grow();
    this.place(slot, h);
    return slot;
  }

  /** The key of a number. */
  key(slot: number): string {
    const keys = this.keys.block(slot);
    const at = this.keys.offset(slot);
    const start = keys[at] as number;
    const block = this.blocks[Math.floor(start / BLOCK_BYTES)] as Buffer;
    const offset = start % BLOCK_BYTES;
    const end = offset + (keys[at + 1] as number);
    return block[offset] === 0xff ? block.toString('utf16le', offset + 1, end) : block.toString('utf8', offset, end);
  }

  /**
   * The key's bytes into the scratch buffer: UTF-8, or, for a string UTF-8 cannot hold (a lone
   * surrogate), a 0xff byte (never in UTF-8) and its UTF-16 code units, so no two keys share bytes.
   */
  private encode(key: string): number {
    if (key.length * 3 + 1 > this.scratch.length) this.scratch = Buffer.allocUnsafe(key.length * 3 + 1);
    if ((key as WellFormedCheck).isWellFormed()) return this.scratch.write(key, 'utf8');
    this.scratch[0] = 0xff;
    return 1 + this.scratch.write(key, 1, 'utf16le');
  }

  private hashOf(slot: number): number {
    return this.keys.block(slot)[this.keys.offset(slot) + 2] as number;
  }

  private same(slot: number, size: number): boolean {
    const keys = this.keys.block(slot);
    const at = this.keys.offset(slot);
    if (keys[at + 1] !== size) return false;
    const start = keys[at] as number;
    const block = this.blocks[Math.floor(start / BLOCK_BYTES)] as Buffer;
    const offset = start % BLOCK_BYTES;
    const scratch = this.scratch;
    for (let i = 0; i < size; i++) if (block[offset + i] !== scratch[i]) return false;
    return true;
  }

  private place(slot: number, h: number): void {
    const mask = this.table.length - 1;
    let at = h & mask;
    while (this.table[at] !== 0) at = (at + 1) & mask;
    this.table[at] = slot + 1;
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let slot = 0; slot < this.count - 1; slot++) this.place(slot, this.hashOf(slot));
  }
}

/** FNV-1a over the first `size` bytes, as an unsigned 32-bit number. */
function fnv(bytes: Buffer, size: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < size; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}
