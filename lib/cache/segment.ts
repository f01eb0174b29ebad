/** The segment files of a cache folder: written by one scan each, read back entry by entry. */
import { closeSync, fstatSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { checkOf, hexCrc, type Entry } from './entry.js';
import { crc32 } from 'node:zlib';
import { readAt } from './index-file.js';

const CHUNK = 1 << 20;
const BLOCK = 4 << 20;
const PIECE = 64 << 10;
const GATHER = 1 << 20;

/**
 * The segment this scan writes its new entries to, created when the first entry has data. Writes
 * are gathered a block at a time: most files' events are a few kB, and a system call each would
 * cost more than encoding them. What is gathered reaches the file at close, which the save does
 * before the index names the segment.
 */
export class Segment {
  readonly name = `seg-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.dat`;
  private fd: number | undefined;
  /** Bytes written, gathered ones included: where the next entry starts. */
  size = 0;
  private gathered: Buffer | undefined;
  private fill = 0;
  /** Whether the file was made: it is removed with what was written to it, or begun to be. */
  private created = false;

  constructor(private readonly folder: string) {}

  write(data: Buffer): void {
    if (this.fill + data.length > GATHER) this.flush();
    if (data.length >= GATHER) this.writeOut(data);
    else {
      this.gathered ??= Buffer.allocUnsafe(GATHER);
      data.copy(this.gathered, this.fill);
      this.fill += data.length;
    }
    this.size += data.length;
  }

  private flush(): void {
    if (this.fill === 0 || this.gathered === undefined) return;
    const data = this.gathered.subarray(0, this.fill);
    this.fill = 0;
    this.writeOut(data);
  }

  private writeOut(data: Buffer): void {
    // Created new (never another scan's file); opened again to append when compaction adds to it after the scan.
    if (this.fd === undefined) {
      this.fd = openSync(join(this.folder, this.name), this.created ? 'a' : 'wx', 0o600);
      this.created = true;
    }
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done);
  }

  /** Writes what is gathered and closes the file; throws when the disk refuses. */
  close(): void {
    try {
      this.flush();
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }

  remove(): void {
    this.fill = 0;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    // Also where the disk refused its first bytes: a file begun and left would hold the space.
    if (this.created) rmSync(join(this.folder, this.name), { force: true });
  }
}

/**
 * Reads a segment through a block of a few MB of its own: a scan uses entries in about the order
 * they were written (the order files are found in), so most come out of the block already read.
 * Each segment has its block, because entries of two segments alternate after files grew (those
 * that grew are in the newer one): with one block shared, every switch would read it again.
 * There are few segments: the save copies one less than half used into its own.
 */
export class SegmentReader {
  private buffer: Buffer | undefined;
  private block: Buffer = Buffer.alloc(0);
  private blockStart = 0;

  constructor(readonly fd: number) {}

  /** The bytes, valid until this reader's next read (its block is reused, so reads leave the collector no garbage). */
  read(start: number, length: number): Buffer {
    const at = start - this.blockStart;
    if (at >= 0 && at + length <= this.block.length) return this.block.subarray(at, at + length);
    this.buffer ??= Buffer.allocUnsafeSlow(Math.min(BLOCK, Math.max(length, fstatSync(this.fd).size)));
    this.block = readAt(this.fd, this.buffer.length, start, this.buffer);
    this.blockStart = start;
    return this.block.subarray(0, Math.min(length, this.block.length));
  }
}

/** The events of an entry, checked whole against its CRC-32 first, then handed out in chunks of whole lines. */
export class EntryData {
  private position = 0;
  private checked = false;
  /** The whole data, when it fits in a block (valid until the next entry is read: one file at a time). */
  private whole: Buffer | undefined;

  constructor(
    private readonly segment: SegmentReader | undefined,
    private readonly entry: Entry,
  ) {}

  /** Whether the data is whole and as written (false: damaged, cut short, unreadable, or its segment is gone). */
  check(): boolean {
    try {
      return this.checkData();
    } catch {
      return false;
    }
  }

  private checkData(): boolean {
    const { segment, entry } = this;
    if (segment === undefined) {
      this.checked = entry.sum === checkOf('');
      return this.checked;
    }
    if (entry.length <= BLOCK) {
      const bytes = segment.read(entry.start, entry.length);
      this.checked = bytes.length === entry.length && checkOf(bytes) === entry.sum;
      if (this.checked) this.whole = bytes;
      return this.checked;
    }
    let crc = 0;
    for (let at = 0; at < entry.length; at += CHUNK) {
      const piece = readAt(segment.fd, Math.min(CHUNK, entry.length - at), entry.start + at);
      if (piece.length === 0) return false;
      crc = crc32(piece, crc);
    }
    this.checked = hexCrc(crc) === entry.sum;
    return this.checked;
  }

  /**
   * The next piece of whole lines, some 64 kB: larger text would go straight to the old
   * generation, and a large entry would leave as much garbage there. Undefined at the end.
   */
  next(): string | undefined {
    const { segment, entry } = this;
    if (!this.checked || segment === undefined || this.position >= entry.length) return undefined;
    if (this.whole !== undefined) {
      const whole = this.whole;
      let end = Math.min(whole.length, this.position + PIECE);
      if (end < whole.length) {
        const cut = whole.lastIndexOf(10, end - 1);
        end = cut >= this.position ? cut + 1 : whole.indexOf(10, end) + 1 || whole.length;
      }
      const text = whole.toString('utf8', this.position, end);
      this.position = end;
      return text;
    }
    for (let size = PIECE; ; size *= 2) {
      const piece = readAt(segment.fd, Math.min(size, entry.length - this.position), entry.start + this.position);
      // The data was checked whole, so it ends with a newline; a line longer than a chunk takes a larger one.
      const end = piece.lastIndexOf(10) + 1;
      if (piece.length === 0) return undefined; // the segment shrank since it was checked: nothing more
      if (end === 0 && this.position + piece.length < entry.length) continue;
      this.position += end;
      return piece.toString('utf8', 0, end);
    }
  }
}
