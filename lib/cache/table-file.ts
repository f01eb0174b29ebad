/**
 * Tables: the rows a scan gave, kept with what it read them from, so that a scan of logs that
 * have not changed since gives them back without reading a file (lib/scan/table-scan.ts decides
 * when). One file per way of scanning (the dataset, its params, the roots, the window...), under
 * `$XDG_CACHE_HOME/seq/tables-<format>/<digest of that key>.tbl`:
 *
 *   the rows, block after block, each block a column per field (row-codec.ts)
 *   the listings of the folders walked, to walk them again without reading unchanged ones: the
 *     folders (JSON), their stats when listed (binary) and their entries (a JSON line each)
 *   what the scan told of its inputs (JSON): skipped lines and files, told again with the rows
 *   the walk's files' stats, where each file's rows are and the identities of each file's
 *     records (binary: what a patch needs, lib/scan/table-patch.ts); a patch has the stats and
 *     identities of the files whose rows it has (read again since the rows were written whole),
 *     and where each was read to (JSON: the next patch reads on from there)
 *   the footer (JSON): the version, the key, the digest of what the walk found (every file with
 *     its size, times and inode) and of its text alone, what retraces the walk from stats alone,
 *     the rows' layout, and where each part is, with its CRC-32
 *   the footer's length (twelve digits) and CRC-32 (eight hex digits), between newlines
 *
 * The blocks are written to a temporary file as the scan gives rows (memory does not follow the
 * table's size); the file is renamed into place under its lock once the scan is over. A patch
 * (rows that replace some files' rows) is appended under the lock, with the parts that changed
 * and a new footer after them (a patch whose rows are the last one's and more after them keeps
 * that one's blocks, and writes the new rows alone): the bytes before stay as they were, so a
 * reader of the old footer reads on undisturbed, and a patch cut short leaves a tail that does
 * not check (the table is then read as none). One that does not check (a CRC, the version, the
 * key) is not used, and the next scan writes it again.
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { errorReason } from '../base/errors.js';
import type { ProblemCall } from '../jsonl/problems.js';
import type { FolderEntries } from '../sources/files.js';
import type { SessionEvent } from '../sources/common/events.js';
import type { ReadPoint } from '../sources/session-reader.js';
import { openReplacement, type Replacement } from '../storage/atomic-write.js';
import { LockError, processAlive, withLock } from '../storage/lock.js';
import { textHash128 } from '../base/hash128.js';
import { cacheRoot, VERSION } from './layout.js';
import { type EncodedBlock, RowDecoder, type RowsLayout } from './row-codec.js';
import { mergedRows, mergePlan, planOf, type Placed, type Replaced, type RowSource, type Runs } from './table-merge.js';

/** Bump when the table file or what a walk's digest covers changes. */
export const TABLE_FORMAT = 7;

/** Tables not written for this long are removed (by the next one written), and at most this many are kept. */
const KEEP_MS = 30 * 24 * 3600 * 1000;
const MOST_TABLES = 64;
/** The rows' columns read at once, and held till the rows are given, at most. */
const HELD = 32 << 20;
/** The end of a file: a newline, the footer's length in twelve digits, its CRC-32 in eight hex digits, a newline. */
const TAIL = 22;

/** A folder as a walk listed it: its own stat then, when, and its entries. */
export interface Listing extends FolderEntries {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  listedAt: number;
}

/** Where a part is in the file: offset, length, CRC-32. */
type Place = [number, number, number];

/**
 * What lets the next walk be retraced from stats alone (lib/scan/walk.ts), where the walk
 * told nothing and met no symbolic link: each root's real path, and each root the walk told of
 * with the index of its first file.
 */
export interface Retrace {
  reals: string[];
  marks: Array<[string, number]>;
}

/** The folders a walk listed, in its order, and their stats when listed: mtime, ctime, inode, when listed (4 numbers each). */
export interface ListedFolders {
  paths: string[];
  stats: Float64Array;
}

