/**
 * One session file, read chunk by chunk: its source is detected from its first record (never
 * from its name or folder), then every line goes to that source's reader.
 */
import type { DecodeBudget } from './common/decode-first.js';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { encodingSink } from './event-codec.js';
import type { EventSink, SourceName } from './common/events.js';
import { LineSplitter, MAX_LINE_BYTES } from '../jsonl/lines.js';
import { LineReader, type FileEdges, type LineSink } from './lines.js';
import { skipSpace, trimEnd } from './common/json-bytes.js';
import { errorReason } from '../base/errors.js';
import { AGENTS, findAgent } from './registry.js';
import type { AgentSource, LogReader, ReaderNeeds } from './common/source.js';

const NO_AGENT = 'not a session log of any agent seq reads';

/** Which agent wrote a record: from its first bytes where an agent's layout is sure, else decoded; undefined when none. */
export function detectSource(buffer: Buffer, start: number, end: number): AgentSource | undefined {
  const byLayout = AGENTS.find((agent) => agent.layout?.(buffer, start, end) === true);
  if (byLayout !== undefined) return byLayout;
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8', start, end));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const signs = AGENTS.map((agent) => agent.recognise(record));
  return AGENTS[signs.indexOf('surely')] ?? AGENTS[signs.indexOf('perhaps')];
}

export interface FileHandler {
  /** Notes the file's source once it is known; returns whether to read the file at all (false binds nothing: another agent may be asked). */
  source(source: SourceName): boolean;
  /** A file that is no session log of any agent. */
  unknown(reason: string): void;
  /**
   * The whole file was read: where a later read would go on from (told before a last line
   * without its newline), with the file's edges where the reader still has them. `settled`:
   * nothing was read past the point (no last line without its newline), so that what was told
   * is all of the file up to it.
   */
  point?(point: ReadPoint, edges: FileEdges | undefined, settled: boolean): void;
  /** The file cannot be opened: told by a reader that opens it later than it was asked to (a reading thread). */
  unreadable(reason: string): void;
}

/** What the scan asks of a file being read: here, by a reading thread, or from the cache. */
export interface FileRead {
  /** Reads on a little (a chunk, a batch); telling the sink and handler what it found. */
  pump(): void;
  readonly done: boolean;
  /** Bytes of the file covered so far. */
  readonly bytesRead: number;
  close(): void;
}

/** How a file is to be read. */
export interface ReadRequest {
  /** Go on from an earlier read's point (see SessionFileReader). */
  from?: { point: ReadPoint; size: number };
  /** Its size, when the caller knows it already. */
  size?: number;
  /** Also hand on what the sink is told, encoded as event-codec lines (what the cache keeps). */
  text?: (text: string) => void;
  /**
   * Asked for at the file's turn, not ahead of it (a cache entry found unusable): read in the
   * scan's thread. A worker would read it only after the files given out before it, which the
   * scan cannot use first: it takes files in walk order.
   */
  now?: boolean;
}

/** Opens the files of a scan, one reader each: in this thread, or on reading threads (read-threads.ts). */
export interface FileOpener {
  open(path: string, sink: EventSink, handler: FileHandler, request?: ReadRequest): FileRead;
  /** Whether files opened ahead of the one being used are read meanwhile (then the scan opens some ahead). */
  readonly readsAhead: boolean;
  /** Stops whatever is still being read; the opener is not used again. */
  close(): void;
}

/**
 * What the scan says when it gets to a place of the walk, not before: a file that could not be
 * opened, a folder that could not be read. Files are opened (and the walk goes) ahead of the one
 * being read when reading threads read them meanwhile, and a scan stopped before that place
 * (--limit, --strict) says nothing of it, as a scan in one thread would not.
 */
export class DeferredNotice implements FileRead {
  done = false;
  readonly bytesRead = 0;

  constructor(private readonly say: () => void) {}

  pump(): void {
    if (this.done) return;
    this.done = true;
    this.say();
  }

  close(): void {
    this.done = true;
  }
}

/** A file that could not be opened: told to its handler when the scan gets to it. */
export function unopened(handler: FileHandler, error: unknown): FileRead {
  const reason = errorReason(error);
  return new DeferredNotice(() => handler.unreadable(reason));
}

/** Opens a file at its turn, in the scan's thread: one that cannot be opened is told to the handler, in its place. */
export function openAtTurn(opener: FileOpener, path: string, sink: EventSink, handler: FileHandler, request: ReadRequest = {}): FileRead {
  try {
    return opener.open(path, sink, handler, { ...request, now: true });
  } catch (error) {
    return unopened(handler, error);
  }
}

/** Reads every file in this thread, when it is asked for. */
export class InThreadOpener implements FileOpener {
  readonly readsAhead = false;

  /** `decode`: the bytes of lines its readers may decode whole rather than walk, shared by every file it opens (decode-first.ts). */
  constructor(
    private readonly needs: ReaderNeeds,
    private readonly decode?: DecodeBudget,
  ) {}

