/** Reading a kept table (its format: table-file.ts). */
import { closeSync, fstatSync, openSync, rmSync } from 'node:fs';
import type { ProblemCall } from '../jsonl/problems.js';
import type { FolderEntries } from '../sources/files.js';
import { RowDecoder, type RowsLayout } from './row-codec.js';
import { mergedRows, planOf, type RowSource } from './table-merge.js';
import {
  entriesOf,
  type FileLinks,
  type Footer,
  keptRuns,
  type ListedFolders,
  type Links,
  type Listing,
  type Place,
  placedRuns,
  readAt,
  readFooter,
  type ResumePoint,
  type StoredTable,
  tablePath,
  tablesFolder,
  version,
} from './table-file.js';

/** The rows' columns read at once, and held till the rows are given, at most. */
const HELD = 32 << 20;

/** What a table was read from: its footer, and the file's size then (a patch is appended only to that file as it was). */
interface ReadFrom {
  footer: Footer;
  footerBytes: number;
  size: number;
  ino: number;
}
const read = new WeakMap<StoredTable, ReadFrom>();

/** What readTable read this table from (undefined for a table it did not give). */
export function readOf(table: StoredTable): ReadFrom | undefined {
  return read.get(table);
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
