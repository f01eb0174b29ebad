/**
 * The cache's index on disk, read and written as a stream so that memory does not follow the
 * number of files: one line per file, sorted in the order a walk finds files (`walkOrder`), read
 * through a cursor that moves forward as the scan does and seeks by bisection when it jumps;
 * a scan's news go to a journal file, merged with the index at the end, run by sorted run (its
 * last line, which names no file, is index-write.ts's).
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { walkOrder } from '../sources/files.js';

const BLOCK = 256 << 10;
const PROBE = 8 << 10;
/** A seek bisects down to this span, and reads it first: a lookup reads a few kilobytes, not a block. */
const SEEK_SPAN = 16 << 10;

/** Reads `length` bytes at `position` (into `buffer` when given); fewer when the file is shorter. */
export function readAt(fd: number, length: number, position: number, buffer: Buffer = Buffer.allocUnsafe(length)): Buffer {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** A file opened for reading; undefined where there is none. Throws where it cannot be opened otherwise (permissions, I/O). */
export function openIfThere(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The path of an index line (its first field, as JSON), or undefined when the line is none. */
export function linePath(text: string, from = 0): string | undefined {
  const tab = text.indexOf('\t', from);
  if (tab < from + 2 || text.charCodeAt(from) !== 34 || text.charCodeAt(tab - 1) !== 34) return undefined;
  const quoted = text.slice(from, tab);
  try {
    return quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** A line of an index or journal, the path it is about, and where it is in its file (its newline ends before `end`). */
export interface Line {
  path: string;
  text: string;
  start: number;
  end: number;
}

/** Lines, one after another, in walk order. */
export interface LineSource {
  next(): Line | undefined;
}

/**
 * The lines of a byte range of a file, in order, a block at a time. Lines without a path are
 * skipped (damage), as are lines out of order (so that what is merged stays sorted).
 */
export class LineFile implements LineSource {
  private buffer: Buffer;
  private filled = 0;
  private at = 0;
  private position: number;
  private last: string | undefined;
  /** Where the last raw line is in the file. */
  private lineStart = 0;
  private lineEnd = 0;

  /** `first`: how much is read first (each read after reads twice as much, up to a block). */
  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
    first = BLOCK,
  ) {
    this.position = start;
    this.buffer = Buffer.allocUnsafe(Math.min(first, Math.max(256, end - start)));
  }

  next(): Line | undefined {
    for (;;) {
      const text = this.rawLine();
      if (text === undefined) return undefined;
      const path = linePath(text);
      if (path === undefined) continue;
      if (this.last !== undefined && walkOrder(path, this.last) < 0) continue;
      this.last = path;
      return { path, text, start: this.lineStart, end: this.lineEnd };
    }
  }

  private rawLine(): string | undefined {
    for (;;) {
      const newline = this.buffer.indexOf(10, this.at);
      if (newline >= 0 && newline < this.filled) {
        const text = this.buffer.toString('utf8', this.at, newline);
        // The buffer's byte `filled` is the file's byte `position`.
        this.lineStart = this.position - this.filled + this.at;
        this.lineEnd = this.position - this.filled + newline + 1;
        this.at = newline + 1;
        return text;
      }
      if (this.position >= this.end) {
        // A last line without its newline was cut short: not a line.
        this.at = this.filled;
        return undefined;
      }
      // The rest of the block to its front, and the block filled after it: one buffer for the
      // whole file (a new one per block left the collector megabytes to find).
      const rest = this.filled - this.at;
      if (rest === this.buffer.length || (this.buffer.length < BLOCK && this.filled > 0)) {
        const larger = Buffer.allocUnsafe(rest === this.buffer.length ? this.buffer.length * 2 : Math.min(BLOCK, this.buffer.length * 2));
        this.buffer.copy(larger, 0, this.at, this.filled);
        this.buffer = larger;
      } else {
        this.buffer.copy(this.buffer, 0, this.at, this.filled);
      }
      this.at = 0;
      this.filled = rest;
      const more = readAt(this.fd, Math.min(this.buffer.length - rest, this.end - this.position), this.position, this.buffer.subarray(rest));
      if (more.length === 0) this.position = this.end;
      this.position += more.length;
      this.filled += more.length;
    }
  }
}

/**
 * An index file open for lookups: `seek` finds the first line at or after a path by bisection,
 * `next` reads on. The file is kept open, so a scan reads one version of it even when another
 * scan replaces it meanwhile.
 */
export class IndexReader {
  private cursor: LineFile;
  /** The line the cursor is on: the first whose path is at or after the last sought. */
  current: Line | undefined;

  private constructor(
    readonly fd: number,
    readonly start: number,
    readonly size: number,
  ) {
    this.cursor = new LineFile(fd, start, size);
    this.current = this.cursor.next();
  }

  /**
   * The index at `path`; undefined when there is none, or it is of another version (it does not
   * begin with `head`). Throws when it cannot be read (permissions, I/O): such an index is not
   * to be replaced as if there were none.
   */
  static open(path: string, head: string): IndexReader | undefined {
    const fd = openIfThere(path);
    if (fd === undefined) return undefined;
    try {
      const size = fstatSync(fd).size;
      if (readAt(fd, head.length, 0).toString('utf8') === head) return new IndexReader(fd, head.length, size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    closeSync(fd);
    return undefined;
  }

  /** All its lines from the first, read apart from the cursor. */
  lines(): LineFile {
    return new LineFile(this.fd, this.start, this.size);
  }

  /** Moves to the next line. */
  next(): void {
    this.current = this.cursor.next();
  }

  /** Moves to the first line whose path is at or after `path` (in walk order). */
  seek(path: string): void {
    let low = this.start;
    let high = this.size;
    // Bisection over bytes: `low` is always a line start whose lines before are all before `path`.
    while (high - low > SEEK_SPAN) {
      const middle = low + Math.floor((high - low) / 2);
      const probe = readAt(this.fd, PROBE, middle - 1);
      const newline = probe.indexOf(10);
      if (newline < 0) break;
      const lineStart = middle + newline;
      const found = linePath(probe.toString('utf8', newline + 1));
      if (lineStart >= high || found === undefined) break;
      if (walkOrder(found, path) < 0) low = lineStart;
      else high = lineStart;
    }
    this.cursor = new LineFile(this.fd, low, this.size, SEEK_SPAN);
    this.current = this.cursor.next();
    while (this.current !== undefined && walkOrder(this.current.path, path) < 0) this.current = this.cursor.next();
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * A scan's news, in the order the scan found the files: new entry lines, and drops (a path and a
 * dash). Where the order breaks (another root, a root's archived rollouts) a new sorted run begins.
 */
export class Journal {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingLength = 0;
  private size = 0;
  private last: string | undefined;
  /** Where each sorted run begins. */
  readonly runs: number[] = [];

  constructor(readonly path: string) {}

  get empty(): boolean {
    return this.runs.length === 0;
  }

  add(path: string, line: string): void {
    if (this.last === undefined || walkOrder(path, this.last) < 0) this.runs.push(this.size + this.pendingLength);
    this.last = path;
    const text = `${line}\n`;
    this.pending.push(text);
    this.pendingLength += Buffer.byteLength(text);
    if (this.pendingLength >= BLOCK) this.flush();
  }

  /** Writes what is pending; throws when the disk refuses. */
  flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
    this.fd ??= openSync(this.path, 'wx', 0o600);
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done);
    this.size += data.length;
  }

  /** Each run's lines, read back (the journal flushed first). */
  open(): { fd: number; runs: LineFile[] } | undefined {
    this.flush();
    this.close();
    if (this.empty) return undefined;
    const fd = openSync(this.path, 'r');
    const ends = [...this.runs.slice(1), this.size];
    return { fd, runs: this.runs.map((start, i) => new LineFile(fd, start, ends[i] ?? this.size)) };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A drop in the journal: the path as JSON, a tab, a dash. */
export function dropLine(path: string): string {
  return `${JSON.stringify(path)}\t-`;
}

export function isDrop(line: string): boolean {
  return line.endsWith('\t-');
}

/**
 * The lines of the index merged with a journal's runs, in walk order: for a path in the journal,
 * its last record (an entry, or nothing for a drop); for one only in the index, its line unless
 * `gone` says the file is not there any more.
 */
export function* mergeLines(index: LineSource | undefined, runs: LineFile[], gone: (path: string) => boolean): Generator<string> {
  const sources: LineSource[] = index === undefined ? runs : [index, ...runs];
  const heads = sources.map((source) => source.next());
  for (;;) {
    let least: string | undefined;
    for (const head of heads) if (head !== undefined && (least === undefined || walkOrder(head.path, least) < 0)) least = head.path;
    if (least === undefined) return;
    let fromIndex: string | undefined;
    let fromJournal: string | undefined;
    for (let i = 0; i < heads.length; i++) {
      // Several records of one path in one run: the last counts.
      for (let head = heads[i]; head !== undefined && head.path === least; head = heads[i]) {
        if (i === 0 && index !== undefined) fromIndex = head.text;
        else fromJournal = head.text;
        heads[i] = (sources[i] as LineSource).next();
      }
    }
    if (fromJournal !== undefined) {
      if (!isDrop(fromJournal)) yield fromJournal;
    } else if (fromIndex !== undefined && !gone(least)) {
      yield fromIndex;
    }
  }
}