interface Footer {
  seq_table: string;
  key: string;
  walk: string;
  files: number;
  bytes: number;
  layout: RowsLayout;
  /** Per block, its columns' places: the shapes, then each field's by number (missing: none in that block). */
  blocks: Place[][];
  /** The listings: the folders (JSON), their stats (binary), their entries (a JSON line each: kinds, then names). */
  folders: Place;
  folderStats: Place;
  entries: Place;
  retrace: Retrace | null;
  problems: Place;
  /** The digest of the walk's text alone (its roots, paths in order, what it told), and where the stats of the files the kept rows were read from are. */
  walkText: string;
  stats: Place;
  /** The walk's files, in its order (JSON). */
  paths: Place;
  /** Where each file's kept rows are (Runs) and the identities of each file's records (Links); null where the rows do not come file after file. */
  runs: Place | null;
  links: Place | null;
  /**
   * Rows that replace some files' kept rows: a table of their own, with those files' stats (4
   * each) and identities (FileLinks), and how the kept rows and its own are merged (table-merge.ts mergePlan).
   */
  patch: {
    /** Its rows: each part's in turn, each part a table of rows of its own (a patch goes on from the one before it with a part of its own). */
    parts: Array<{ layout: RowsLayout; blocks: Place[][] }>;
    files: number[];
    counts: number[];
    stats: Place;
    links: Place;
    plan: Place;
    /** Per file of the patch, where its rows were read to (ResumePoint), or null (JSON). */
    resume: Place;
  } | null;
  /** The files the runs are of (those of the walk the kept rows were read from), and per file of the walk now, its run there (-1: added since); null where they are the same. */
  baseFiles: number;
  kept: Place | null;
  /** The bytes of its parts when it was written whole: patches are appended only while the file is less than twice that. */
  whole: number;
}

/**
 * The identities of some files' records (lib/scan/links.ts) as 53-bit hashes: each file's, once
 * each, ascending (`byFile`, the i-th file's from `offsets[i]` to `offsets[i + 1]`).
 */
export interface FileLinks {
  byFile: Float64Array;
  offsets: Uint32Array;
}

/** Each file's identities, and all of them together, ascending (`sorted`): a hash there more often than its file has it is another file's too. */
export interface Links extends FileLinks {
  sorted: Float64Array;
}

/**
 * What patching a table needs of it: its files' stats now (4 per file), where each file's kept
 * rows are, the identities of the files its kept rows were read from, and the identities of the
 * files its patch read again (those of Replaced, in its order).
 */
export interface PatchBasis {
  stats: Float64Array;
  runs: Runs;
  links: Links;
  again: FileLinks;
}

/**
 * Where the rows of a file a patch read were read to, for the next patch to read on from there
 * alone (lib/scan/table-patch.ts): the read point, the file's fingerprints there (entry.ts),
 * and the file's session as the scan knew it at the point.
 */
export interface ResumePoint {
  point: ReadPoint;
  head: string;
  tail: string;
  session: SessionEvent | null;
}

/** What a table holds: the walk it was read from, the listings, what was told, and its rows. */
export interface StoredTable {
  walk: string;
  walkText: string;
  files: number;
  bytes: number;
  /** Decoded when first asked for. */
  readonly listings: Map<string, Listing>;
  retrace: Retrace | undefined;
  /** The folders listed, without their entries. Throws where a part does not check. */
  folders(): ListedFolders;
  /** The entries of the folder listed `at`th. Throws where a part does not check. */
  entries(at: number): FolderEntries;
  problems: ProblemCall[];
  /**
   * `only`: the rows with only these fields (the other columns are not read). Once; the file
   * is closed after the last row. Throws where a part does not check.
   */
  rows(only?: ReadonlySet<string>): RowSource;
  /** The layout of the kept rows (not the patch's). */
  layout: RowsLayout;
  /** The files whose kept rows a patch replaces. */
  replaced: Replaced | undefined;
  /** The rows of its patch, whole, in its order (none without one); before `rows`. Throws where a part does not check. */
  patchRows(): RowSource;
  /** How many parts its patch's rows are in (0: no patch). */
  patchParts(): number;
  /** Per file of its patch (Replaced's, in its order), where its rows were read to, or null. Throws where the part does not check. */
  resumes(): Array<ResumePoint | null>;
  /** What patching it needs; undefined where its rows do not come file after file. Throws where a part does not check. */
  basis(): PatchBasis | undefined;
  /** The files of the walk it stands for, in its order. Throws where the part does not check. */
  paths(): string[];
  /** Where its files' kept runs are, where files were added or removed since its rows were written whole (the runs are of those files). Throws where the part does not check. */
  placed(): Placed | undefined;
  /** Lets the file go, the rows unread. */
  close(): void;
  /** Removes the table (its rows did not decode): the next scan writes it again. */
  discard(): void;
}