  open(path: string, sink: EventSink, handler: FileHandler, request: ReadRequest = {}): FileRead {
    const told = request.text === undefined ? sink : encodingSink(sink, request.text);
    return new SessionFileReader(path, this.needs, told, handler, request.from, this.decode);
  }

  close(): void {}
}

/**
 * Where a read of a file stopped, and what its reader knew there: a later read of the file,
 * grown by appending, goes on from here as if it had never stopped (the cache keeps these).
 * For a file that can only be read whole (.zst, .json), the point is its end.
 */
export interface ReadPoint {
  offset: number;
  lines: number;
  source: string;
  /** What the source's reader knew there (LogReader.state). */
  state: unknown;
}

/** How a file is read: line by line (JSON Lines, compressed or not), whole as one JSON document, or as an agent's database. */
type FileKind = { kind: 'lines' } | { kind: 'document' } | { kind: 'database'; agent: AgentSource };

const LINES: FileKind = { kind: 'lines' };
const DOCUMENT: FileKind = { kind: 'document' };
/** The agents that keep a database: a walk's stat asks of each of its files whether it is one. */
const DATABASES = AGENTS.filter((agent) => agent.database !== undefined);

function fileKind(path: string): FileKind {
  if (path.endsWith('.json')) return DOCUMENT;
  const name = basename(path);
  const agent = DATABASES.find((a) => a.database?.(name) === true);
  return agent === undefined ? LINES : { kind: 'database', agent };
}

/** Whether a file that grew can be read on from where an earlier read stopped: not a compressed one, nor one read whole. */
export function appendable(path: string): boolean {
  return !path.endsWith('.zst') && fileKind(path).kind === 'lines';
}

/**
 * What to compare to know whether a log changed: its own size and times, and for a database in
 * write-ahead-log mode those of its `-wal` file too, where the latest writes wait until they are
 * copied into the database.
 */
export function logStat(path: string): LogStat {
  const stat = statSync(path);
  if (fileKind(path).kind !== 'database') return stat;
  let wal: Stats;
  try {
    wal = statSync(`${path}-wal`);
  } catch {
    return stat;
  }
  return {
    ino: stat.ino,
    size: stat.size + wal.size,
    mtimeMs: Math.max(stat.mtimeMs, wal.mtimeMs),
    ctimeMs: Math.max(stat.ctimeMs, wal.ctimeMs),
  };
}

export type LogStat = Pick<Stats, 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>;

export class SessionFileReader implements LineSink, FileRead {
  private readonly lines: LineReader | undefined;
  private readonly splitter: LineSplitter;
  private reader: { agent: AgentSource; lines: LogReader } | undefined;
  private finished = false;
  /** How the file is read: a document or a database is read whole at the first pump. */
  private readonly whole: FileKind | undefined;
  private documentBytes = 0;
  private lastLine = 0;
  /** Lines before the source was known that were neither agent's. */
  private unknownLines: number[] = [];
  /**
   * `from`: go on from where an earlier read of this file stopped (its events are the caller's
   * to replay first); the file's source is known, so the handler is not asked again. `size`:
   * the file's size when it was looked at, so that a file with nothing new is not even opened.
   */
  constructor(
    readonly path: string,
    private readonly needs: ReaderNeeds,
    private readonly sink: EventSink,
    private readonly handler: FileHandler,
    from?: { point: ReadPoint; size: number },
    private readonly decode?: DecodeBudget,
  ) {
    this.splitter = new LineSplitter(this, MAX_LINE_BYTES, from?.point.lines ?? 0);
    if (from) {
      const { point } = from;
      this.lastLine = point.lines;
      const agent = findAgent(point.source);
      if (agent === undefined) throw new Error(`a read point of an unknown source "${point.source}"`);
      this.reader = { agent, lines: agent.reader(path, sink, needs, point.state, decode) };
      this.lines = point.offset < from.size ? new LineReader(path, point.offset) : undefined;
    } else {
      const kind = fileKind(path);
      this.whole = kind.kind === 'lines' ? undefined : kind;
      this.lines = this.whole === undefined ? new LineReader(path) : undefined;
    }
  }

