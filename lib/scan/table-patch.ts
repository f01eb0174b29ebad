/**
 * A kept table patched where a few files changed: when the walk finds what the table was read
 * from but for a few files changed (a transcript that grew, most often), added (a session begun
 * since) or gone, and none of them is tied to another file (links.ts: no record of theirs, before
 * or after the change, is matched with another file's), each file changed or added is read
 * again alone, through the cache of events (so only what was added to it is read from disk) or
 * on from a point (below), and its rows take the place of its kept ones; a file gone takes its
 * rows with it. The patch is appended to the table (table-write.ts appendPatch, table-merge.ts):
 * the kept rows stay where they are. Once patches have made the table large, it is written whole
 * again from its rows and the new ones.
 *
 * When a patch may do, and what it reads, is patch-plan.ts's.
 *
 * A file a patch read, grown since, is read on from where that patch read it to, for a dataset
 * whose rows of a file are those of its parts read apart (SessionDatasetImpl resumable): its
 * new rows follow those the patch has, when nothing ties what it added to its first part
 * either; where something does, the patch is read again with the file read whole. Only what
 * was added is read, and the cache of events does not hear of the file (its entry stays).
 */
import { Readable } from 'node:stream';
import { InputProblems, ProblemRecorder } from '../jsonl/problems.js';
import type { Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import { RowEncoder } from '../cache/row-codec.js';
import type { ResumePoint, StoredTable } from '../cache/table-file.js';
import { readTable } from '../cache/table-read.js';
import { appendPatch, hasRoom, TableWriter } from '../cache/table-write.js';
import { edgeMarks, fingerprints } from '../cache/entry.js';
import type { SessionEvent } from '../sources/common/events.js';
import type { FileEdges } from '../sources/lines.js';
import { appendable, type ReadPoint } from '../sources/session-reader.js';
import { LARGEST_TABLE, type RowKeeper } from './table-scan.js';
import type { Walk } from './walk.js';
import type { PatchPlan } from './patch-plan.js';
import { countOf, fileLinks, linksTogether, tied, tiedOn, union } from './links.js';

/** The most parts a patch's rows are in: past it, a patch's rows are written again as one. */
const MOST_PARTS = 16;

/** A ledger that tells no one: what a file read alone tells is only looked at (any at all, and there is no patch). */
export function silentLedger(): ProblemRecorder {
  return new ProblemRecorder(new InputProblems(false, () => undefined));
}

/**
 * The rows of the changed files read alone, each file's in each phase, and their identities;
 * no more than a patch may hold (past that, none: the table is to be written whole).
 */
export class PatchGatherer implements RowKeeper {
  /** `rows[2 * i + phase]`: the i-th changed file's. */
  readonly rows: Row[][];
  readonly identities: Array<Float64Array | undefined>;
  /** Where each changed file was read to, where nothing was read past it. */
  readonly points: Array<ResumePoint | undefined>;
  ok = true;
  private phase = 0;
  private last = -1;
  private held = 0;
  private readonly index: Map<string, number>;

  constructor(
    paths: string[],
    private readonly most: number,
  ) {
    this.index = new Map(paths.map((path, i) => [path, i]));
    this.rows = Array.from({ length: 2 * paths.length }, () => []);
    this.identities = new Array<Float64Array | undefined>(paths.length);
    this.points = new Array<ResumePoint | undefined>(paths.length);
  }

  row(row: Row, phase: 0 | 1, reading: string | undefined): void {
    if (!this.ok) return;
    if (++this.held > this.most) {
      this.giveUp();
      return;
    }
    const path = row.path;
    const file = typeof path === 'string' ? this.index.get(path) : undefined;
    if (phase !== this.phase) {
      if (phase < this.phase) this.ok = false;
      this.phase = phase;
      this.last = -1;
    }
    if (file === undefined || file < this.last || (phase === 0 && path !== reading)) {
      this.ok = false;
      return;
    }
    this.last = file;
    this.rows[2 * file + phase]?.push(row);
  }

  links(path: string, hashes: Float64Array): void {
    const file = this.index.get(path);
    if (file !== undefined) this.identities[file] = hashes;
  }

  settled(path: string, point: ReadPoint, edges: FileEdges | undefined, session: SessionEvent | undefined): void {
    const file = this.index.get(path);
    if (file === undefined || !appendable(path)) return;
    // A reader that began at a point no longer has the file's first bytes: they are read again, as the cache of events reads them.
    const marks = edges === undefined ? fingerprints(path, point.offset) : edgeMarks(edges);
    if (marks !== undefined) this.points[file] = { point, ...marks, session: session ?? null };
  }

  giveUp(): void {
    this.ok = false;
    for (const rows of this.rows) rows.length = 0;
  }

  end(): string | undefined {
    return undefined;
  }
}

/**
 * Writes the patched table from what the changed files gave read alone: appended to the table
 * where there is room, else the table written whole from its rows and theirs. Returns whether it
 * did: 'written'; where files read on from a point are tied across it, those files (by their
 * place in `changed`: the patch is to be read again with them read whole); undefined where the
 * logs are to be read. `key`: the table's.
 */
export function writePatch(key: string, plan: PatchPlan, gathered: PatchGatherer): 'written' | Set<number> | undefined {
  const { identities, changed, kept, removed, resume } = plan;
  if (!gathered.ok) return undefined;
  const own = (from: number): Float64Array => (from < 0 ? new Float64Array(0) : identities.own(from));
  const fresh = changed.map((_, i) => gathered.identities[i] ?? new Float64Array(0));
  // The files gone tie nothing any more, unless one of their records is another file's too.
  const all = (hash: number): number => identities.count(hash);
  for (const from of removed) if (tied(all, own(from), new Float64Array(0), new Set(), false)) return undefined;
  const gone = Float64Array.from(removed.flatMap((from) => [...own(from)])).sort();
  const left = (hash: number): number => identities.count(hash) - countOf(gone, hash);
  const from = (file: number): number => (kept === undefined ? file : (kept[file] as number));
  const across = new Set<number>();
  for (const [i, file] of changed.entries()) {
    const others = new Set(fresh.flatMap((hashes, j) => (j === i ? [] : [...hashes])));
    const was = own(from(file));
    if (!resume.has(i)) {
      if (tied(left, was, fresh[i] as Float64Array, others, from(file) >= 0 && identities.patched(from(file)))) return undefined;
      continue;
    }
    const how = tiedOn(left, was, fresh[i] as Float64Array, others);
    if (how === 'another') return undefined;
    if (how === 'across') across.add(i);
  }
  if (across.size > 0) return across;
  // A file read on from a point has the identities of both its parts.
  const now = fresh.map((hashes, i) => (resume.has(i) ? union(own(from(changed[i] as number)), hashes) : hashes));
  return (hasRoom(plan.table) && appended(key, plan, gathered, now, own)) || rewritten(key, plan, gathered, now, own) ? 'written' : undefined;
}

/**
 * The patch appended to the table: the changed and added files' rows, with those of files patched
 * before and unchanged since, and a file read on from a point with its rows so far first. Where
 * every row of the table's patch stays, in its order, and every new row comes after them all (a
 * file that grew, read on from its point), the patch goes on from the table's: a part of its own
 * holds the new rows alone, and nothing is decoded or written again.
 */
function appended(key: string, plan: PatchPlan, gathered: PatchGatherer, fresh: Float64Array[], own: (from: number) => Float64Array): boolean {
  const { table, walk, changed, kept, resume } = plan;
  // Per file of the table, its place in the walk now (-1: gone).
  const now = new Int32Array(table.files).fill(-1);
  for (let file = 0; file < walk.files; file++) {
    const from = kept === undefined ? file : (kept[file] as number);
    if (from >= 0) now[from] = file;
  }
  const old = table.replaced;
  const again = new Map(changed.map((file, i) => [file, i]));
  // Per walk file the table's patch has rows of, its place there.
  const patchedAt = new Map(old?.files.flatMap((file, i) => ((now[file] as number) >= 0 ? [[now[file] as number, i] as const] : [])));
  const files = [...new Set([...patchedAt.keys(), ...changed])].sort((a, b) => a - b);
  // A file read on from a point has its rows so far in the table's patch.
  for (const i of resume.keys()) if (!patchedAt.has(changed[i] as number)) throw new Error('damaged table');
  // Where a file's rows in the table's patch stay (unchanged since, or read on from its point): their place there.
  const staying = (file: number): number | undefined => {
    const i = again.get(file);
    return i === undefined || resume.has(i) ? patchedAt.get(file) : undefined;
  };
  const oldCount = (file: number, phase: number): number => {
    const at = staying(file);
    return at === undefined ? 0 : ((old?.counts[2 * at + phase] as number) ?? 0);
  };
  const newRows = (file: number, phase: number): Row[] => {
    const i = again.get(file);
    return i === undefined ? [] : (gathered.rows[2 * i + phase] as Row[]);
  };
  const counts = files.flatMap((file) => [oldCount(file, 0) + newRows(file, 0).length, oldCount(file, 1) + newRows(file, 1).length]);
  if (counts.reduce((rows, n) => rows + n, 0) > plan.most) return false;
  const goesOn =
    old !== undefined &&
    table.patchParts() < MOST_PARTS &&
    old.files.every((file) => staying(now[file] as number) !== undefined) &&
    newRowsLast(files, oldCount, newRows);
  // Otherwise the table's patch's rows that stay are decoded, to be written again with the new ones.
  const stayingRows = new Map<number, Row[][]>();
  if (!goesOn && old !== undefined && files.some((file) => staying(file) !== undefined)) {
    const rows = table.patchRows();
    const byFile = old.files.map((): Row[][] => [[], []]);
    for (let phase = 0; phase < 2; phase++) {
      old.files.forEach((_, i) => {
        for (let n = old.counts[2 * i + phase] as number; n > 0; n--) {
          const row = rows.next();
          if (row === undefined) throw new Error('damaged table');
          byFile[i]?.[phase]?.push(row);
        }
      });
    }
    for (const file of files) {
      const at = staying(file);
      if (at !== undefined) stayingRows.set(file, byFile[at] as Row[][]);
    }
  }
  // Where files were added or gone, each file's kept run, through the table's own placing.
  const placed =
    kept === undefined
      ? undefined
      : {
          files: walk.files,
          kept: Int32Array.from(kept, (from) => (from < 0 ? -1 : plan.placed === undefined ? from : (plan.placed.kept[from] as number))),
        };
  const failure = appendPatch(key, table, (block) => {
    const encoder = new RowEncoder();
    const add = (row: Row): void => {
      const encoded = encoder.add(row);
      if (encoded !== undefined) block(encoded);
    };
    for (let phase = 0; phase < 2; phase++) {
      for (const file of files) {
        for (const row of stayingRows.get(file)?.[phase] ?? []) add(row);
        for (const row of newRows(file, phase)) add(row);
      }
    }
    const last = encoder.flush();
    if (last !== undefined) block(last);
    const stats = new Float64Array(4 * files.length);
    files.forEach((file, i) => {
      stats.set(walk.stats.subarray(4 * file, 4 * file + 4), 4 * i);
    });
    return {
      walk: walk.digest,
      ...(placed === undefined ? {} : { files: { walkText: walk.text, paths: plan.files, placed } }),
      bytes: walk.bytes,
      listings: walk.keptListings ? undefined : walk.listings(),
      retrace: walk.retrace,
      layout: encoder.layout(),
      goesOn,
      replaced: { files, counts },
      stats,
      links: fileLinks(
        files.map((file) => {
          const i = again.get(file);
          return i === undefined ? own(kept === undefined ? file : (kept[file] as number)) : (fresh[i] as Float64Array);
        }),
      ),
      // Where each file's rows were read to: a file read now, as this reading left it; one patched before and unchanged since, as then.
      resume: files.map((file) => {
        const i = again.get(file);
        const at = patchedAt.get(file);
        return (i === undefined ? (at === undefined ? null : plan.resumes[at]) : gathered.points[i]) ?? null;
      }),
    };
  });
  return failure === undefined;
}

/**
 * Whether, in a patch's order (each phase, each file in turn: its kept rows, then its new ones),
 * every new row comes after every kept one.
 */
function newRowsLast(files: number[], oldCount: (file: number, phase: number) => number, newRows: (file: number, phase: number) => Row[]): boolean {
  let added = false;
  for (let phase = 0; phase < 2; phase++) {
    for (const file of files) {
      if (added && oldCount(file, phase) > 0) return false;
      if (newRows(file, phase).length > 0) added = true;
    }
  }
  return true;
}

/**
 * The table written whole: its rows, file after file, those of the files gone left out, the
 * changed and added files' rows in their places (no file is read but those).
 */
function rewritten(key: string, plan: PatchPlan, gathered: PatchGatherer, fresh: Float64Array[], own: (from: number) => Float64Array): boolean {
  const { table, walk, changed, kept } = plan;
  const writer = TableWriter.open(key);
  if (typeof writer === 'string') return false;
  try {
    const rows = table.rows();
    const encoder = new RowEncoder();
    const files = walk.files;
    const runs = new Uint32Array(2 * files);
    const oldRuns = { files: table.files, runs: plan.runs };
    const readAgain = new Map(changed.map((file, i) => [file, i]));
    const add = (row: Row): void => {
      const block = encoder.add(row);
      if (block !== undefined) writer.block(block);
      if (writer.size > LARGEST_TABLE) throw new Error('too large a table');
    };
    const keptRun = (phase: number, from: number, give: boolean): void => {
      for (let n = oldRuns.runs[phase * oldRuns.files + from] as number; n > 0; n--) {
        const row = rows.next();
        if (row === undefined) throw new Error('damaged table');
        if (give) add(row);
      }
    };
    for (let phase = 0; phase < 2; phase++) {
      let next = 0;
      for (let file = 0; file < files; file++) {
        const from = kept === undefined ? file : (kept[file] as number);
        const again = readAgain.get(file);
        // A file read on from a point keeps its rows so far, and has those of what it added after them.
        const readOn = again !== undefined && plan.resume.has(again);
        if (from >= 0) {
          for (; next < from; next++) keptRun(phase, next, false);
          keptRun(phase, from, again === undefined || readOn);
          next = from + 1;
        }
        if (again !== undefined) for (const row of gathered.rows[2 * again + phase] ?? []) add(row);
        const keptRows = from >= 0 && (again === undefined || readOn) ? (oldRuns.runs[phase * oldRuns.files + from] as number) : 0;
        runs[phase * files + file] = keptRows + (again === undefined ? 0 : (gathered.rows[2 * again + phase]?.length ?? 0));
      }
      for (; next < oldRuns.files; next++) keptRun(phase, next, false);
    }
    if (rows.next() !== undefined) throw new Error('damaged table');
    const last = encoder.flush();
    if (last !== undefined) writer.block(last);
    const byFile = Array.from({ length: files }, (_, file) => {
      const again = readAgain.get(file);
      return again === undefined ? own(kept === undefined ? file : (kept[file] as number)) : (fresh[again] as Float64Array);
    });
    return (
      writer.commit({
        walk: walk.digest,
        walkText: walk.text,
        stats: walk.stats,
        paths: plan.files,
        files,
        bytes: walk.bytes,
        listings: walk.listings(),
        retrace: walk.retrace,
        problems: table.problems,
        layout: encoder.layout(),
        runs: { files, runs },
        links: linksTogether(byFile),
      }) === undefined
    );
  } catch {
    writer.abort();
    return false;
  }
}

/** The table now kept for the key, if it is the walk's (another scan may have put its own in place meanwhile). */
export function patchedTable(key: string, walk: Walk): StoredTable | undefined {
  const table = readTable(key);
  if (table?.walk === walk.digest) return table;
  table?.close();
  return undefined;
}

/**
 * The rows of `after()`, once `before` has read to its end (its rows are not given: what it
 * read went elsewhere). Stopped before that, it gives none.
 */
export function afterwards(before: RecordReader, after: () => RecordReader): RecordReader {
  let inner: RecordReader | undefined;
  let stopped = false;
  const ready = new Promise<RecordReader>((resolve, reject) => {
    before.records.on('data', () => undefined);
    before.records.once('error', reject);
    before.records.once('end', () => {
      try {
        inner = stopped ? noRows() : after();
        resolve(inner);
      } catch (error) {
        reject(error);
      }
    });
  });
  // Seen by whichever way the rows are read.
  ready.catch(() => undefined);
  // Made when first asked for: a chain that waits for the reader reads it, not this stream.
  let records: Readable | undefined;
  const stream = (): Readable => {
    const out = new Readable({
      objectMode: true,
      highWaterMark: 512,
      read() {
        inner?.records.resume();
      },
    });
    ready.then(
      (reader) => {
        const source = reader.records;
        source.on('data', (row) => {
          if (!out.push(row)) source.pause();
        });
        source.once('end', () => out.push(null));
        source.once('error', (error) => out.destroy(error));
      },
      (error: unknown) => out.destroy(error as Error),
    );
    out.once('close', () => {
      if (!out.readableEnded) {
        before.records.destroy();
        inner?.records.destroy();
      }
    });
    return out;
  };
  return {
    get records() {
      records ??= stream();
      return records;
    },
    ready: () => ready,
    stop: () => {
      stopped = true;
      if (inner !== undefined) inner.stop();
      else before.stop();
    },
    progress: () => (inner ?? before).progress?.() ?? { files: 0, bytes: 0 },
  };
}

/** A reader of no rows. */
function noRows(): RecordReader {
  return { records: Readable.from([]), pull: () => undefined, stop: () => undefined };
}