/** What the scan knew once it gave its last row: kept in the footer. */
export interface TableEnd {
  walk: string;
  walkText: string;
  stats: Float64Array;
  /** The walk's files, in its order. */
  paths: string[];
  files: number;
  bytes: number;
  listings: Map<string, Listing>;
  retrace: Retrace | undefined;
  problems: ProblemCall[];
  layout: RowsLayout;
  /** Where each file's rows are and the files' identities, where its rows come file after file. */
  runs: Runs | undefined;
  links: Links | undefined;
}

/** A patch of a table: the walk it now stands for, and the rows that replace some files' rows, with those files' stats and identities. */
export interface TablePatch {
  walk: string;
  /** Where files were added or removed: the walk's text, its files, and where each file's kept run is. */
  files?: { walkText: string; paths: string[]; placed: Placed };
  bytes: number;
  /** undefined: the table's own. */
  listings: Map<string, Listing> | undefined;
  retrace: Retrace | undefined;
  layout: RowsLayout;
  /** Its rows are those of the table's patch, then those written now (a part of their own after its parts). */
  goesOn: boolean;
  replaced: Replaced;
  /** The stats (4 each) and identities of the files whose rows it has (Replaced's, in its order). */
  stats: Float64Array;
  links: FileLinks;
  /** Where each of those files' rows were read to, or null (Replaced's order). */
  resume: Array<ResumePoint | null>;
}

export function tablesFolder(root = cacheRoot()): string {
  return join(root, `tables-${TABLE_FORMAT}`);
}

function tablePath(folder: string, key: string): string {
  return join(folder, `${textHash128(key)}.tbl`);
}

function version(): string {
  return `${TABLE_FORMAT}/${VERSION}`;
}

function readAt(fd: number, [offset, length, crc]: Place): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  if (readSync(fd, bytes, 0, length, offset) !== length || crc32(bytes) !== crc) throw new Error('damaged table');
  return bytes;
}

/** The footer, and its length in bytes. */
function readFooter(fd: number): { footer: Footer; length: number } {
  const size = fstatSync(fd).size;
  if (size < TAIL) throw new Error('damaged table');
  const tail = Buffer.alloc(TAIL);
  readSync(fd, tail, 0, TAIL, size - TAIL);
  const length = Number(tail.toString('latin1', 1, 13));
  const crc = Number.parseInt(tail.toString('latin1', 13, 21), 16);
  if (tail[0] !== 10 || tail[TAIL - 1] !== 10 || !Number.isSafeInteger(length) || length > size - TAIL) throw new Error('damaged table');
  const text = Buffer.allocUnsafe(length);
  if (readSync(fd, text, 0, length, size - TAIL - length) !== length || crc32(text) !== crc) throw new Error('damaged table');
  const footer = JSON.parse(text.toString('utf8')) as Footer;
  const end = size - TAIL - length;
  const places = [
    footer.folders,
    footer.folderStats,
    footer.entries,
    footer.problems,
    footer.stats,
    footer.paths,
    ...(footer.kept === null ? [] : [footer.kept]),
    ...(footer.runs === null ? [] : [footer.runs]),
    ...(footer.links === null ? [] : [footer.links]),
    ...footer.blocks.flat(),
    ...(footer.patch === null
      ? []
      : [...footer.patch.parts.flatMap((part) => part.blocks.flat()), footer.patch.stats, footer.patch.links, footer.patch.plan, footer.patch.resume]),
  ];
  if (!places.every(([offset, bytes]) => offset >= 0 && bytes >= 0 && offset + bytes <= end)) throw new Error('damaged table');
  return { footer, length };
}

