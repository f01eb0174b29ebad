/**
 * One session file read through the cache: an unchanged file's events come from its entry (the
 * file is opened only when it ends in a line without its newline, which is read again); a file
 * grown by appending replays its entry, then its reader goes on from where the last read
 * stopped; any other file is read whole, and what it gave is recorded as its new entry. To the
 * scan this looks exactly like reading the file: the same events and line problems, in the same
 * order.
 */
import { resolve } from 'node:path';
import { decodeItems, tellItems } from '../sources/event-codec.js';
import type { EventSink } from '../sources/common/events.js';
import { appendable, logStat, openAtTurn, type LogStat, type FileHandler, type FileOpener, type FileRead } from '../sources/session-reader.js';
import type { EventCache } from './event-cache.js';
import type { EntryData } from './segment.js';
import type { Hit } from './entry.js';
import type { Recorder } from './recorder.js';

/** The path as the cache knows it: absolute (a walk from an absolute root gives such paths already). */
export function absolute(path: string): string {
  return path.startsWith('/') && !/\/\.\.?(\/|$)|\/\//.test(path) ? path : resolve(path);
}

/**
 * Opens a file for the scan: through the cache when there is one. Nothing is told to the sink or
 * handler, nor written to the cache, before the first pump: the scan opens files ahead of the
 * one it reads when reading threads read them meanwhile (and a file's reader is started here).
 */
export function openSessionFile(
  path: string,
  sink: EventSink,
  handler: FileHandler,
  cache: EventCache | undefined,
  opener: FileOpener,
  /** The file's stat, where the walk took it already (what a table keeps): a file that grew after it is read to its end, and read on by the next scan, which finds it grown. */
  stat?: LogStat,
): FileRead {
  return cache === undefined ? opener.open(path, sink, handler) : new CachedFileRead(path, sink, handler, cache, opener, stat);
}

class CachedFileRead implements FileRead {
  private readonly key: string;
  private readonly stat: LogStat;
  /** What the cache knew of the file when it was opened. */
  private readonly found: Hit | 'stale' | undefined;
  private started = false;
  private hit: Hit | undefined;
  private data: EntryData | undefined;
  private reader: FileRead | undefined;
  private recorder: Recorder | undefined;
  /** The reader that goes on from the entry's point: made when the file is opened, used once the entry is replayed. */
  private resume: FileRead | undefined;
  private finished = false;

  constructor(
    private readonly path: string,
    private readonly sink: EventSink,
    private readonly handler: FileHandler,
    private readonly cache: EventCache,
    private readonly opener: FileOpener,
    stat: LogStat | undefined,
  ) {
    this.key = absolute(path);
    this.stat = stat ?? logStat(path);
    const found = cache.lookup(this.key, this.stat, appendable(path));
    this.found = found;
    if (found === undefined || found === 'stale') this.reader = this.readRecorded();
    // Read on from the point, if anything was added; even if not, its reader ends the file as it would have (a Claude reader tells the session then).
    else this.resume = opener.open(path, sink, this.noting, { from: { point: found.entry.point, size: this.stat.size }, text: this.record });
  }

  /** A reader of the whole file, whose events become the file's new entry (`now`: asked for at the file's turn). */
  private readRecorded(now = false): FileRead {
    const request = { size: this.stat.size, text: this.record };
    return now ? openAtTurn(this.opener, this.path, this.sink, this.noting, request) : this.opener.open(this.path, this.sink, this.noting, request);
  }

  /** Encoded events, kept while a recorder is on. */
  private readonly record = (text: string): void => this.recorder?.text(text);

  /** The handler, sealing the recorded entry at the read point (what comes after it is not kept). */
  private readonly noting: FileHandler = {
    source: (source) => this.handler.source(source),
    unknown: (reason) => this.handler.unknown(reason),
    unreadable: (reason) => this.handler.unreadable(reason),
    point: (point, edges, settled) => {
      this.recorder?.seal(point, this.stat, edges);
      this.recorder = undefined;
      this.handler.point?.(point, edges, settled);
    },
  };

  /** What the cache is told of the file, in the order the scan reads files. */
  private start(): void {
    this.started = true;
    const { found, cache } = this;
    if (found === undefined || found === 'stale') {
      if (found === 'stale') cache.drop(this.key); // changed, or its line is damaged: whatever this read makes of it replaces it
      this.recorder = cache.record(this.key);
      return;
    }
    if (!this.handler.source(found.entry.point.source)) {
      // A source this scan does not read: the file is read as without the cache (up to its first record), its entry kept.
      this.dropResume();
      this.reader = openAtTurn(this.opener, this.path, this.sink, this.handler);
      return;
    }
    const data = cache.data(found.entry);
    if (!data?.check()) {
      cache.drop(this.key); // damaged, or its segment is gone: read the file again
      this.dropResume();
      this.recorder = cache.record(this.key);
      this.reader = this.readRecorded(true);
      return;
    }
    this.hit = found;
    this.data = data;
    const { entry } = found;
    if (found.grown && entry.point.offset >= this.stat.size) {
      // Grew while it was last read, and nothing since: the entry stands, as of now.
      cache.keep({ ...entry, size: this.stat.size, mtimeMs: this.stat.mtimeMs, ctimeMs: this.stat.ctimeMs });
    } else if (found.grown) {
      this.recorder = cache.record(this.key);
    }
  }

  private dropResume(): void {
    this.resume?.close();
    this.resume = undefined;
  }

  get done(): boolean {
    return this.finished || (this.reader?.done ?? false);
  }

  get bytesRead(): number {
    return (this.hit?.entry.point.offset ?? 0) + (this.reader?.bytesRead ?? 0);
  }

  pump(): void {
    if (this.finished) return;
    if (!this.started) this.start();
    if (this.reader) {
      this.reader.pump();
      return;
    }
    const chunk = this.data?.next();
    if (chunk !== undefined) {
      this.record(chunk);
      // Stopped from inside (a limit, --strict): nothing more is told.
      tellItems(decodeItems(chunk), this.sink, () => this.finished);
      return;
    }
    // The entry is replayed: the file's reader goes on from the entry's point.
    if (this.resume === undefined) this.finished = true;
    else this.reader = this.resume;
  }

  close(): void {
    this.finished = true;
    this.reader?.close();
    this.resume?.close();
  }
}
