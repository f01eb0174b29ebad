/**
 * The persistent cache of what the readers extracted from each session file, so that a second
 * scan reads only what changed (design §5). One folder per set of reader needs (a usage scan
 * keeps no message text), under `$XDG_CACHE_HOME/seq` (default `~/.cache/seq`):
 *
 *   events-<format>/<needs>/index.jsonl    a header, then one line per file, sorted in walk order:
 *                                           path, size, mtime, inode, where its events are, the read
 *                                           point (to read on after an append), fingerprints, checksums
 *   events-<format>/<needs>/seg-*.dat       the events, as event-codec lines, entry after entry
 *   events-<format>/<needs>/journal-*.tmp   a running scan's new index lines (index-file.ts)
 *
 * A scan writes new entries to a segment of its own, then, under the index's lock, merges them
 * into the newest index as a stream and renames it into place: a scan killed at any moment leaves the old
 * index whole, and its segment, referenced by nothing, is removed by a later scan. Every entry
 * is checked (the index line's own checksum, the data's SHA-1) before it is used; a damaged
 * one is ignored and its file read again. An index from another format or seq version is
 * ignored as a whole, so a new seq never trusts what an old one wrote.
 */
import { createHash, hash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { encodeItem, type CachedItem } from '../sources/event-codec.js';
import { walkOrder } from '../sources/files.js';
import { dropLine, IndexReader, Journal, LineFile, linePath, mergeLines, readAt } from './index-file.js';
import type { ReadPoint } from '../sources/session-reader.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { LockError, processAlive, withLock } from '../storage/lock.js';
import { errorReason } from '../base/errors.js';
import type { ReaderNeeds } from '../sources/common/source.js';

/**
 * The cache's format. Bump it whenever a reader's events, the codec or the read point change:
 * test/unit/cache.test.ts pins a digest of those sources to this number to make sure of it.
 */
export const CACHE_FORMAT = 5;
// V8's too: the reasons kept for malformed lines are its JSON.parse messages.
const VERSION = `${CACHE_FORMAT}/${pkg.version}/${process.versions.v8}`;

/** `$XDG_CACHE_HOME/seq`, else `~/.cache/seq` (a relative XDG_CACHE_HOME is ignored, as the spec says). */
export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'seq');
}

function formatFolder(root = cacheRoot()): string {
  return join(root, `events-${CACHE_FORMAT}`);
}

/** The folder name of a set of needs: the events kept depend on them and on nothing else. */
function needsKey(needs: ReaderNeeds): string {
  const parts = [needs.messages && 'messages', needs.toolCalls && 'tool_calls', needs.toolOutputs === true && 'tool_outputs', needs.tokens && 'tokens'];
  return parts.filter((part) => part !== false).join('+') || 'sessions';
}

/** What the cache knows of one file. */
export interface Entry {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** Changed by chmod, by a file restored with its old mtime, by any write: an unchanged file keeps it. */
  ctimeMs: number;
  /** Where the events are: a segment file of the folder, a byte range of it, its SHA-1. */
  segment: string;
  start: number;
  length: number;
  sum: string;
  /** Where the read stopped (a file grown since is read on from here), and what the reader knew. */
  point: ReadPoint;
  /** Digests of the file's first bytes and of those before the point: a grown file must still have them. */
  head: string;
  tail: string;
}

const HEAD_BYTES = 256;
const TAIL_BYTES = 64;
const CHUNK = 1 << 20;
const BLOCK = 4 << 20;
const PIECE = 64 << 10;

const digest = (data: string | Buffer): string => hash('sha1', data, 'hex').slice(0, 20);

/**
 * An entry's index line (without its newline): the path as JSON, where its events are (segment,
 * start, length), the rest as a JSON array, and a digest of all that, separated by tabs (JSON
 * has none of its own). Lines stay text until their entry is looked up: an index holds a line
 * per file of the user's history, and a save needs only where each entry's events are.
 */
