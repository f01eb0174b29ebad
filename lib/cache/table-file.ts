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
 *
 * This file is the format: the parts, the footer and their checks. table-read.ts reads a table,
 * table-write.ts writes one whole or appends a patch.
 */
import { fstatSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { ProblemCall } from '../jsonl/problems.js';
import type { FolderEntries } from '../sources/files.js';
import type { SessionEvent } from '../sources/common/events.js';
import type { ReadPoint } from '../sources/session-reader.js';
import { textHash128 } from '../base/hash128.js';
import { cacheRoot, VERSION } from './layout.js';
import type { RowsLayout } from './row-codec.js';
import type { Placed, Replaced, RowSource, Runs } from './table-merge.js';

/** Bump when the table file, what a walk's digest covers, or how the rows it keeps are made changes. */
export const TABLE_FORMAT = 10;

/** The end of a file: a newline, the footer's length in twelve digits, its CRC-32 in eight hex digits, a newline. */
export const TAIL = 22;

/** A folder as a walk listed it: its own stat then, when, and its entries. */
export interface Listing extends FolderEntries {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  listedAt: number;
}

/** Where a part is in the file: offset, length, CRC-32. */
export type Place = [number, number, number];

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

export interface Footer {
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

export function tablePath(folder: string, key: string): string {
  return join(folder, `${textHash128(key)}.tbl`);
}

export function version(): string {
  return `${TABLE_FORMAT}/${VERSION}`;
}

export function readAt(fd: number, [offset, length, crc]: Place): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  if (readSync(fd, bytes, 0, length, offset) !== length || crc32(bytes) !== crc) throw new Error('damaged table');
  return bytes;
}

/** The footer, and its length in bytes. */
export function readFooter(fd: number): { footer: Footer; length: number } {
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

export const bytesOf = (array: Float64Array | Uint32Array): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

/** A folder's entries as a line of the entries part. */
export function entriesOf(line: string): FolderEntries {
  const [kinds, ...names] = JSON.parse(line) as [string, ...string[]];
  if (typeof kinds !== 'string' || kinds.length !== names.length) throw new Error('damaged table');
  return { kinds, names };
}

/** The listings' three parts: the folders, their stats, their entries. */
export function listingParts(listings: Map<string, Listing>): [Buffer, Buffer, Buffer] {
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
export function footerBytes(footer: Footer): Buffer[] {
  const text = Buffer.from(JSON.stringify(footer));
  return [text, Buffer.from(`\n${String(text.length).padStart(12, '0')}${crc32(text).toString(16).padStart(8, '0')}\n`)];
}

/** Where each file's kept rows are (Footer.runs). Throws where the part does not check. */
export function keptRuns(fd: number, footer: Footer, place: Place): Runs {
  const runs = new Uint32Array(new Uint8Array(readAt(fd, place)).buffer);
  if (runs.length !== 2 * footer.baseFiles) throw new Error('damaged table');
  return { files: footer.baseFiles, runs };
}

/** Where each file's kept run is, where files were added or gone since the rows were written whole (Footer.kept). Throws where the part does not check. */
export function placedRuns(fd: number, footer: Footer): Placed | undefined {
  if (footer.kept === null) return undefined;
  const kept = new Int32Array(new Uint8Array(readAt(fd, footer.kept)).buffer);
  if (kept.length !== footer.files) throw new Error('damaged table');
  return { files: footer.files, kept };
}
