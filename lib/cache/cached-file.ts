/**
 * One session file read through the cache: an unchanged file's events come from its entry (the
 * file is opened only when it ends in a line without its newline, which is read again); a file
 * grown by appending replays its entry, then its reader goes on from where the last read
 * stopped; any other file is read whole, and what it gave is recorded as its new entry. To the
 * scan this looks exactly like reading the file: the same events and line problems, in the same
 * order.
 */
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import type { ReaderNeeds } from '../sources/codex.js';
import type { EventSink } from '../sources/events.js';
import { appendable, SessionFileReader, type FileHandler } from '../sources/session-reader.js';
import { decodeItems } from './event-codec.js';
import type { EntryData, EventCache, Hit, Recorder } from './event-cache.js';

/** What the scan asks of a file being read, whether from the file or from the cache. */
export interface FileRead {
  pump(): void;
  readonly done: boolean;
  /** Bytes of the file covered so far (those an entry stands for count as covered). */
  readonly bytesRead: number;
  close(): void;
}

/** The path as the cache knows it: absolute (a walk from an absolute root gives such paths already). */
export function absolute(path: string): string {
  return path.startsWith('/') && !/\/\.\.?(\/|$)|\/\//.test(path) ? path : resolve(path);
}

export function openSessionFile(path: string, needs: ReaderNeeds, sink: EventSink, handler: FileHandler, cache: EventCache | undefined): FileRead {
  return cache === undefined ? new SessionFileReader(path, needs, sink, handler) : new CachedFileRead(path, needs, sink, handler, cache);
}

class CachedFileRead implements FileRead {
  private readonly key: string;
  private readonly stat: Stats;
  private hit: Hit | undefined;
  private data: EntryData | undefined;
  private reader: SessionFileReader | undefined;
  private recorder: Recorder | undefined;
  /** The reader that goes on from the entry's point, opened at once (a file that cannot be opened is reported like any other). */
  private resume: SessionFileReader | undefined;
  private closed = false;

  constructor(
    path: string,
    needs: ReaderNeeds,
    private readonly sink: EventSink,
    private readonly handler: FileHandler,
    cache: EventCache,
  ) {
    this.key = absolute(path);
    this.stat = statSync(path);
    const hit = cache.lookup(this.key, this.stat, appendable(path));
    if (hit && !handler.source(hit.entry.point.source)) {
      // A source this scan does not read: the file is read as without the cache (up to its first record), its entry kept.
      this.reader = new SessionFileReader(path, needs, sink, handler);
      return;
    }
    const data = hit && cache.data(hit.entry);
    if (hit && data?.check()) {
      this.hit = hit;
      this.data = data;
      const { entry } = hit;
      if (hit.grown && entry.point.offset >= this.stat.size) {
        // Grew while it was last read, and nothing since: the entry stands, as of now.
        cache.keep({ ...entry, size: this.stat.size, mtimeMs: this.stat.mtimeMs, ctimeMs: this.stat.ctimeMs });
      } else if (hit.grown) {
        this.recorder = cache.record(this.key);
      }
      this.resume = new SessionFileReader(path, needs, this.recording, this.noting, { point: entry.point, size: this.stat.size });
    } else {
      if (hit) cache.drop(this.key); // damaged, or its segment is gone: read the file again
      this.recorder = cache.record(this.key);
      this.reader = new SessionFileReader(path, needs, this.recording, this.noting);
    }
  }

  /** The sink, recording what passes while a recorder is on. */
  private readonly recording: EventSink = {
    event: (event) => {
      this.recorder?.item(event);
      this.sink.event(event);
    },
    malformed: (line, text) => {
      this.recorder?.item({ kind: 'malformed', line, text });
      this.sink.malformed(line, text);
    },
    repaired: (line, text) => {
      this.recorder?.item({ kind: 'repaired', line, text });
      this.sink.repaired(line, text);
    },
  };

  /** The handler, sealing the recorded entry at the read point (what comes after it is not kept). */
  private readonly noting: FileHandler = {
    source: (source) => this.handler.source(source),
    unknown: (reason) => this.handler.unknown(reason),
    point: (point) => {
      this.recorder?.seal(point, this.stat);
      this.recorder = undefined;
    },
  };

  get done(): boolean {
    return this.closed || (this.reader?.done ?? false);
  }

  get bytesRead(): number {
    return (this.hit?.entry.point.offset ?? 0) + (this.reader?.bytesRead ?? 0);
  }

  pump(): void {
    if (this.reader) {
      this.reader.pump();
      return;
    }
    const chunk = this.data?.next();
    if (chunk !== undefined) {
      this.recorder?.text(chunk);
      for (const item of decodeItems(chunk)) {
        if (this.closed) return; // stopped from inside (a limit, --strict): nothing more is told
        if (item.kind === 'malformed') this.sink.malformed(item.line, item.text);
        else if (item.kind === 'repaired') this.sink.repaired(item.line, item.text);
        else this.sink.event(item);
      }
      return;
    }
    // The entry is replayed: the file's reader goes on from the entry's point (at once done when nothing was added).
    this.reader = this.resume;
  }

  close(): void {
    this.closed = true;
    this.reader?.close();
    this.resume?.close();
  }
}
