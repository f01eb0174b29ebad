/**
 * The cache of one set of reader needs (layout.ts says where and how it is kept): looking up a
 * file's entry, keeping the entries of files read anew, dropping those of files gone, and the
 * save that merges this scan's news into the index under its lock.
 */
import { closeSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errorReason } from '../base/errors.js';
import { walkOrder } from '../sources/files.js';
import type { ReaderNeeds } from '../sources/common/source.js';
import type { LogStat } from '../sources/session-reader.js';
import { LockError, processAlive, withLock } from '../storage/lock.js';
import { entryLine, fingerprints, lineWhere, parseEntryLine, type Entry, type Hit } from './entry.js';
import { dropLine, Journal, type LineFile, type LineSource, mergeLines, readAt } from './index-file.js';
import { IndexView, removeNews } from './index-news.js';
import { FEW_NEWS, fewNews, writeIndex } from './index-write.js';
import { formatFolder, header, needsKey, cacheRoot } from './layout.js';
import { removeOlderFormats } from './older-formats.js';
import { type EntryKeeper, Recorder } from './recorder.js';
import { Segment, SegmentReader, EntryData } from './segment.js';
import { makeFolder } from '../storage/folders.js';

/** Whether a path is a root's, or under it. */
function under(path: string, root: string): boolean {
  return path === root || (path.startsWith(root) && (root.endsWith('/') || path.charCodeAt(root.length) === 47));
}

export class EventCache implements EntryKeeper {
  private index: IndexView | undefined;
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
      this.index = IndexView.open(join(folder, 'index.jsonl'), header(key));
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
      makeFolder(folder, 0o700);
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
        for (; index.current !== undefined && walkOrder(index.current.path, min) < 0; index.next())
          if (under(index.current.path, root)) this.passed(index.current.path, region);
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
  private move<T>(work: (index: IndexView) => T): T | undefined {
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
  lookup(path: string, stat: LogStat, canGrow: boolean): Hit | 'stale' | undefined {
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

  /** The bytes of an entry's events, read by chunks, after the whole was checked against its CRC-32. */
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
    removeOlderFormats(dirname(dirname(this.folder)));
    return undefined;
  }

  /**
   * Saves the journal's news over the newest index: a few, with the index's news (index-news.ts);
   * more, the index merged with them whole. Then, when a segment is less than half used (a file
   * that grew leaves its old entry's events behind), copies its entries into this scan's
   * segment and writes the index whole again. Returns the segments the index uses.
   */
  private merge(index: string): Set<string> {
    const head = header(this.key);
    const newest = IndexView.open(index, head);
    // The journal's runs, read from its start each time they are asked for.
    const withNews = <T>(work: (runs: LineFile[]) => T): T => {
      const journal = this.journal.open();
      try {
        return work(journal?.runs ?? []);
      } finally {
        if (journal) closeSync(journal.fd);
      }
    };
    // The index written whole: its news are in it.
    const whole = (lines: Iterable<string>): Map<string, number> => {
      const usage = writeIndex(index, head, lines);
      removeNews(index);
      return usage;
    };
    let usage: Map<string, number> | undefined;
    try {
      if (newest !== undefined && this.vanished.size <= FEW_NEWS) {
        usage = withNews((runs) => {
          const news = fewNews(runs, FEW_NEWS - this.vanished.size);
          return news && newest.save(head, news, this.vanished);
        });
      }
      usage ??= withNews((runs) => whole(mergeLines(newest?.lines(), runs, (path) => this.vanished.has(path))));
    } finally {
      newest?.close();
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
        const written = IndexView.open(index, head);
        if (written !== undefined) {
          try {
            usage = whole(this.compacted(written.lines(), sparse));
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
  private *compacted(lines: LineSource, sparse: Set<string>): Generator<string> {
    const fds = new Map<string, number>();
    try {
      for (let line = lines.next(); line !== undefined; line = lines.next()) {
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
