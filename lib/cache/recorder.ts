/** A file's events written to the scan's segment as they are read, until the read point seals its entry. */
import { errorReason } from '../base/errors.js';
import { encodeItem, type CachedItem } from '../sources/event-codec.js';
import type { LogStat, ReadPoint } from '../sources/session-reader.js';
import { edgeMarks, fingerprints, hexCrc, type Entry } from './entry.js';
import { crc32 } from 'node:zlib';
import type { FileEdges } from '../sources/lines.js';
import type { Segment } from './segment.js';

const CHUNK = 1 << 20;

/** Where a sealed entry goes (the scan's cache), and what it is told when a write fails. */
export interface EntryKeeper {
  /** Saved or abandoned: nothing more is written. */
  readonly closed: boolean;
  keep(entry: Entry): void;
  fail(reason: string): void;
}

let scratch = Buffer.allocUnsafe(0);

/**
 * A file's events and line problems as they are read, written to the scan's segment a megabyte
 * at a time (so a large file's events are never all in memory), until the read point seals them.
 */
export class Recorder {
  private pieces: string[] = [];
  private pending = 0;
  private crc = 0;
  private start = -1;
  private length = 0;

  constructor(
    readonly path: string,
    private readonly segment: Segment,
    private readonly cache: EntryKeeper,
  ) {}

  item(item: CachedItem): void {
    this.text(encodeItem(item));
  }

  /** Lines already encoded (an entry's events, carried into the entry of the grown file). */
  text(text: string): void {
    this.pieces.push(text);
    this.pending += text.length;
    if (this.pending >= CHUNK) this.flush();
  }

  private flush(): boolean {
    if (this.cache.closed) return false;
    if (this.pieces.length === 0) return true;
    const text = this.pieces.join('');
    // Encoded into one reused buffer: a new one per flush would leave the collector as many bytes of
    // buffers as the transcript has.
    const size = Buffer.byteLength(text);
    if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    const data = scratch.subarray(0, scratch.write(text));
    this.pieces = [];
    this.pending = 0;
    try {
      if (this.start < 0) this.start = this.segment.size;
      this.segment.write(data);
    } catch (error) {
      this.cache.fail(errorReason(error));
      return false;
    }
    this.crc = crc32(data, this.crc);
    this.length += data.length;
    return true;
  }

  /** The entry of the file read to `point`, as it was when it was looked at (`stat`); `edges`: its bytes there, where the reader had them. */
  seal(point: ReadPoint, stat: LogStat, edges?: FileEdges): void {
    if (!this.flush()) return;
    const marks = edges === undefined ? fingerprints(this.path, point.offset) : edgeMarks(edges);
    if (marks === undefined) return;
    this.cache.keep({
      path: this.path,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ino: stat.ino,
      ctimeMs: stat.ctimeMs,
      segment: this.length === 0 ? '' : this.segment.name,
      start: Math.max(0, this.start),
      length: this.length,
      sum: hexCrc(this.crc),
      point,
      ...marks,
    });
  }
}