/** What a table was read from: its footer, and the file's size then (a patch is appended only to that file as it was). */
const read = new WeakMap<StoredTable, { footer: Footer; footerBytes: number; size: number; ino: number }>();

const bytesOf = (array: Float64Array | Uint32Array): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

/** A folder's entries as a line of the entries part. */
function entriesOf(line: string): FolderEntries {
  const [kinds, ...names] = JSON.parse(line) as [string, ...string[]];
  if (typeof kinds !== 'string' || kinds.length !== names.length) throw new Error('damaged table');
  return { kinds, names };
}

/** The listings' three parts: the folders, their stats, their entries. */
function listingParts(listings: Map<string, Listing>): [Buffer, Buffer, Buffer] {
  const stats = new Float64Array(4 * listings.size);
  let lines = '';
  let at = 0;
  for (const l of listings.values()) {
    stats[at++] = l.mtimeMs;
    stats[at++] = l.ctimeMs;
    stats[at++] = l.ino;
    stats[at++] = l.listedAt;
    lines += `${JSON.stringify([l.kinds, ...l.names])}\n`;
  }
  return [Buffer.from(JSON.stringify([...listings.keys()])), bytesOf(stats), Buffer.from(lines)];
}

/** The footer's bytes and the tail after them: its length and CRC-32. */
function footerBytes(footer: Footer): Buffer[] {
  const text = Buffer.from(JSON.stringify(footer));
  return [text, Buffer.from(`\n${String(text.length).padStart(12, '0')}${crc32(text).toString(16).padStart(8, '0')}\n`)];
}

/** Where each file's kept rows are (Footer.runs). Throws where the part does not check. */
function keptRuns(fd: number, footer: Footer, place: Place): Runs {
  const runs = new Uint32Array(new Uint8Array(readAt(fd, place)).buffer);
  if (runs.length !== 2 * footer.baseFiles) throw new Error('damaged table');
  return { files: footer.baseFiles, runs };
}

/** Where each file's kept run is, where files were added or gone since the rows were written whole (Footer.kept). Throws where the part does not check. */
function placedRuns(fd: number, footer: Footer): Placed | undefined {
  if (footer.kept === null) return undefined;
  const kept = new Int32Array(new Uint8Array(readAt(fd, footer.kept)).buffer);
  if (kept.length !== footer.files) throw new Error('damaged table');
  return { files: footer.files, kept };
}

