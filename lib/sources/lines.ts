/**
 * Reads a session file as lines of bytes, fast: large synchronous reads into one Buffer, lines
 * found with Buffer.indexOf, and nothing decoded here, so a reader can test a cheap byte marker
 * before it spends anything on a line. `.zst` files (Codex compresses idle rollouts) are
 * decompressed on the way by fzstd: pure JavaScript (nothing to compile, no binary to
 * download), maintained, 8 kB, and synchronous chunk by chunk, which this reader needs; Node's
 * own zstd arrives only in Node 22.15.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Decompress } from 'fzstd';

/** One line: bytes [start, end) of `buffer`, without its newline (nor a CR before it). */
export interface LineSink {
  line(buffer: Buffer, start: number, end: number, lineNumber: number): void;
  /** A line longer than the limit: skipped without keeping it in memory. */
  tooLong(lineNumber: number, bytes: number): void;
}

const CHUNK = 1 << 20;
/** Longer lines are skipped and reported rather than held in memory (peak memory stays bounded). */
export const MAX_LINE_BYTES = 32 << 20;

/** Decompresses zstd chunk by chunk, synchronously. */
interface Inflater {
  push(chunk: Buffer, final: boolean): Buffer[];
}

function inflater(): Inflater {
  const out: Buffer[] = [];
  const zstd = new Decompress((data) => {
    out.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  return {
    push(chunk, final) {
      zstd.push(chunk, final);
      return out.splice(0, out.length);
    },
  };
}

export class LineReader {
  private fd: number | undefined;
  private readonly zstd: Inflater | undefined;
  private readonly readBuffer = Buffer.allocUnsafe(CHUNK);
  /** Bytes of a line begun in earlier chunks. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skippingLongLine = false;
  private lineNumber = 0;
  private eof = false;
  /** Bytes read from the file (compressed bytes for .zst). */
  bytesRead = 0;

  private position = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.zstd = path.endsWith('.zst') ? inflater() : undefined;
  }

  get done(): boolean {
    return this.eof;
  }

  /** Reads one chunk and hands every complete line in it to the sink; at the end, the last line. */
  pump(sink: LineSink): void {
    if (this.eof || this.fd === undefined) return;
    const n = readSync(this.fd, this.readBuffer, 0, CHUNK, this.position);
    this.position += n;
    this.bytesRead += n;
    const final = n === 0;
    let pieces: Buffer[];
    if (this.zstd) {
      pieces = this.zstd.push(final ? Buffer.alloc(0) : Buffer.from(this.readBuffer.subarray(0, n)), final);
    } else {
      pieces = final ? [] : [this.readBuffer.subarray(0, n)];
    }
    for (const piece of pieces) this.split(piece, sink);
    if (final) {
      this.finishLine(sink);
      this.eof = true;
      this.close();
    }
  }

  private split(piece: Buffer, sink: LineSink): void {
    let start = 0;
    for (;;) {
      const newline = piece.indexOf(10, start);
      if (newline < 0) break;
      if (this.carryBytes > 0 || this.skippingLongLine) {
        this.keep(piece, start, newline);
        this.finishLine(sink);
      } else {
        this.emit(sink, piece, start, newline);
      }
      start = newline + 1;
    }
    if (start < piece.length) this.keep(piece, start, piece.length);
  }

  /** Holds part of a line that continues in the next chunk (copied: the read buffer is reused). */
  private keep(piece: Buffer, start: number, end: number): void {
    if (this.skippingLongLine) {
      this.carryBytes += end - start;
      return;
    }
    this.carryBytes += end - start;
    if (this.carryBytes > MAX_LINE_BYTES) {
      this.carry = [];
      this.skippingLongLine = true;
      return;
    }
    this.carry.push(Buffer.from(piece.subarray(start, end)));
  }

  private finishLine(sink: LineSink): void {
    if (this.skippingLongLine) {
      this.lineNumber++;
      sink.tooLong(this.lineNumber, this.carryBytes);
    } else if (this.carryBytes > 0) {
      const line = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry, this.carryBytes);
      this.emit(sink, line, 0, line.length);
    }
    this.carry = [];
    this.carryBytes = 0;
    this.skippingLongLine = false;
  }

  private emit(sink: LineSink, buffer: Buffer, start: number, end: number): void {
    this.lineNumber++;
    const last = end > start && buffer[end - 1] === 13 ? end - 1 : end;
    sink.line(buffer, start, last, this.lineNumber);
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
