/**
 * Tables: the rows a scan gave, kept with what it read them from, so that a scan of logs that
 * have not changed since gives them back without reading a file (lib/scan/table-scan.ts decides
 * when). One file per way of scanning (the dataset, its params, the roots, the window...), under
 * `$XDG_CACHE_HOME/seq/tables-<format>/<digest of that key>.tbl`:
 *
 *   a header line (JSON): the version, the key, the digest of what the walk found (every file with
 *     its size, times and inode), the rows' layout, the lengths of the parts and their CRC-32
 *   the listings of the folders walked (JSON), to walk them again without reading unchanged ones
 *   what the scan told of its inputs (JSON): skipped lines and files, told again with the rows
 *   the rows, in columns (row-codec.ts)
 *
 * A table is written whole to a temporary file and renamed into place under its lock; one that
 * does not check (its CRC, its version, its key) is not used, and the next scan writes it again.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { errorReason } from '../base/errors.js';
import type { ProblemCall } from '../jsonl/problems.js';
import { openReplacement } from '../storage/atomic-write.js';
import { LockError, withLock } from '../storage/lock.js';
import { digest } from './entry.js';
import { cacheRoot, VERSION } from './layout.js';
import { RowDecoder, type RowEncoder, type RowsLayout } from './row-codec.js';
import type { FolderEntries } from '../sources/files.js';

/** Bump when the table file or what a walk's digest covers changes. */
export const TABLE_FORMAT = 1;

/** Tables not written for this long are removed (by the next one written), and at most this many are kept. */
const KEEP_MS = 30 * 24 * 3600 * 1000;
const MOST_TABLES = 64;

/**
 * A folder as a walk listed it: its own stat then, when, and its entries (sorted by name) with a
 * kind each: f(ile), d(folder), l(ink), o(ther).
 */
export interface Listing extends FolderEntries {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  listedAt: number;
}

interface Header {
  seq_table: string;
  key: string;
  walk: string;
  files: number;
  bytes: number;
  layout: RowsLayout;
  /** Each part's length and CRC-32, in file order: the listings, what was told, the column of shapes, each field's column. */
  parts: Array<[number, number]>;
}

/** What a table holds: the walk it was read from, the listings, what was told, and its rows. */
export interface StoredTable {
  walk: string;
  files: number;
  bytes: number;
  listings: Map<string, Listing>;
  problems: ProblemCall[];
  /** `only`: the rows with only these fields (the other columns are not read). Throws for a damaged table. Once, and closes the file. */
  rows(only?: ReadonlySet<string>): RowDecoder;
  /** Lets the file go, the rows unread. */
  close(): void;
}

/** What a scan gives to be kept. */
export interface NewTable {
  walk: string;
  files: number;
  bytes: number;
  listings: Map<string, Listing>;
  problems: ProblemCall[];
  rows: RowEncoder;
}

export function tablesFolder(root = cacheRoot()): string {
  return join(root, `tables-${TABLE_FORMAT}`);
}

/** The file of the table of a key. */
function tablePath(folder: string, key: string): string {
  return join(folder, `${digest(key)}.tbl`);
}

/** The header line of a table file, and where its parts begin. */
function readHeader(fd: number): { header: Header; start: number } | undefined {
  let chunk = Buffer.allocUnsafe(1 << 16);
  let length = 0;
  for (;;) {
    const read = readSync(fd, chunk, length, chunk.length - length, length);
    const end = chunk.indexOf(10, length);
    length += read;
    if (end >= 0 && end < length) return { header: JSON.parse(chunk.toString('utf8', 0, end)) as Header, start: end + 1 };
    if (read === 0 || length > 1 << 26) return undefined;
    if (length === chunk.length) {
      const more = Buffer.allocUnsafe(chunk.length * 2);
      chunk.copy(more, 0, 0, length);
      chunk = more;
    }
  }
}