/** The table kept for this key, if there is one whose footer, listings and problems check; never throws. */
export function readTable(key: string, folder = tablesFolder()): StoredTable | undefined {
  const path = tablePath(folder, key);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { footer, length: footerBytes } = readFooter(fd);
    if (footer.seq_table !== version() || footer.key !== key) throw new Error('another table');
    if (!Number.isSafeInteger(footer.files) || !Number.isSafeInteger(footer.baseFiles) || footer.kept === undefined) throw new Error('damaged table');
    const problems = JSON.parse(readAt(fd, footer.problems).toString('utf8')) as ProblemCall[];
    // Read now, decoded when asked for: the listings may be asked for once the file is closed.
    const listed = { folders: readAt(fd, footer.folders), stats: readAt(fd, footer.folderStats), entries: readAt(fd, footer.entries) };
    let open = true;
    const close = (): void => {
      if (open) closeSync(fd);
      open = false;
    };
    const floats = (bytes: Buffer): Float64Array => new Float64Array(new Uint8Array(bytes).buffer);
    // `sorted` (Links) is there before the files' own where `withSorted`.
    const linksOf = (bytes: Buffer, files: number, withSorted: boolean): FileLinks & { sorted?: Float64Array } => {
      const width = withSorted ? 16 : 8;
      const count = (bytes.length - 4 * (files + 1)) / width;
      if (!Number.isInteger(count) || count < 0) throw new Error('damaged table');
      const offsets = new Uint32Array(new Uint8Array(bytes.subarray(width * count)).buffer);
      if (offsets[files] !== count) throw new Error('damaged table');
      const byFile = floats(bytes.subarray((width - 8) * count, width * count));
      return withSorted ? { sorted: floats(bytes.subarray(0, 8 * count)), byFile, offsets } : { byFile, offsets };
    };
    let folders: ListedFolders | undefined;
    const foldersOf = (): ListedFolders => {
      if (folders === undefined) {
        const paths = JSON.parse(listed.folders.toString('utf8')) as string[];
        const stats = floats(listed.stats);
        if (!Array.isArray(paths) || stats.length !== 4 * paths.length) throw new Error('damaged table');
        folders = { paths, stats };
      }
      return folders;
    };
    // The entries part, and where each folder's line begins (found when first asked for).
    let lines: { text: Buffer; starts: number[] } | undefined;
    const entriesAt = (at: number): FolderEntries => {
      if (lines === undefined) {
        const text = listed.entries;
        const starts = [0];
        for (let end = text.indexOf(10); end >= 0; end = text.indexOf(10, end + 1)) starts.push(end + 1);
        lines = { text, starts };
      }
      const start = lines.starts[at];
      const end = lines.starts[at + 1];
      if (start === undefined || end === undefined) throw new Error('damaged table');
      return entriesOf(lines.text.toString('utf8', start, end - 1));
    };
    let listings: Map<string, Listing> | undefined;
    const listingsOf = (): Map<string, Listing> => {
      const { paths, stats } = foldersOf();
      const map = new Map<string, Listing>();
      paths.forEach((folder, i) => {
        const [mtimeMs, ctimeMs, ino, listedAt] = stats.subarray(4 * i, 4 * i + 4) as unknown as [number, number, number, number];
        map.set(folder, { mtimeMs, ctimeMs, ino, listedAt, ...entriesAt(i) });
      });
      return map;
    };
    // The files' stats now: those the kept rows were read from, those of the patch's files in their place.
    const statsOf = (): Float64Array => {
      const base = floats(readAt(fd, footer.stats));
      if (base.length !== 4 * footer.baseFiles) throw new Error('damaged table');
      const kept = placedRuns(fd, footer)?.kept;
      // The files the same as the kept rows': their stats, as they are.
      const stats = kept === undefined ? base : new Float64Array(4 * footer.files).fill(Number.NaN);
      if (kept !== undefined) {
        for (let file = 0; file < footer.files; file++) {
          const from = kept[file] as number;
          if (from >= 0) for (let k = 0; k < 4; k++) stats[4 * file + k] = base[4 * from + k] as number;
        }
      }
      if (patch !== null) {
        const again = floats(readAt(fd, patch.stats));
        if (again.length !== 4 * patch.files.length) throw new Error('damaged table');
        patch.files.forEach((file, i) => {
          stats.set(again.subarray(4 * i, 4 * i + 4), 4 * file);
        });
      }
      // A file added since has its rows in the patch, and its stats with them.
      if (kept !== undefined && stats.some(Number.isNaN)) throw new Error('damaged table');
      return stats;
    };
    const empty = Buffer.alloc(0);
    const patch = footer.patch;
    const table: StoredTable = {
      walk: footer.walk,
      walkText: footer.walkText,
      files: footer.files,
      bytes: footer.bytes,
      get listings() {
        listings ??= listingsOf();
        return listings;
      },
      retrace: footer.retrace ?? undefined,
      folders: foldersOf,
      entries: entriesAt,
      problems,
      layout: footer.layout,
      replaced: patch === null ? undefined : { files: patch.files, counts: patch.counts },
      patchRows() {
        if (patch === null) return { next: () => undefined };
        if (!open) throw new Error('the rows of a table are read once');
        return chained(
          patch.parts.map(
            ({ layout, blocks }) =>
              new RowDecoder(layout, (block, part) => {
                const place = blocks[block]?.[part];
                return place === undefined ? empty : readAt(fd, place);
              }),
          ),
        );
      },
      patchParts: () => patch?.parts.length ?? 0,
      resumes() {
        if (patch === null) return [];
        const resumes = JSON.parse(readAt(fd, patch.resume).toString('utf8')) as unknown;
        if (!Array.isArray(resumes) || resumes.length !== patch.files.length) throw new Error('damaged table');
        return resumes as Array<ResumePoint | null>;
      },
      paths: () => JSON.parse(readAt(fd, footer.paths).toString('utf8')) as string[],
      placed: () => placedRuns(fd, footer),
      basis() {
        if (footer.runs === null || footer.links === null) return undefined;
        const links = linksOf(readAt(fd, footer.links), footer.baseFiles, true) as Links;
        const again =
          patch === null ? { byFile: new Float64Array(0), offsets: Uint32Array.of(0) } : linksOf(readAt(fd, patch.links), patch.files.length, false);
        return { stats: statsOf(), runs: keptRuns(fd, footer, footer.runs), links, again };
      },
      rows(only) {
        if (!open) throw new Error('the rows of a table are read once');
        try {
          return rowsOf(only);
        } catch (error) {
          close();
          throw error;
        }
      },
      close,
      discard: () => {
        close();
        rmSync(path, { force: true });
      },
    };
    const rowsOf = (only: ReadonlySet<string> | undefined): RowSource => {
      // Every part the rows need is checked before the first row is given, so that a damaged
      // table is found before it has given anything; the parts are kept for the rows, up to
      // HELD bytes (past that they are read again as the rows come, and the file is held till then).
      const held = new Map<string, Buffer>();
      let bytes = 0;
      let left = 0;
      const decoder = (layout: RowsLayout, blocks: Place[][], name: string): RowDecoder => {
        const made = new RowDecoder(
          layout,
          (block, part) => {
            const place = blocks[block]?.[part];
            if (place === undefined) return empty;
            const kept = held.get(`${name}${block}/${part}`);
            if (kept !== undefined) {
              held.delete(`${name}${block}/${part}`);
              return kept;
            }
            if (!open) throw new Error('damaged table');
            const read = readAt(fd, place);
            if (--left === 0) close();
            return read;
          },
          only,
        );
        for (const [block, part] of made.columns()) {
          const place = blocks[block]?.[part];
          if (place === undefined) continue;
          const read = readAt(fd, place);
          bytes += read.length;
          left++;
          if (bytes <= HELD) held.set(`${name}${block}/${part}`, read);
        }
        return made;
      };
      const kept = decoder(footer.layout, footer.blocks, '');
      let rows: RowSource = kept;
      if (patch !== null) {
        if (footer.runs === null) throw new Error('damaged table');
        const count = (layout: RowsLayout): number => layout.blocks.reduce((rows, n) => rows + n, 0);
        const patchCount = patch.parts.reduce((rows, part) => rows + count(part.layout), 0);
        const plan = planOf(readAt(fd, patch.plan), count(footer.layout), patchCount);
        rows = mergedRows(kept, chained(patch.parts.map((part, i) => decoder(part.layout, part.blocks, `p${i}/`))), plan);
      }
      if (bytes <= HELD) close();
      else left -= held.size;
      return rows;
    };
    const stat = fstatSync(fd);
    read.set(table, { footer, footerBytes, size: stat.size, ino: stat.ino });
    return table;
  } catch {
    closeSync(fd);
    return undefined; // damaged, or another's: read the logs
  }
}