function entryLine(entry: Entry): string {
  const json = `${JSON.stringify(entry.path)}\t${entry.segment}\t${entry.start}\t${entry.length}\t${JSON.stringify([entry.size, entry.mtimeMs, entry.ino, entry.ctimeMs, entry.sum, entry.point, entry.head, entry.tail])}`;
  return `${json}\t${digest(json)}`;
}

/** Where a line's events are, read without decoding the rest; undefined for a damaged line. */
function lineWhere(line: string): { segment: string; start: number; length: number } | undefined {
  const [, segment, start, length] = line.split('\t', 4);
  const where = { segment: segment ?? '', start: Number(start), length: Number(length) };
  return Number.isSafeInteger(where.start) && Number.isSafeInteger(where.length) && where.start >= 0 && where.length >= 0 ? where : undefined;
}

/** An index line back, or undefined when it is damaged (its digest does not hold). */
function parseEntryLine(line: string): Entry | undefined {
  const last = line.lastIndexOf('\t');
  const path = linePath(line);
  const where = lineWhere(line);
  if (path === undefined || where === undefined) return undefined;
  const json = line.slice(0, last);
  if (digest(json) !== line.slice(last + 1)) return undefined;
  try {
    const [size, mtimeMs, ino, ctimeMs, sum, point, head, tail] = JSON.parse(json.slice(json.lastIndexOf('\t') + 1)) as [number, number, number, number, string, ReadPoint, string, string];
    return { path, ...where, size, mtimeMs, ino, ctimeMs, sum, point, head, tail };
  } catch {
    return undefined;
  }
}

function header(key: string): string {
  return JSON.stringify({ seq_cache: VERSION, needs: key }) + '\n';
}

