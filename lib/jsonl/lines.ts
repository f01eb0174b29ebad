/**
 * Splits input into lines, for every reader of the project: as bytes for session logs (a reader
 * tests byte markers before decoding anything) and as text for JSON Lines (decoded per chunk).
 * Newlines are searched in each new chunk only, and a line that spans chunks is joined once, so
 * time stays linear however long a line is. A line longer than the limit is skipped without
 * being held in memory, and reported.
 */
import { StringDecoder } from 'node:string_decoder';

/** Receives each line as bytes [start, end) of `buffer`, without its newline (nor a CR before it). */
export interface LineSink {
  line(buffer: Buffer, start: number, end: number, lineNumber: number): void;
  /** A line longer than the limit: skipped, never held in memory. */
  tooLong(lineNumber: number, bytes: number): void;
}

/** Longer lines are skipped and reported rather than held (peak memory stays bounded). */
export const MAX_LINE_BYTES = 32 << 20;

export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLine = MAX_LINE_BYTES,
    /** Lines before the first byte pushed (a file read on from where an earlier read stopped). */
    private lineNumber = 0,
  ) {}

  /** Lines ended so far (counting those before the start). */
  get lines(): number {
    return this.lineNumber;
  }

  /** Bytes pushed since the last newline: the line not ended yet. */
  get pendingBytes(): number {
    return this.carryBytes;
  }

  /** Splits a chunk; `reused` says the chunk's memory will be overwritten (so pieces are copied). */
  push(chunk: Buffer, reused = false): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) break;
      if (this.carryBytes > 0 || this.skipping) {
        this.keep(chunk, start, newline, reused);
        this.endLine();
      } else {
        this.emit(chunk, start, newline);
      }
      start = newline + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length, reused);
  }

  /** The last line, when the input does not end with a newline. */
  end(): void {
    if (this.carryBytes > 0 || this.skipping) this.endLine();
  }

  private keep(chunk: Buffer, start: number, end: number, reused: boolean): void {
    this.carryBytes += end - start;
    if (this.skipping) return;
    if (this.carryBytes > this.maxLine) {
      this.carry = [];
      this.skipping = true;
      return;
    }
    const piece = chunk.subarray(start, end);
    this.carry.push(reused ? Buffer.from(piece) : piece);
  }

  private endLine(): void {
    if (this.skipping) {
      this.lineNumber++;
      this.sink.tooLong(this.lineNumber, this.carryBytes);
    } else {
      const line = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry, this.carryBytes);
      this.emit(line, 0, line.length);
    }
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
  }

  private emit(buffer: Buffer, start: number, end: number): void {
    this.lineNumber++;
    this.sink.line(buffer, start, end > start && buffer[end - 1] === 13 ? end - 1 : end, this.lineNumber);
  }
}

/** Receives each line of text, without its newline (nor a CR before it). */
export interface TextLineSink {
  line(text: string, lineNumber: number): void;
  /** A line longer than the limit: skipped, never held in memory. */
  tooLong(lineNumber: number, characters: number): void;
}

/**
 * The same splitting for text: each chunk is decoded once (a character cut between chunks is
 * kept for the next), newlines are searched in the new text only, and a line that spans chunks
 * is joined once. Decoding per chunk rather than per line is what makes stdin fast.
 */
export class TextLineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private skipping = false;
  private skipped = 0;
  private lineNumber = 0;

  constructor(
    private readonly sink: TextLineSink,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    this.split(this.decoder.write(chunk));
  }

  end(): void {
    this.split(this.decoder.end());
    if (this.carry !== '' || this.skipping) this.endLine('');
  }

  private split(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      this.endLine(text.slice(start, newline));
      start = newline + 1;
    }
    const rest = text.length - start;
    if (rest === 0) return;
    if (this.skipping) {
      this.skipped += rest;
    } else if (this.carry.length + rest > this.maxLine) {
      this.skipping = true;
      this.skipped = this.carry.length + rest;
      this.carry = '';
    } else {
      this.carry += start === 0 ? text : text.slice(start);
    }
  }

  private endLine(tail: string): void {
    this.lineNumber++;
    if (this.skipping) {
      this.sink.tooLong(this.lineNumber, this.skipped + tail.length);
      this.skipping = false;
      this.skipped = 0;
      return;
    }
    let line = this.carry === '' ? tail : this.carry + tail;
    this.carry = '';
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    this.sink.line(line, this.lineNumber);
  }
}
