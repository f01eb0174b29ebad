/**
 * Tables: the rows a scan gave, kept with what it read them from, so that a scan of logs that
 * have not changed since gives them back without reading a file (lib/scan/table-scan.ts decides
 * when). One file per way of scanning (the dataset, its params, the roots, the window...), under
 * `$XDG_CACHE_HOME/seq/tables-<format>/<digest of that key>.tbl`:
 *
 *   the rows, block after block, each block a column per field (row-codec.ts)
 *   the listings of the folders walked (JSON), to walk them again without reading unchanged ones
 *   what the scan told of its inputs (JSON): skipped lines and files, told again with the rows
 *   the footer (JSON): the version, the key, the digest of what the walk found (every file with
 *     its size, times and inode), the rows' layout, and where each part is, with its CRC-32
 *   the footer's length (twelve digits) and CRC-32 (eight hex digits), between newlines
 *
 * The blocks are written to a temporary file as the scan gives rows (memory does not follow the
 * table's size); the file is renamed into place under its lock once the scan is over. One that
 * does not check (a CRC, the version, the key) is not used, and the next scan writes it again.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { errorReason } from '../base/errors.js';
import type { ProblemCall } from '../jsonl/problems.js';
import type { FolderEntries } from '../sources/files.js';
import { openReplacement, type Replacement } from '../storage/atomic-write.js';
import { LockError, processAlive, withLock } from '../storage/lock.js';
import { digest } from './entry.js';
import { cacheRoot, VERSION } from './layout.js';
import { type EncodedBlock, RowDecoder, type RowsLayout } from './row-codec.js';

/** Bump when the table file or what a walk's digest covers changes. */
export const TABLE_FORMAT = 1;

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

interface Footer {
  seq_table: string;
  key: string;
  walk: string;
  files: number;
  bytes: number;
  layout: RowsLayout;
  /** Per block, its columns' places: the shapes, then each field's by number (missing: none in that block). */
  blocks: Place[][];
  listings: Place;
  problems: Place;
}

/** What a table holds: the walk it was read from, the listings, what was told, and its rows. */
export interface StoredTable {
  walk: string;
  files: number;
  bytes: number;
  listings: Map<string, Listing>;
  problems: ProblemCall[];
  /**
   * `only`: the rows with only these fields (the other columns are not read). Once; the file
   * is closed after the last row. Throws where a part does not check.
   */
  rows(only?: ReadonlySet<string>): RowDecoder;
  /** Lets the file go, the rows unread. */
  close(): void;
  /** Removes the table (its rows did not decode): the next scan writes it again. */
  discard(): void;
}

/** What the scan knew once it gave its last row: kept in the footer. */
export interface TableEnd {
  walk: string;
  files: number;
  bytes: number;
  listings: Map<string, Listing>;
  problems: ProblemCall[];
  layout: RowsLayout;
}

export function tablesFolder(root = cacheRoot()): string {
  return join(root, `tables-${TABLE_FORMAT}`);
}

function tablePath(folder: string, key: string): string {
  return join(folder, `${digest(key)}.tbl`);
}

function version(): string {
  return `${TABLE_FORMAT}/${VERSION}`;
}

function readAt(fd: number, [offset, length, crc]: Place): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  if (readSync(fd, bytes, 0, length, offset) !== length || crc32(bytes) !== crc) throw new Error('damaged table');
  return bytes;
}

function readFooter(fd: number): Footer {
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
  const places = [footer.listings, footer.problems, ...footer.blocks.flat()];
  if (!places.every(([offset, bytes]) => offset >= 0 && bytes >= 0 && offset + bytes <= end)) throw new Error('damaged table');
  return footer;
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
    const footer = readFooter(fd);
    if (footer.seq_table !== version() || footer.key !== key) throw new Error('another table');
    const listings = JSON.parse(readAt(fd, footer.listings).toString('utf8')) as Record<string, [number, number, number, number, string, ...string[]]>;
    const problems = JSON.parse(readAt(fd, footer.problems).toString('utf8')) as ProblemCall[];
    let open = true;
    const close = (): void => {
      if (open) closeSync(fd);
      open = false;
    };
    const empty = Buffer.alloc(0);
    const table: StoredTable = {
      walk: footer.walk,
      files: footer.files,
      bytes: footer.bytes,
      listings: new Map(
        Object.entries(listings).map(([folder, [mtimeMs, ctimeMs, ino, listedAt, kinds, ...names]]) => [
          folder,
          { mtimeMs, ctimeMs, ino, listedAt, kinds, names },
        ]),
      ),
      problems,
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
    const rowsOf = (only: ReadonlySet<string> | undefined): RowDecoder => {
      // Every part the rows need is checked before the first row is given, so that a damaged
      // table is found before it has given anything; the parts are kept for the rows, up to
      // HELD bytes (past that they are read again as the rows come, and the file is held till then).
      const held = new Map<string, Buffer>();
      let bytes = 0;
      let left = 0;
      const decoder = new RowDecoder(
        footer.layout,
        (block, part) => {
          const place = footer.blocks[block]?.[part];
          if (place === undefined) return empty;
          const name = `${block}/${part}`;
          const kept = held.get(name);
          if (kept !== undefined) {
            held.delete(name);
            return kept;
          }
          if (!open) throw new Error('damaged table');
          const read = readAt(fd, place);
          if (--left === 0) close();
          return read;
        },
        only,
      );
      for (const [block, part] of decoder.columns()) {
        const place = footer.blocks[block]?.[part];
        if (place === undefined) continue;
        const read = readAt(fd, place);
        bytes += read.length;
        left++;
        if (bytes <= HELD) held.set(`${block}/${part}`, read);
      }
      if (bytes <= HELD) close();
      else left -= held.size;
      return decoder;
    };
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
      const listings: Record<string, Array<number | string>> = {};
      for (const [path, l] of end.listings) listings[path] = [l.mtimeMs, l.ctimeMs, l.ino, l.listedAt, l.kinds, ...l.names];
      const footer: Footer = {
        seq_table: version(),
        key: this.key,
        walk: end.walk,
        files: end.files,
        bytes: end.bytes,
        layout: end.layout,
        blocks: this.blocks,
        listings: this.write([Buffer.from(JSON.stringify(listings))]),
        problems: this.write([Buffer.from(JSON.stringify(end.problems))]),
      };
      const text = Buffer.from(JSON.stringify(footer));
      this.file.write(text);
      this.file.write(`\n${String(text.length).padStart(12, '0')}${crc32(text).toString(16).padStart(8, '0')}\n`);
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