/** The fingerprints of a file at a point: its first bytes, and the bytes just before the point. */
function fingerprints(path: string, offset: number): { head: string; tail: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = readAt(fd, Math.min(HEAD_BYTES, offset), 0);
    const tailStart = Math.max(0, offset - TAIL_BYTES);
    const tail = readAt(fd, offset - tailStart, tailStart);
    return { head: digest(head), tail: digest(tail) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The segment this scan writes its new entries to, created when the first entry has data. */
class Segment {
  readonly name = `seg-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.dat`;
  private fd: number | undefined;
  size = 0;

  constructor(private readonly folder: string) {}

  write(data: Buffer): void {
    // Created new (never another scan's file); opened again to append when compaction adds to it after the scan.
    this.fd ??= openSync(join(this.folder, this.name), this.size === 0 ? 'wx' : 'a', 0o600);
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done);
    this.size += data.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  remove(): void {
    this.close();
    if (this.size > 0) rmSync(join(this.folder, this.name), { force: true });
  }
}

/** What a lookup found: the entry, and whether the file grew by appending since (read on from its point). */
export interface Hit {
  entry: Entry;
  grown: boolean;
}

/** Writes an index of these lines, atomically; returns the bytes each segment has in it. */
function writeIndex(path: string, head: string, lines: Iterable<string>): Map<string, number> {
  const usage = new Map<string, number>();
  const text = function* (): Generator<string> {
    yield head;
    for (const line of lines) {
      const where = lineWhere(line);
      if (where) usage.set(where.segment, (usage.get(where.segment) ?? 0) + where.length);
      yield `${line}\n`;
    }
  };
  writeFileAtomically(path, text(), 0o600);
  return usage;
}

/** Whether a path is a root's, or under it. */
function under(path: string, root: string): boolean {
  return path === root || (path.startsWith(root) && (root.endsWith('/') || path.charCodeAt(root.length) === 47));
}

export class EventCache {
  private index: IndexReader | undefined;
  /** Where the cursor was last sent: it is on the first line at or after this path. */
  private at: string | undefined;
  /** This scan's news: new entries and drops, written to a file as they come. */
  private readonly journal: Journal;
  /**
   * Index lines that the walk passed without finding their file (found later, they leave).
   * What grows here is the files removed since the last scan.
   */
  private readonly vanished = new Set<string>();
  /**
   * The root being walked, the first and last paths (in walk order) found under it, and the
   * lines passed so far: gone only once the walk of the root is over (its archived rollouts
   * come last, and a scan stopped early never gets there).
   */
  private region: { root: string; min?: string; max?: string; passed: Set<string> } | undefined;
  private readonly rootsDone: string[] = [];
  private readonly segment: Segment;
  private readonly readers = new Map<string, SegmentReader | null>();
  private failed: string | undefined;
  /** Saved or abandoned: what a file still being read tells after that is not written anywhere. */
  closed = false;

  private constructor(
    readonly folder: string,
    private readonly key: string,
  ) {
    try {
      this.index = IndexReader.open(join(folder, 'index.jsonl'), header(key));
    } catch {
      // unreadable: looked up as none; the save will say why it cannot merge with it
    }
    this.segment = new Segment(folder);
    this.journal = new Journal(join(folder, this.segment.name.replace(/^seg-/, 'journal-').replace(/\.dat$/, '.tmp')));
  }

  /** The cache of events for these needs; undefined, with the reason, when its folder cannot be made. */
  static open(needs: ReaderNeeds, root?: string): EventCache | string {
    const key = needsKey(needs);
    let folder = '';
    try {
      folder = join(formatFolder(root ?? cacheRoot()), key);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch (error) {
      return `the cache folder ${folder || '(there is no home folder)'} cannot be made (${errorReason(error)})`;
    }
    return new EventCache(folder, key);
  }

  /**
   * The walk begins a root (undefined: it is over). Index lines under the root that the walk
   * passes without finding their files are dropped at the save: before the first file found,
   * between files found in order, after the last.
   */
  root(root: string | undefined): void {
    this.endRegion();
    if (root !== undefined) this.region = { root: resolve(root), passed: new Set() };
  }

  /** A line the walk passed: its file is not there, unless a root walked before holds it (nested roots). */
  private passed(path: string, region: { passed: Set<string> }): void {
    if (!this.rootsDone.some((root) => under(path, root))) region.passed.add(path);
  }

  private endRegion(complete = true): void {
    const region = this.region;
    this.region = undefined;
    if (region === undefined) return;
    const { root, min, max } = region;
    if (!complete) return; // the lines passed may be of files the walk had not reached yet
    if (min !== undefined && max !== undefined) {
      this.move((index) => {
        index.seek(root);
        for (; index.current !== undefined && walkOrder(index.current.path, min) < 0; index.next()) if (under(index.current.path, root)) this.passed(index.current.path, region);
        index.seek(max);
        if (index.current?.path === max) index.next();
        for (; index.current !== undefined && under(index.current.path, root); index.next()) this.passed(index.current.path, region);
        this.at = undefined;
      });
    }
    for (const path of region.passed) this.vanished.add(path);
    this.rootsDone.push(root);
  }

  /**
   * Moves the cursor. An index that cannot be read on (an I/O error) is let go: the scan goes on
   * without it, as with none, and the save merges with whatever index is there then.
   */
  private move<T>(work: (index: IndexReader) => T): T | undefined {
    const index = this.index;
    if (index === undefined) return undefined;
    try {
      return work(index);
    } catch {
      index.close();
      this.index = undefined;
      this.vanished.clear();
      this.region?.passed.clear();
      return undefined;
    }
  }

  /**
   * A file the walk found (read or not): its index line, if it has one. The cursor moves on to
   * it; the lines it passes on the way past the last file found under this root are of files
   * that are not there any more.
   */
  found(path: string): string | undefined {
    const region = this.region;
    region?.passed.delete(path);
    this.vanished.delete(path);
    const beyond = region?.max !== undefined && walkOrder(path, region.max) > 0 ? region.max : undefined;
    if (region !== undefined) {
      if (region.max === undefined || beyond !== undefined) region.max = path;
      if (region.min === undefined || walkOrder(path, region.min) < 0) region.min = path;
    }
    return this.move((index) => {
      if (this.at === undefined || walkOrder(path, this.at) < 0) index.seek(path);
      for (; index.current !== undefined && walkOrder(index.current.path, path) < 0; index.next()) {
        if (region !== undefined && beyond !== undefined && walkOrder(index.current.path, beyond) > 0) this.passed(index.current.path, region);
      }
      this.at = path;
      return index.current?.path === path ? index.current.text : undefined;
    });
  }

  /**
   * The entry of a file, if the file is as it was (or only grew, by appending, since); 'stale'
   * when its line is damaged or the file changed otherwise (the caller drops it, when it reads
   * the file: a scan opens files ahead of those it reads, and the journal is written in order).
   */
  lookup(path: string, stat: Stats, canGrow: boolean): Hit | 'stale' | undefined {
    const line = this.found(path);
    if (line === undefined) return undefined;
    const entry = parseEntryLine(line);
    if (entry === undefined) return 'stale';
    if (entry.ino === stat.ino && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs && entry.ctimeMs === stat.ctimeMs) return { entry, grown: false };
    if (canGrow && entry.ino === stat.ino && stat.size > entry.size) {
      const now = fingerprints(path, entry.point.offset);
      if (now !== undefined && now.head === entry.head && now.tail === entry.tail) return { entry, grown: true };
    }
    return 'stale';
  }

  /** A file read whole, or read on, to its end: its entry from now on. */
  keep(entry: Entry): void {
    this.note(entry.path, entryLine(entry));
  }

  /** A file whose entry cannot be used (damaged, changed): dropped, and read again. */
  drop(path: string): void {
    this.note(path, dropLine(path));
  }

  private note(path: string, line: string): void {
    if (this.failed !== undefined || this.closed) return;
    try {
      this.journal.add(path, line);
    } catch (error) {
      this.fail(errorReason(error));
    }
  }

  /** A new entry's events, recorded as they are read. */
  record(path: string): Recorder {
    return new Recorder(path, this.segment, this);
  }

  /** The bytes of an entry's events, read by chunks, after the whole was checked against its SHA-1. */
  data(entry: Entry): EntryData | undefined {
    if (entry.length === 0) return new EntryData(undefined, entry);
    let reader = this.readers.get(entry.segment);
    if (reader === undefined) {
      try {
        reader = new SegmentReader(openSync(join(this.folder, entry.segment), 'r'));
      } catch {
        reader = null; // removed by a later scan's clean-up
      }
      this.readers.set(entry.segment, reader);
    }
    return reader === null ? undefined : new EntryData(reader, entry);
  }

  /**
   * After the scan: the news merged into the newest index, under its lock, as a stream. Index
   * lines of files that the walk passed without finding are dropped, when the walk went to its
   * end (`complete`; a scan stopped early saw only part of it). Segments no entry needs are
   * removed; one mostly unused is copied into this scan's and removed.
   * Returns why the cache could not be updated, if it could not.
   */
  save(complete: boolean): string | undefined {
    if (this.closed) return undefined;
    this.endRegion(complete);
    this.index?.close();
    this.index = undefined;
    this.closeReaders();
    if (this.failed === undefined) {
      try {
        this.journal.flush();
      } catch (error) {
        this.fail(errorReason(error));
      }
    }
    if ((this.journal.empty && this.vanished.size === 0) || this.failed !== undefined) {
      this.abandon();
      return this.failed;
    }
    const index = join(this.folder, 'index.jsonl');
    try {
      withLock(
        index,
        () => {
          this.segment.close();
          const used = this.merge(index);
          try {
            this.removeUnused(used);
          } catch {
            // best effort: the new index is in place, and its segments must stay
          }
        },
        2000,
      );
    } catch (error) {
      this.abandon();
      if (error instanceof LockError && error.busy) return undefined; // another scan is saving; the next one will keep these
      return `the cache in ${this.folder} could not be updated (${errorReason(error)})`;
    }
    this.closed = true;
    this.removeJournal();
    return undefined;
  }

  /**
   * Writes the newest index merged with the journal, then, when a segment is less than half used
   * (a file that grew leaves its old entry's events behind), copies its entries into this
   * scan's segment and writes the index again. Returns the segments the index uses.
   */
  private merge(index: string): Set<string> {
    const head = header(this.key);
    const newest = IndexReader.open(index, head);
    const journal = this.journal.open();
    let usage: Map<string, number>;
    try {
      usage = writeIndex(index, head, mergeLines(newest?.lines(), journal?.runs ?? [], (path) => this.vanished.has(path)));
    } finally {
      newest?.close();
      if (journal) closeSync(journal.fd);
    }
    const sparse = new Set<string>();
    for (const [name, bytes] of usage) {
      if (name === this.segment.name || name === '') continue;
      try {
        if (bytes * 2 < statSync(join(this.folder, name)).size) sparse.add(name);
      } catch {
        // gone: its entries fail their check and are read again
      }
    }
    if (sparse.size > 0) {
      // Best effort: when the copy fails (a full disk), the merged index stands, with its segments.
      try {
        const written = IndexReader.open(index, head);
        if (written !== undefined) {
          try {
            usage = writeIndex(index, head, this.compacted(written.lines(), sparse));
          } finally {
            written.close();
          }
        }
      } catch {
        // the index written above is in place
      }
    }
    return new Set(usage.keys());
  }

  /** The lines, those of entries in sparse segments rewritten to where their events are copied, in this scan's segment. */
  private *compacted(lines: LineFile | undefined, sparse: Set<string>): Generator<string> {
    const fds = new Map<string, number>();
    try {
      for (let line = lines?.next(); line !== undefined; line = lines?.next()) {
        const name = lineWhere(line.text)?.segment;
        if (name === undefined || !sparse.has(name)) {
          yield line.text;
          continue;
        }
        const entry = parseEntryLine(line.text);
        if (entry === undefined) continue;
        let fd = fds.get(name);
        if (fd === undefined) {
          fd = openSync(join(this.folder, name), 'r');
          fds.set(name, fd);
        }
        const start = this.segment.size;
        this.segment.write(readAt(fd, entry.length, entry.start));
        yield entryLine({ ...entry, segment: this.segment.name, start });
      }
    } finally {
      this.segment.close();
      for (const fd of fds.values()) closeSync(fd);
    }
  }

  /** Drops what this scan wrote (it was stopped by a signal, or has nothing to tell): nothing refers to it yet. */
  abandon(): void {
    this.closed = true;
    this.index?.close();
    this.index = undefined;
    this.closeReaders();
    this.segment.remove();
    this.removeJournal();
  }

  private removeJournal(): void {
    try {
      this.journal.close();
      rmSync(this.journal.path, { force: true });
    } catch {
      // left for a later scan's clean-up (its pid is in the name)
    }
  }

  /** A write failed (a full disk): nothing of this scan is kept. */
  fail(reason: string): void {
    this.failed ??= `the cache in ${this.folder} could not be written (${reason})`;
  }

  private closeReaders(): void {
    for (const reader of this.readers.values()) if (reader !== null) closeSync(reader.fd);
    this.readers.clear();
  }

  /**
   * Removes segments no entry refers to, and journals left by killed scans, unless a live scan
   * is still writing them (its pid is in the name).
   */
  private removeUnused(used: Set<string>): void {
    for (const name of readdirSync(this.folder)) {
      if (!(name.startsWith('seg-') || name.startsWith('journal-')) || used.has(name) || name === this.segment.name) continue;
      const pid = Number(name.split('-')[1]);
      if (pid === process.pid ? name === basename(this.journal.path) : processAlive(pid)) continue;
      rmSync(join(this.folder, name), { force: true });
    }
  }
}


/**
 * Reads a segment through a block of a few MB of its own: a scan uses entries in about the order
 * they were written (the order files are found in), so most come out of the block already read.
 * Each segment has its block, because entries of two segments alternate after files grew (those
 * that grew are in the newer one): with one block shared, every switch read 4 MB again, a second
 * of a scan of the 1 GB corpus after appending to a tenth of its files. There are few segments:
 * the save copies one less than half used into its own.
 */
class SegmentReader {
  private buffer: Buffer | undefined;
  private block: Buffer = Buffer.alloc(0);
  private blockStart = 0;

  constructor(readonly fd: number) {}

  /** The bytes, valid until this reader's next read (its block is reused: a new one per read left 30 MB for the collector). */
  read(start: number, length: number): Buffer {
    const at = start - this.blockStart;
    if (at >= 0 && at + length <= this.block.length) return this.block.subarray(at, at + length);
    this.buffer ??= Buffer.allocUnsafeSlow(Math.min(BLOCK, Math.max(length, fstatSync(this.fd).size)));
    this.block = readAt(this.fd, this.buffer.length, start, this.buffer);
    this.blockStart = start;
    return this.block.subarray(0, Math.min(length, this.block.length));
  }
}

/** The events of an entry, checked whole against its SHA-1 first, then handed out in chunks of whole lines. */
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
    if (segment === undefined) return (this.checked = entry.sum === digest(''));
    if (entry.length <= BLOCK) {
      const bytes = segment.read(entry.start, entry.length);
      this.checked = bytes.length === entry.length && digest(bytes) === entry.sum;
      if (this.checked) this.whole = bytes;
      return this.checked;
    }
    const sum = createHash('sha1');
    for (let at = 0; at < entry.length; at += CHUNK) {
      const piece = readAt(segment.fd, Math.min(CHUNK, entry.length - at), entry.start + at);
      if (piece.length === 0) return false;
      sum.update(piece);
    }
    this.checked = sum.digest('hex').slice(0, 20) === entry.sum;
    return this.checked;
  }

  /**
   * The next piece of whole lines, some 64 kB: larger text would go straight to the old
   * generation, and a 1 GB transcript's entry left it 150 MB of garbage. Undefined at the end.
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

let scratch = Buffer.allocUnsafe(0);

/**
 * A file's events and line problems as they are read, written to the scan's segment a megabyte
 * at a time (so a large file's events are never all in memory), until the read point seals them.
 */
export class Recorder {
  private pieces: string[] = [];
  private pending = 0;
  private readonly sum = createHash('sha1');
  private start = -1;
  private length = 0;

  constructor(
    readonly path: string,
    private readonly segment: Segment,
    private readonly cache: EventCache,
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
    // Encoded into one reused buffer: a new one per megabyte left hundreds of MB of buffers to the
    // collector on a 2 GB transcript.
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
    this.sum.update(data);
    this.length += data.length;
    return true;
  }

  /** The entry of the file read to `point`, as it was when it was looked at (`stat`). */
  seal(point: ReadPoint, stat: Stats): void {
    if (!this.flush()) return;
    const marks = fingerprints(this.path, point.offset);
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
      sum: this.sum.digest('hex').slice(0, 20),
      point,
      ...marks,
    });
  }
}