  get bytesRead(): number {
    return this.lines?.bytesRead ?? this.documentBytes;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Reads the next chunk; after the last, the file is closed and the reader finished. */
  pump(): void {
    if (this.finished) return;
    if (this.whole !== undefined) {
      this.finished = true;
      if (this.whole.kind === 'database') this.readDatabase(this.whole.agent);
      else this.readDocument();
      return;
    }
    if (!this.lines) {
      this.finish(); // read on from a point with nothing after it
      return;
    }
    try {
      this.lines.pump(this.splitter);
      if (this.lines.done) {
        // A last line without its newline may be one being written: a later read starts at it.
        const readOn = appendable(this.path);
        if (readOn) this.setPoint(this.pointHere(this.lines.completeBytes(this.splitter)), this.lines, this.splitter.pendingBytes === 0);
        this.splitter.end();
        if (!readOn) this.setPoint(this.pointHere(this.lines.bytesRead), this.lines, true);
      }
    } catch (error) {
      // Damaged or cut-short compressed data (or a failing disk): keep the lines read so far (no point is told).
      this.splitter.end();
      const reason = error instanceof Error ? error.message : String(error);
      this.sink.malformed(this.lastLine + 1, `cannot read on (${reason}); the rest of the file is skipped`);
      this.finish();
      return;
    }
    if (this.lines.done) this.finish();
  }

  /** A JSON document, recognised from its content (or, when it cannot be decoded, by the name an agent gives its logs). */
  private readDocument(): void {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (error) {
      this.handler.unreadable(errorReason(error));
      return;
    }
    this.documentBytes = bytes.length;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      // Several agents may name their documents alike: the damage is the first wanted one's to report.
      const claiming = AGENTS.filter((a) => a.isLogFile?.(basename(this.path)) === true);
      const reason = `not a whole JSON document (${errorReason(error)}): cut short or damaged; it is read again once it changes`;
      if (claiming.length === 0) this.handler.unknown(reason);
      else if (claiming.some((agent) => this.handler.source(agent.name))) this.sink.malformed(1, reason);
      return;
    }
    const document = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const name = basename(this.path);
    const signs = document === undefined ? [] : AGENTS.map((agent) => agent.recogniseDocument?.(document, name) ?? false);
    const agent = AGENTS[signs.indexOf('surely')] ?? AGENTS[signs.indexOf('perhaps')];
    if (document === undefined || agent === undefined) {
      this.handler.unknown(`${NO_AGENT} (a JSON document none of them writes; seq sources lists them)`);
      return;
    }
    if (!this.handler.source(agent.name)) return;
    const reader = agent.reader(this.path, this.sink, this.needs);
    reader.document?.(document);
    reader.finish?.();
    this.setPoint({ offset: bytes.length, lines: 1, source: agent.name, state: reader.state() }, undefined, true);
  }

  /** An agent's database, read whole by its reader. */
  private readDatabase(agent: AgentSource): void {
    if (!this.handler.source(agent.name)) return;
    const reader = agent.reader(this.path, this.sink, this.needs);
    try {
      this.documentBytes = logStat(this.path).size;
      reader.database?.(this.path);
    } catch (error) {
      this.handler.unreadable(errorReason(error));
      return;
    }
    reader.finish?.();
    this.setPoint({ offset: this.documentBytes, lines: 1, source: agent.name, state: reader.state() }, undefined, true);
  }

  private setPoint(point: ReadPoint | undefined, lines: LineReader | undefined, settled: boolean): void {
    if (point) this.handler.point?.(point, lines?.edges(point.offset), settled);
  }

  private pointHere(offset: number): ReadPoint | undefined {
    if (this.reader === undefined) return undefined;
    return { offset, lines: this.splitter.lines, source: this.reader.agent.name, state: this.reader.lines.state() };
  }

  private notALog(): void {
    this.handler.unknown(`${NO_AGENT} (line ${this.unknownLines[0]} is none of theirs; seq sources lists them)`);
    this.unknownLines = [];
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    if (this.reader === undefined && this.unknownLines.length > 0) {
      this.notALog();
      return;
    }
    this.finished = true;
    this.lines?.close();
    this.reader?.lines.finish?.();
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (this.finished) return;
    this.lastLine = lineNumber;
    // A record is the same record with whitespace around it, and after a byte-order mark.
    if (lineNumber === 1 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    start = skipSpace(buffer, start, end);
    end = trimEnd(buffer, start, end);
    if (this.reader === undefined) {
      if (end === start) return;
      const source = detectSource(buffer, start, end);
      if (source === undefined) {
        // A bad line at the top of a log is one bad line (said once the log is recognised); a
        // file whose first five lines, or all its lines, are neither agent's is no log.
        this.unknownLines.push(lineNumber);
        if (this.unknownLines.length >= 5) this.notALog();
        return;
      }
      for (const bad of this.unknownLines) this.sink.malformed(bad, 'a record of no agent seq reads');
      this.unknownLines = [];
      if (!this.handler.source(source.name)) {
        this.finish();
        return;
      }
      this.reader = { agent: source, lines: source.reader(this.path, this.sink, this.needs, undefined, this.decode) };
    }
    this.reader.lines.line(buffer, start, end, lineNumber);
  }

  tooLong(lineNumber: number, bytes: number): void {
    this.sink.malformed(lineNumber, `a line of ${Math.round(bytes / 1048576)} MB, longer than any record; skipped`);
  }

  close(): void {
    this.lines?.close();
    this.finished = true;
  }
}