/** The table kept for this key, if there is one whose header and listings check; never throws. */
export function readTable(key: string, folder = tablesFolder()): StoredTable | undefined {
  let fd: number;
  try {
    fd = openSync(tablePath(folder, key), 'r');
  } catch {
    return undefined;
  }
  try {
    const found = readHeader(fd);
    if (found === undefined) return undefined;
    const { header, start } = found;
    if (header.seq_table !== version() || header.key !== key) return undefined;
    const offsets: number[] = [];
    let at = start;
    for (const [length] of header.parts) {
      offsets.push(at);
      at += length;
    }
    if (at !== fstatSync(fd).size || header.parts.length !== header.layout.columns.length + 3) return undefined;
    const part = (i: number): Buffer => {
      const [length, crc] = header.parts[i] as [number, number];
      const bytes = Buffer.allocUnsafe(length);
      if (readSync(fd, bytes, 0, length, offsets[i] as number) !== length || crc32(bytes) !== crc) throw new Error('damaged table');
      return bytes;
    };
    const listingsJson = JSON.parse(part(0).toString('utf8')) as Record<string, [number, number, number, number, string, ...string[]]>;
    const problems = JSON.parse(part(1).toString('utf8')) as ProblemCall[];
    // The rows are read when asked for, and only the columns asked for: the file stays open till then.
    let open = true;
    const table: StoredTable = {
      walk: header.walk,
      files: header.files,
      bytes: header.bytes,
      listings: new Map(
        Object.entries(listingsJson).map(([path, [mtimeMs, ctimeMs, ino, listedAt, kinds, ...names]]) => [
          path,
          { mtimeMs, ctimeMs, ino, listedAt, kinds, names },
        ]),
      ),
      problems,
      rows: (only) => {
        if (!open) throw new Error('table rows asked for twice');
        try {
          return new RowDecoder(header.layout, (i) => part(i + 2), only);
        } finally {
          open = false;
          closeSync(fd);
        }
      },
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
    return table;
  } catch {
    closeSync(fd);
    return undefined; // damaged: read the logs
  }
}

function version(): string {
  return `${TABLE_FORMAT}/${VERSION}`;
}

/**
 * Keeps a scan's table, replacing the key's old one; returns why it could not, if it could not.
 * Another scan writing the same table meanwhile is no failure: one of the two stands, whole.
 */
export function writeTable(key: string, table: NewTable, folder = tablesFolder()): string | undefined {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const listings: Record<string, Array<number | string>> = {};
    for (const [path, l] of table.listings) listings[path] = [l.mtimeMs, l.ctimeMs, l.ino, l.listedAt, l.kinds, ...l.names];
    const { layout, body } = table.rows.finish();
    const parts = [Buffer.from(JSON.stringify(listings)), Buffer.from(JSON.stringify(table.problems)), ...body];
    const header: Header = {
      seq_table: version(),
      key,
      walk: table.walk,
      files: table.files,
      bytes: table.bytes,
      layout,
      parts: parts.map((part) => [part.length, crc32(part)]),
    };
    const path = tablePath(folder, key);
    withLock(
      path,
      () => {
        const file = openReplacement(path, 0o600);
        try {
          file.write(`${JSON.stringify(header)}\n`);
          for (const part of parts) file.write(part);
          file.commit();
        } finally {
          file.abort();
        }
      },
      0,
    );
    removeOld(folder, path);
    return undefined;
  } catch (error) {
    if (error instanceof LockError && error.busy) return undefined;
    return `the table in ${folder} could not be written (${errorReason(error)})`;
  }
}

/** Best effort: tables not written for KEEP_MS, and the oldest past MOST_TABLES. */
function removeOld(folder: string, kept: string): void {
  try {
    const tables = readdirSync(folder)
      .filter((name) => name.endsWith('.tbl'))
      .map((name) => {
        const path = join(folder, name);
        try {
          return { path, mtimeMs: statSync(path).mtimeMs };
        } catch {
          return { path, mtimeMs: 0 };
        }
      })
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    const now = Date.now();
    tables.forEach((table, i) => {
      if (table.path !== kept && (i >= MOST_TABLES || now - table.mtimeMs > KEEP_MS)) rmSync(table.path, { force: true });
    });
  } catch {
    // the next write tries again
  }
}
