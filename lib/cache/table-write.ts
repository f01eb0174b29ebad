/** Writing a kept table whole, and appending a patch to one (its format: table-file.ts). */
import { closeSync, fstatSync, ftruncateSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { errorReason } from '../base/errors.js';
import { openReplacement, type Replacement } from '../storage/atomic-write.js';
import { LockError, processAlive, withLock } from '../storage/lock.js';
import type { EncodedBlock } from './row-codec.js';
import { mergePlan } from './table-merge.js';
import {
  bytesOf,
  type Footer,
  footerBytes,
  keptRuns,
  type Listing,
  listingParts,
  type Place,
  placedRuns,
  type StoredTable,
  TAIL,
  type TableEnd,
  type TablePatch,
  tablePath,
  tablesFolder,
  version,
} from './table-file.js';
import { readOf } from './table-read.js';
import { makeFolder } from '../storage/folders.js';

/** Tables not written for this long are removed (by the next one written), and at most this many are kept. */
const KEEP_MS = 30 * 24 * 3600 * 1000;
const MOST_TABLES = 64;

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
      makeFolder(folder, 0o700);
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

/** Whether patches may still be appended to a table: they are not yet as large as its parts and footer when written whole. */
export function hasRoom(table: StoredTable): boolean {
  const was = readOf(table);
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
  const was = readOf(table);
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