/**
 * A table being written: blocks as the scan gives them, to a temporary file beside the table's;
 * `commit` ends it and renames it into place, `abort` removes it. Nothing refers to it before
 * the rename.
 */
export class TableWriter {
  private readonly blocks: Place[][] = [];
  private at = 0;

  private constructor(
    private readonly key: string,
    private readonly folder: string,
    private readonly file: Replacement,
  ) {}

  /** A writer of this key's table, or why it cannot be made. */
  static open(key: string, folder = tablesFolder()): TableWriter | string {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Not flushed before the rename: a table a crash left short fails its checks, and is read as none.
      return new TableWriter(key, folder, openReplacement(tablePath(folder, key), 0o600, false));
    } catch (error) {
      return `the table in ${folder} could not be written (${errorReason(error)})`;
    }
  }

  /** The bytes written so far. */
  get size(): number {
    return this.at;
  }

  private write(chunks: Buffer[]): Place {
    const offset = this.at;
    let crc = 0;
    for (const chunk of chunks) {
      this.file.write(chunk);
      crc = crc32(chunk, crc);
      this.at += chunk.length;
    }
    return [offset, this.at - offset, crc];
  }

  /** Appends a block; throws when it cannot be written. */
  block(block: EncodedBlock): void {
    this.blocks.push(block.map((chunks) => this.write(chunks)));
  }

  /**
   * Writes what the scan knew at its end and puts the table in place; returns why it could not,
   * if it could not. Another scan putting the same table in place meanwhile is no failure: one
   * of the two stands, whole.
   */
  commit(end: TableEnd): string | undefined {
    try {
      const [folders, folderStats, entries] = listingParts(end.listings);
      const footer: Footer = {
        seq_table: version(),
        key: this.key,
        walk: end.walk,
        files: end.files,
        bytes: end.bytes,
        layout: end.layout,
        blocks: this.blocks,
        folders: this.write([folders]),
        folderStats: this.write([folderStats]),
        entries: this.write([entries]),
        retrace: end.retrace ?? null,
        problems: this.write([Buffer.from(JSON.stringify(end.problems))]),
        walkText: end.walkText,
        stats: this.write([bytesOf(end.stats)]),
        paths: this.write([Buffer.from(JSON.stringify(end.paths))]),
        runs: end.runs === undefined ? null : this.write([bytesOf(end.runs.runs)]),
        links: end.links === undefined ? null : this.write([bytesOf(end.links.sorted), bytesOf(end.links.byFile), bytesOf(end.links.offsets)]),
        patch: null,
        whole: 0,
        baseFiles: end.files,
        kept: null,
      };
      footer.whole = this.at;
      for (const chunk of footerBytes(footer)) this.file.write(chunk);
      withLock(tablePath(this.folder, this.key), () => this.file.commit(), 0);
      removeOld(this.folder, tablePath(this.folder, this.key));
      return undefined;
    } catch (error) {
      if (error instanceof LockError && error.busy) return undefined;
      return `the table in ${this.folder} could not be written (${errorReason(error)})`;
    } finally {
      this.file.abort();
    }
  }

  abort(): void {
    this.file.abort();
  }
}

