/**
 * The scan under every session-log dataset: finds the files, reads each chunk by chunk with its
 * source's reader (in reading threads, through the cache), hands the events to the dataset and
 * streams the rows out, respecting backpressure (so memory stays bounded, whatever the size of a file).
 */
import { Readable } from 'node:stream';
import { onInterrupt } from '../base/interrupts.js';
import { absolute, openSessionFile } from '../cache/cached-file.js';
import { EventCache } from '../cache/event-cache.js';
import { needsKey } from '../cache/layout.js';
import { Replays } from '../datasets/replays.js';
import { projectTest, type ProjectTest } from './project.js';
import { rowBase } from '../datasets/session-dataset.js';
import type { ScanContext } from '../datasets/types.js';
import type { Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import type { EventSink, SessionEvent } from '../sources/common/events.js';
import type { WalkProblems } from '../sources/files.js';
import { defaultRoots, findSessionFiles } from '../sources/session-files.js';
import { ReadThreads, threadPlan } from '../sources/read-threads.js';
import {
  InThreadOpener,
  DeferredNotice,
  logStat,
  unopened,
  type FileHandler,
  type FileOpener,
  type FileRead,
  type LogStat,
} from '../sources/session-reader.js';
import type { Emit, FileContext, FileConsumer, SessionDatasetImpl } from '../datasets/types.js';
import { sourceWanted } from '../sources/wanted.js';
import { tellAgain } from '../jsonl/problems.js';
import { distinct, linksOf } from './links.js';
import { keeperOf, lookUpTables, tableReader, type RowKeeper, type TableParts } from './table-scan.js';
import { walkStat, type Walk } from './walk.js';
import { fewLines, type DecodeBudget } from '../sources/common/decode-first.js';
import { patchPlan, walkOf, type PatchPlan } from './patch-plan.js';
import { afterwards, patchedTable, PatchGatherer, silentLedger, writePatch } from './table-patch.js';
import type { ResumePoint, StoredTable } from '../cache/table-file.js';

/** A file opened by the scan: its reader, and what to do after its last line (`path`: none for what the walk said). */
interface OpenFile {
  read: FileRead;
  finish(): void;
  path: string | undefined;
}

/** Files opened ahead of the one the scan uses, at most, while reading threads want more. */
const MAX_AHEAD = 128;

class SessionScan extends Readable {
  /** The file being used, then the files opened ahead of it (read meanwhile by reading threads). */
  private current: OpenFile | undefined;
  private readonly ahead: OpenFile[] = [];
  private walked = false;
  private full = false;
  private ended = false;
  private readonly send: Emit = (row) => {
    if (this.ended) return;
    this.keeper?.row(row, 0, this.current?.path);
    if (!this.push(row)) this.full = true;
  };
  /** The dataset's last rows, once every file is read (or the scan was stopped). */
  private last: Iterator<Row> | undefined;
  private readonly replays = new Replays();
  /** --project: whether a session's working folder is the project's; undefined keeps every session. */
  private readonly inProject: ProjectTest | undefined;
  /** Files finished, and bytes read from them, for the progress line. */
  filesDone = 0;
  bytesDone = 0;

  constructor(
    /** The files, found as the scan goes (a walk that lists them all first holds them all). */
    private readonly files: Iterator<string>,
    /** What the walk said on the way to each file (a link it did not follow, a folder it could not read), said in its place. */
    private readonly walkSaid: Array<() => void>,
    private readonly impl: SessionDatasetImpl,
    private readonly scan: ScanContext,
    private cache: EventCache | undefined,
    private readonly opener: FileOpener,
    /** Keeps the rows as the scan's table, once every file is read. */
    private readonly keeper: RowKeeper | undefined,
    /** The stats the walk took, of files not opened yet. */
    private readonly stats: Map<string, LogStat>,
    /** Files to read on from where a kept table's rows of them were read to, alone (not through the cache of events). */
    private readonly resumes: Map<string, ResumePoint> | undefined,
  ) {
    super({ objectMode: true, highWaterMark: 512 });
    this.inProject = scan.project === undefined ? undefined : projectTest(scan.project);
  }

  private resumeScheduled = false;
  private reading = false;
  private lastYield = Date.now();

  override _read(): void {
    if (!this.resumeScheduled) this.readSome();
  }

  /**
   * Reads until the consumer is full, but hands the event loop back every 50 ms (across calls:
   * streams call _read again from nextTick, which never lets timers or signals run): the progress
   * line and Ctrl-C need the loop.
   */
  private readSome(): void {
    if (this.reading) return;
    this.reading = true;
    try {
      this.full = false;
      while (!this.full && !(this.ended && this.last === undefined)) {
        if (Date.now() - this.lastYield > 50) {
          this.resumeScheduled = true;
          setImmediate(() => {
            this.resumeScheduled = false;
            this.lastYield = Date.now();
            this.readSome();
          });
          return;
        }
        this.step();
      }
    } catch (error) {
      this.destroy(error as Error);
    } finally {
      this.reading = false;
    }
  }

  private step(): void {
    if (this.last !== undefined) {
      const next = this.last.next();
      if (next.done) {
        this.last = undefined;
        const failure = this.keeper?.end();
        if (failure !== undefined) this.scan.problems.notice(`${failure}; the scan is complete, the next one reads the logs again`);
        this.push(null);
        return;
      }
      this.keeper?.row(next.value, 1, undefined);
      if (!this.push(next.value)) this.full = true;
      return;
    }
    if (this.current === undefined) {
      this.openAhead();
      this.current = this.ahead.shift();
      if (this.current === undefined && this.walked) this.finishAll(true);
      return;
    }
    const { read } = this.current;
    read.pump();
    if (this.ended) return; // stopped from inside (--strict)
    if (read.done) {
      if (this.current.path !== undefined) this.filesDone++;
      this.bytesDone += read.bytesRead;
      this.current.finish();
      this.current = undefined;
    }
    if (this.opener.readsAhead) this.openAhead();
  }

  /** Opens the next files of the walk: one, or as many as the reading threads want to read ahead. */
  private openAhead(): void {
    while (!this.walked && (this.ahead.length === 0 || (this.opener.readsAhead && this.ahead.length < MAX_AHEAD))) {
      const next = this.files.next();
      for (const say of this.walkSaid.splice(0)) this.ahead.push({ read: new DeferredNotice(say), finish: () => undefined, path: undefined });
      if (next.done === true) {
        this.walked = true;
        return;
      }
      const path = next.value;
      if (this.scan.window.sinceMs !== undefined && writtenBefore(path, this.scan.window.sinceMs, this.takeStat(path))) {
        this.cache?.found(absolute(path)); // there, but not read: its entry stays
        continue;
      }
      this.ahead.push(this.open(path));
    }
  }

  private open(path: string): OpenFile {
    const problems = this.scan.problems;
    const zone = this.scan.tz;
    const context: FileContext = {
      path,
      // Set once the file's first record names its agent; no dataset sees the file before that.
      source: '',
      session: undefined,
      base: (timestamp, sessionId) => rowBase(context.source, sessionId ?? context.session?.sessionId, path, timestamp, zone),
    };
    let consumer: FileConsumer | undefined;
    // What a copy of a session repeats is counted once, the same way for every dataset (replays.ts).
    const counted = this.replays.file();
    // The identities that tie the file to others, for its table (links.ts).
    const links: number[] | undefined = this.keeper === undefined ? undefined : [];
    const handler: FileHandler = {
      source: (source) => {
        if (!sourceWanted(this.scan.source, source)) return false;
        context.source = source;
        consumer = this.impl.file(context);
        return true;
      },
      unknown: (reason) => problems.otherFile(path, reason),
      unreadable: (reason) => problems.unreadable(path, reason),
      // The session as known at the point: before the reader's last words (it tells the session again as the file ends).
      point: (point, edges, settled) => {
        if (settled) this.keeper?.settled?.(path, point, edges, context.session);
      },
    };
    const finish = (): void => {
      consumer?.finish?.(this.send);
      if (links !== undefined) this.keeper?.links(path, distinct(links));
    };
    const sink: EventSink = {
      event: (event) => {
        if (problems.halted || this.ended) return;
        if (event.kind === 'session') context.session = mergeSession(context.session, event);
        if (links !== undefined) linksOf(event, links, path);
        const kept = counted(event);
        // A session is of the project by the working folder known when its event comes (readers tell it first).
        if (kept !== undefined && (this.inProject === undefined || this.inProject(context.session?.cwd))) consumer?.event(kept, this.send);
      },
      malformed: (lineNumber, reason) => {
        if (!this.ended) problems.malformedLine(`${path}:${lineNumber}`, reason);
      },
      repaired: (lineNumber, what) => {
        if (!this.ended) problems.repaired(`${path}:${lineNumber}`, what);
      },
    };
    try {
      const stat = this.takeStat(path);
      const resume = this.resumes?.get(path);
      if (resume !== undefined) {
        // Read on from the point, as a reading of the whole file goes on there: with the file's session as it was at it.
        context.session = resume.session ?? undefined;
        const size = (stat ?? logStat(path)).size;
        return { read: new ReadOn(resume.point.source, this.opener.open(path, sink, handler, { from: { point: resume.point, size } }), handler), finish, path };
      }
      const read = openSessionFile(path, sink, handler, this.cache, this.opener, stat);
      return { read, finish, path };
    } catch (error) {
      return { read: unopened(handler, error), finish, path };
    }
  }

  private takeStat(path: string): LogStat | undefined {
    const stat = this.stats.get(path);
    if (stat !== undefined) this.stats.delete(path);
    return stat;
  }

  /** Every file opened and not finished is let go. */
  private closeFiles(): void {
    this.current?.read.close();
    this.current = undefined;
    for (const file of this.ahead.splice(0)) file.read.close();
    this.opener.close();
  }

  /**
   * Stops reading (a limit was reached downstream, or --strict met a bad line): rows already out
   * stay, the dataset gives what it gathered so far (deduplicated usage), then the stream ends.
   */
  stop(): void {
    if (this.ended) return;
    this.closeFiles();
    this.finishAll(false);
    if (!this.resumeScheduled) this.readSome();
  }

  /** Ctrl-C: what this scan wrote to the cache goes (nothing refers to it yet); the index stays as it was. */
  abandonCache(): void {
    this.keeper?.giveUp();
    this.cache?.abandon();
    this.cache = undefined;
  }

  /**
   * From now on, the dataset's last rows (those that need every file), then the end of the
   * stream. `complete`: every file was read (the cache may then forget files not found).
   */
  private finishAll(complete: boolean): void {
    this.ended = true;
    this.opener.close();
    if (!complete) this.keeper?.giveUp();
    if (this.cache) {
      const events = this.cache;
      this.cache = undefined;
      const failure = events.save(complete);
      if (failure !== undefined) {
        this.keeper?.giveUp();
        this.scan.problems.notice(`${failure}; the scan is complete, the next one reads these files again (--no-cache skips the cache)`);
      }
    }
    this.last = (this.impl.end?.() ?? [])[Symbol.iterator]();
  }

  progress(): { files: number; bytes: number } {
    return { files: this.filesDone, bytes: this.bytesDone + (this.current?.read.bytesRead ?? 0) };
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeFiles();
    this.abandonCache(); // destroyed before the end (an error downstream): nothing of this scan is kept
    callback(error);
  }
}

/**
 * A file read on from a point: its source, known there, is told at the first pump, as a file's
 * first record tells it (a file opened ahead of its turn tells nothing before it).
 */
class ReadOn implements FileRead {
  private told = false;
  private unwanted = false;

  constructor(
    private readonly source: string,
    private readonly read: FileRead,
    private readonly handler: FileHandler,
  ) {}

  get done(): boolean {
    return this.unwanted || this.read.done;
  }

  get bytesRead(): number {
    return this.read.bytesRead;
  }

  pump(): void {
    if (!this.told) {
      this.told = true;
      // The source is part of a table's key, so this scan wants it: if not, no patch is made of the file.
      if (!this.handler.source(this.source)) {
        this.handler.unreadable('not read on from where its rows were read to: its source is not one this scan reads');
        this.unwanted = true;
        this.read.close();
        return;
      }
    }
    this.read.pump();
  }

  close(): void {
    this.read.close();
  }
}

/** A later session event of the same file adds what the first did not know. */
function mergeSession(known: SessionEvent | undefined, next: SessionEvent): SessionEvent {
  // A log of several sessions (a database) tells each one's events after its session event.
  if (!known || known.sessionId !== next.sessionId) return next;
  return {
    ...known,
    start: known.start ?? next.start,
    cwd: known.cwd ?? next.cwd,
    client: known.client ?? next.client,
    version: known.version ?? next.version,
    sidechain: known.sidechain || next.sidechain,
  };
}

/**
 * With --since, the files last written before it are not opened: every line of a file was
 * written by its mtime, so none can be in the window. (A file whose mtime was set back by hand
 * is the exception.) A file that cannot be stat'ed is read, to be reported.
 */
function writtenBefore(path: string, sinceMs: number, stat: LogStat | undefined): boolean {
  try {
    return (stat ?? logStat(path)).mtimeMs < sinceMs;
  } catch {
    return false;
  }
}

/** What a walk done before the scan met, told to the scan as the walk would have told it; each file's stat is kept in `stats` till the scan opens it. */
function* walked(
  walk: Walk,
  walkSaid: Array<() => void>,
  problems: ScanContext['problems'],
  cache: EventCache | undefined,
  stats: Map<string, LogStat>,
): Generator<string> {
  for (const item of walk.items) {
    if ('file' in item) {
      const stat = walkStat(walk, item.stat);
      if (stat !== undefined) stats.set(item.file, stat);
      yield item.file;
    } else if ('root' in item) cache?.root(item.root);
    else {
      const call = item.told;
      walkSaid.push(() => tellAgain(problems, [call]));
    }
  }
}

/**
 * Opens the scan of a session dataset over the context's inputs (or the default roots); `logic`
 * makes the dataset's logic for a context (a patch reads changed files with one of its own).
 * `tables`: keep its rows as tables under these keys (with the roots and the reading's needs),
 * give the kept tables' rows when the logs are as they were, and patch a table where only a few
 * files changed (table-scan.ts, table-patch.ts).
 */
export function openSessionScan(scan: ScanContext, logic: (scan: ScanContext) => SessionDatasetImpl, tables?: TableParts): RecordReader {
  const roots = scan.inputs.length > 0 ? scan.inputs : defaultRoots(scan.source);
  if (roots.length === 0) {
    scan.problems.notice('found no session logs in the default places (seq-scan --help lists them); give a PATH or --root');
  }
  const impl = logic(scan);
  if (tables === undefined || !scan.cache) return readLogs(scan, impl, roots, undefined, undefined);
  // The needs too: how much of a line is decoded decides which bad lines a scan tells of.
  const keys = tables.parts.map((part) => JSON.stringify([part.key, roots, needsKey(impl.needs)]));
  const found = lookUpTables(keys, roots);
  const kept = found.hit ? tableReader(found.stored as StoredTable[], scan.problems, tables) : undefined;
  if (kept !== undefined) return kept;
  const { walk } = found;
  // Datasets read together, and those whose rows gather a session's files, are read whole.
  // With --since, a file written before it is not read at all, which rows read on would not show.
  const canResume = impl.resumable === true && scan.window.sinceMs === undefined;
  const plan = tables.together || impl.gathersSessions === true ? undefined : patchPlan(found.stored[0], walk, canResume);
  for (const table of found.stored) if (table !== plan?.table) table?.close();
  const whole = (): RecordReader => readLogs(scan, impl, roots, walk, keeperOf(tables, keys, walk));
  if (plan === undefined) return whole();
  const key = keys[0] as string;
  // The changed files read alone, then the patch written from what they gave; read again, those
  // read on from a point that are tied across it read whole.
  const patchOf = (attempt: PatchPlan): RecordReader => {
    const ledger = silentLedger();
    const gatherer = new PatchGatherer(attempt.paths, attempt.most);
    // The files read alone tell no one: anything told, and there is no patch.
    const alone: ScanContext = { ...scan, problems: ledger };
    const resumes = new Map([...attempt.resume].map(([i, resume]) => [attempt.paths[i] as string, resume]));
    const changed = readLogs(alone, logic(alone), attempt.paths, walkOf(attempt), gatherer, { decode: fewLines(attempt.bytes), resumes });
    return afterwards(changed, () => {
      const told = ledger.log.of(-1);
      let patched: ReturnType<typeof writePatch>;
      try {
        patched = told !== undefined && told.length === 0 ? writePatch(key, attempt, gatherer) : undefined;
      } catch {
        // a part of the table that does not check: it is written whole
      }
      if (patched instanceof Set) return patchOf({ ...attempt, resume: new Map([...attempt.resume].filter(([i]) => !patched.has(i))) });
      attempt.table.close();
      const table = patched === 'written' ? patchedTable(key, walk) : undefined;
      return (table && tableReader([table], scan.problems, tables)) ?? whole();
    });
  };
  return patchOf(plan);
}

/** How a patch reads its changed files: `decode`, where their lines are few and may be decoded whole (decode-first.ts); `resumes`, the files read on from a point. */
interface PatchReading {
  decode: DecodeBudget | undefined;
  resumes: Map<string, ResumePoint>;
}

/** Reads the logs: the files of `walk` where the walk was done already, else those found under the roots. */
function readLogs(
  scan: ScanContext,
  impl: SessionDatasetImpl,
  roots: string[],
  walk: Walk | undefined,
  keeper: RowKeeper | undefined,
  patch?: PatchReading,
): RecordReader {
  let cache: EventCache | undefined;
  if (scan.cache) {
    const events = EventCache.open(impl.needs);
    if (typeof events === 'string') {
      scan.problems.notice(`${events}; reading without the cache (--no-cache says so and stays quiet)`);
      keeper?.giveUp(); // its folder is in the same place, said once
    } else cache = events;
  }
  const walkSaid: Array<() => void> = [];
  const problems = scan.problems;
  const walkProblems: WalkProblems = {
    notice: (text) => walkSaid.push(() => problems.notice(text)),
    unreadable: (path, reason) => walkSaid.push(() => problems.unreadable(path, reason)),
  };
  // The walk's stats, one per file: the cache's entries keep the stat the table keeps.
  const stats = new Map<string, LogStat>();
  const files = walk !== undefined ? walked(walk, walkSaid, problems, cache, stats) : findSessionFiles(roots, walkProblems, (root) => cache?.root(root));
  const plan = threadPlan();
  // Few lines (a budget) are read in the scan's thread: threads would cost more than they save.
  const decode = patch?.decode;
  const opener = plan.threads > 0 && decode === undefined ? new ReadThreads(impl.needs, scan.source, plan) : new InThreadOpener(impl.needs, decode);
  const stream = new SessionScan(files, walkSaid, impl, scan, cache, opener, keeper, stats, patch?.resumes);
  // Through the stream, not the cache: once saved, the cache is not held any more.
  if (cache) onInterrupt(() => stream.abandonCache());
  scan.problems.onStop(() => stream.stop());
  return { records: stream, stop: () => stream.stop(), progress: () => stream.progress() };
}
