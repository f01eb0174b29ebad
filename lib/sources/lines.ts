/**
 * Reads a session file as lines of bytes, fast: large synchronous reads into one reused Buffer,
 * split by the project's LineSplitter, nothing decoded here, so that a reader can test a cheap
 * byte marker before it spends anything on a line. `.zst` files (Codex compresses idle rollouts)
 * are decompressed on the way by fzstd: pure JavaScript (nothing to compile, no binary to
 * download), maintained, 8 kB, and synchronous chunk by chunk, which this reader needs; Node's
 * own zstd arrives only with Node 22.15.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Decompress } from 'fzstd';
import type { LineSplitter } from '../jsonl/lines.js';

export type { LineSink } from '../jsonl/lines.js';

const CHUNK = 1 << 20;

/**
 * How many of a file's first bytes, and of the bytes before a read point, a cache entry keeps a
 * digest of: a file found grown must still begin and go on as the one read.
 */
export const HEAD_BYTES = 256;
export const TAIL_BYTES = 64;

/** A file's first bytes and the bytes before a point in it, as a reader read them. */
export interface FileEdges {
  head: Uint8Array;
  tail: Uint8Array;
}
// One read buffer for every file: files are read one after the other, and a buffer per file
// would leave megabytes of garbage per file for the collector to find.
let shared: Buffer | undefined;

function sharedBuffer(): Buffer {
  shared ??= Buffer.allocUnsafe(CHUNK);
  return shared;
}

export class LineReader {
  private fd: number | undefined;
  private readonly readBuffer = sharedBuffer();
  private readonly inflated: Buffer[] = [];
  private readonly zstd: Decompress | undefined;
  private position: number;
  private eof = false;
  /** Bytes read from the file (compressed bytes for .zst). */
  bytesRead = 0;
  /** The file's first bytes (copied: the read buffer is every file's), when the read began at 0. */
  private head: Buffer | undefined;
  /** The last bytes read, ending at `position`. */
  private readonly last = Buffer.alloc(TAIL_BYTES);
  private lastLength = 0;

  /** `start`: the byte to read from (a file that grew since an earlier read; never a .zst). */
  constructor(
    readonly path: string,
    start = 0,
  ) {
    this.position = start;
    this.fd = openSync(path, 'r');
    this.zstd = path.endsWith('.zst')
      ? new Decompress((data) => {
          this.inflated.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        })
      : undefined;
  }

  get done(): boolean {
    return this.eof;
  }

  /** The file's bytes up to the last newline the splitter was given (the point to read on from later). */
  completeBytes(splitter: LineSplitter): number {
    return this.position - splitter.pendingBytes;
  }

  /**
   * Reads one chunk and hands every complete line in it to the splitter's sink. At the end of
   * the file the reader is done; the caller ends the splitter (a last line without a newline).
   */
  pump(splitter: LineSplitter): void {
    if (this.eof || this.fd === undefined) return;
    const n = readSync(this.fd, this.readBuffer, 0, CHUNK, this.position);
    this.keepEdges(n);
    this.position += n;
    this.bytesRead += n;
    if (this.zstd) {
      this.zstd.push(n === 0 ? new Uint8Array(0) : new Uint8Array(this.readBuffer.subarray(0, n)), n === 0);
      for (const piece of this.inflated.splice(0)) splitter.push(piece);
    } else if (n > 0) {
      splitter.push(this.readBuffer.subarray(0, n), true);
    }
    if (n === 0) {
      this.eof = true;
      this.close();
    }
  }

  private keepEdges(n: number): void {
    if (n === 0) return;
    if (this.position === 0) this.head = Buffer.from(this.readBuffer.subarray(0, Math.min(HEAD_BYTES, n)));
    if (n >= TAIL_BYTES) this.readBuffer.copy(this.last, 0, n - TAIL_BYTES, n);
    else {
      const kept = Math.min(this.lastLength, TAIL_BYTES - n);
      this.last.copy(this.last, 0, this.lastLength - kept, this.lastLength);
      this.readBuffer.copy(this.last, kept, 0, n);
      this.lastLength = kept + n;
      return;
    }
    this.lastLength = TAIL_BYTES;
  }

  /**
   * The file's first bytes and those before `end`, from what this reader read (so that a cache
   * need not open the file again for them); undefined when it no longer has them (it began
   * after the start, or `end` is far before where it stopped).
   */
  edges(end: number): FileEdges | undefined {
    const head = this.head;
    const tailStart = Math.max(0, end - TAIL_BYTES);
    const lastStart = this.position - this.lastLength;
    if (head === undefined || head.length < Math.min(HEAD_BYTES, end) || end > this.position || tailStart < lastStart) return undefined;
    return {
      head: head.subarray(0, Math.min(HEAD_BYTES, end)),
      tail: Buffer.from(this.last.subarray(tailStart - lastStart, end - lastStart)),
    };
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