/** The rows of each source in turn. */
function chained(sources: RowSource[]): RowSource {
  if (sources.length === 1) return sources[0] as RowSource;
  let at = 0;
  return {
    next() {
      for (; at < sources.length; at++) {
        const row = (sources[at] as RowSource).next();
        if (row !== undefined) return row;
      }
      return undefined;
    },
  };
}

/** Whether patches may still be appended to a table: they are not yet as large as its parts and footer when written whole. */
export function hasRoom(table: StoredTable): boolean {
  const was = read.get(table);
  return was !== undefined && was.size <= 2 * (was.footer.whole + TAIL + was.footerBytes);
}

/**
 * Appends a patch to a table as it was read, under its lock: `rows` writes the new rows' blocks
 * (each as the encoder gives it) and says what the patch is. Returns why it could not be, if it
 * could not: the file changed since it was read, or patches have made it twice the size of its
 * parts written whole (it is then to be written whole again), or the disk refused.
 */
export function appendPatch(
  key: string,
  table: StoredTable,
  rows: (block: (encoded: EncodedBlock) => void) => TablePatch,
  folder = tablesFolder(),
): string | undefined {
  const was = read.get(table);
  if (was === undefined) throw new Error('appendPatch: a table readTable gave');
  const path = tablePath(folder, key);
  try {
    return withLock(
      path,
      () => {
        const fd = openSync(path, 'r+');
        let appended = false;
        try {
          const now = fstatSync(fd);
          if (now.size !== was.size || now.ino !== was.ino) return 'the table changed since it was read';
          if (!hasRoom(table)) return 'the table is to be written whole again';
          appended = true;
          let at = was.size;
          const write = (chunks: Buffer[]): Place => {
            const offset = at;
            let crc = 0;
            for (const chunk of chunks) {
              for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done, at + done);
              at += chunk.length;
              crc = crc32(chunk, crc);
            }
            return [offset, at - offset, crc];
          };
          const blocks: Place[][] = [];
          const patch = rows((encoded) => blocks.push(encoded.map((chunks) => write(chunks))));
          const old = was.footer;
          // The folders' listings are the table's own where the walk found every folder as it was.
          const listings = patch.listings;
          const sameListings =
            listings === undefined || (listings.size === table.listings.size && [...listings].every(([folder, l]) => table.listings.get(folder) === l));
          const parts = sameListings ? undefined : listingParts(listings as Map<string, Listing>);
          if (old.runs === null) return 'the table is not one a patch can be appended to';
          if (patch.goesOn && old.patch === null) throw new Error('appendPatch: a patch that goes on from none');
          const files = patch.files === undefined ? undefined : patch.files.placed;
          const plan = mergePlan(keptRuns(fd, old, old.runs), patch.replaced, files ?? placedRuns(fd, old));
          const footer: Footer = {
            ...old,
            walk: patch.walk,
            ...(patch.files === undefined
              ? {}
              : {
                  walkText: patch.files.walkText,
                  files: patch.files.placed.files,
                  paths: write([Buffer.from(JSON.stringify(patch.files.paths))]),
                  kept: write([Buffer.from(patch.files.placed.kept.buffer, patch.files.placed.kept.byteOffset, patch.files.placed.kept.byteLength)]),
                }),
            bytes: patch.bytes,
            ...(parts === undefined ? {} : { folders: write([parts[0]]), folderStats: write([parts[1]]), entries: write([parts[2]]) }),
            retrace: patch.retrace ?? null,
            patch: {
              // A patch that goes on with no new row keeps the parts as they were.
              parts: [...(patch.goesOn ? (old.patch?.parts ?? []) : []), ...(patch.goesOn && blocks.length === 0 ? [] : [{ layout: patch.layout, blocks }])],
              files: [...patch.replaced.files],
              counts: [...patch.replaced.counts],
              stats: write([bytesOf(patch.stats)]),
              links: write([bytesOf(patch.links.byFile), bytesOf(patch.links.offsets)]),
              plan: write([bytesOf(plan)]),
              resume: write([Buffer.from(JSON.stringify(patch.resume))]),
            },
          };
          for (const chunk of footerBytes(footer)) write([chunk]);
          appended = false;
          return undefined;
        } finally {
          try {
            // A patch that did not get to its footer goes: the table stays as it was.
            if (appended) ftruncateSync(fd, was.size);
          } finally {
            closeSync(fd);
          }
        }
      },
      0,
    );
  } catch (error) {
    if (error instanceof LockError && error.busy) return 'another scan is writing the table';
    return `the table in ${folder} could not be patched (${errorReason(error)})`;
  }
}

/**
 * Best effort: tables not written for KEEP_MS, all but the newest MOST_TABLES, and the temporary
 * files of scans that were killed (their pid is in the name).
 */
function removeOld(folder: string, kept: string): void {
  try {
    const tables: Array<{ path: string; mtimeMs: number }> = [];
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (name.endsWith('.tmp')) {
        const pid = Number(name.split('.')[3]);
        if (Number.isSafeInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(path, { force: true });
      } else if (name.endsWith('.tbl')) {
        try {
          tables.push({ path, mtimeMs: statSync(path).mtimeMs });
        } catch {
          // removed meanwhile
        }
      }
    }
    tables.sort((a, b) => b.mtimeMs - a.mtimeMs);
    const now = Date.now();
    tables.forEach((table, i) => {
      if (table.path !== kept && (i >= MOST_TABLES || now - table.mtimeMs > KEEP_MS)) rmSync(table.path, { force: true });
    });
  } catch {
    // the next write tries again
  }
}