/** What the cache holds, per set of needs: for `seq cache info`. */
export interface CacheFolderInfo {
  needs: string;
  files: number;
  bytes: number;
  folder: string;
}

export function cacheInfo(root = cacheRoot()): CacheFolderInfo[] {
  const base = formatFolder(root);
  let names: string[];
  try {
    names = readdirSync(base).sort();
  } catch {
    return [];
  }
  return names.map((needs) => {
    const folder = join(base, needs);
    let bytes = 0;
    for (const name of readdirSync(folder)) {
      try {
        bytes += statSync(join(folder, name)).size;
      } catch {
        // removed meanwhile
      }
    }
    let files = 0;
    try {
      const index = IndexReader.open(join(folder, 'index.jsonl'), header(needs));
      if (index !== undefined) {
        const lines = index.lines();
        while (lines.next() !== undefined) files++;
        index.close();
      }
    } catch {
      // unreadable: no files to count
    }
    return { needs, files, bytes, folder };
  });
}

/** Removes the whole cache (every format); returns the bytes it held. */
export function clearCache(root = cacheRoot()): number {
  let bytes = 0;
  const count = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) count(full);
      else bytes += statSync(full).size;
    }
  };
  try {
    count(root);
  } catch {
    return 0; // no cache
  }
  rmSync(root, { recursive: true, force: true });
  return bytes;
}
