/**
 * A scan's rows kept as a table (lib/cache/table-file.ts): before reading, the scan walks its
 * roots and stats every file; when the walk finds what the kept table was read from (every path,
 * size, time and inode, every folder the same), the table's rows are the scan's rows, and what
 * the scan told of its inputs is told again. Otherwise the scan reads the files (through the cache
 * of events, so only what changed is read), and its rows are kept as the new table.
 *
 * A folder whose stat has not changed since a table listed it is not read again: its entries are
 * the listing's, unless it was changed so shortly before that listing that a change after it
 * could have kept the same time. Where every folder is as listed (and the walk told nothing and
 * met no link), the walk is not done again at all: it would find the table's files in the
 * table's order, so only their stats are taken (retraced).
 */
import { Readable } from 'node:stream';
import { realpathSync, statSync, type Stats } from 'node:fs';
import { errorReason } from '../base/errors.js';
import { nodeCrypto } from '../base/builtins.js';
import type { InputProblems, ProblemCall } from '../jsonl/problems.js';
import { tellAgain } from '../jsonl/problems.js';
import type { Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import type { PartRow } from '../datasets/session-dataset.js';
import { type EncodedBlock, RowEncoder } from '../cache/row-codec.js';
import type { RowSource } from '../cache/table-merge.js';
import { readTable, TableWriter, type Listing, type Retrace, type StoredTable } from '../cache/table-file.js';
import { linksTogether } from './links.js';
import { type FolderEntries, listFolder, type ListFolder } from '../sources/files.js';
import { findSessionFiles } from '../sources/session-files.js';
import { logStat, type LogStat } from '../sources/session-reader.js';

/** How much older than its listing a folder's last change must be for the listing to be trusted without reading it. */
const SETTLED_MS = 2000;
/** A table larger than this is not kept (a history's message text, say): reading the logs costs little more than reading it. */
export const LARGEST_TABLE = 64 << 20;

/** What the walk met, in its order: a root begun (undefined: the walk is over), a file, something told. */
export type WalkItem = { root: string | undefined } | { file: string; stat: number } | { told: ProblemCall };

/** A walk of the roots done before the scan, with the digest of all it found. */
export interface Walk {
  /** A file's `stat` is where its size, modification and change times and inode are in `stats` (-1: it could not be stat'ed). */
  items: WalkItem[];
  /** Its files, in its order, and what it told (the items' own, without going through them). */
  paths: string[];
  told: ProblemCall[];
  /** Four numbers per file, in walk order (NaN for a file that could not be stat'ed). */
  stats: Float64Array;
  digest: string;
  /** The digest of what it found but the files' stats: its roots, paths and what it told. */
  text: string;
  files: number;
  bytes: number;
  /** The folders' listings, for the next table (decoded when asked for, where they are a kept table's). */
  listings(): Map<string, Listing>;
  /** Whether the listings are the kept table's own. */
  keptListings: boolean;
  /** What lets the next walk be retraced, where it may be. */
  retrace: Retrace | undefined;
}

/** Whether a folder's stat is as it was when listed (`listed`: mtime, ctime, inode, when listed). */
function asListed(stat: Stats, mtimeMs: number, ctimeMs: number, ino: number): boolean {
  return stat.mtimeMs === mtimeMs && stat.ctimeMs === ctimeMs && stat.ino === ino;
}

/** Whether a folder's listing can be trusted while its stat is as it was: it was last changed well before it was listed. */
function settled(mtimeMs: number, ctimeMs: number, listedAt: number): boolean {
  return Math.max(mtimeMs, ctimeMs) < listedAt - SETTLED_MS;
}

/** Lists folders through the kept listings where a folder is as it was; keeps every listing it gives for the next table. */
function listingsFrom(kept: Map<string, Listing> | undefined, listings: Map<string, Listing>): ListFolder {
  return (folder) => {
    const stat = statSync(folder);
    const old = kept?.get(folder);
    if (old !== undefined && asListed(stat, old.mtimeMs, old.ctimeMs, old.ino) && settled(old.mtimeMs, old.ctimeMs, old.listedAt)) {
      listings.set(folder, old);
      return old;
    }
    const listedAt = Date.now();
    const entries = listFolder(folder);
    listings.set(folder, { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, listedAt, ...entries });
    return entries;
  };
}

/** The digest of a walk: of its text's digest and its files' stats. */
function walkDigest(text: string, stats: Float64Array): string {
  return nodeCrypto()
    .createHash('sha1')
    .update(text)
    .update(new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength))
    .digest('hex');
}

/** Each root's real path (undefined where one has none: the walk tells of it). */
function realPaths(roots: string[]): string[] | undefined {
  try {
    return roots.map((root) => realpathSync(root));
  } catch {
    return undefined;
  }
}

/** Walks the roots, stats every file, and digests it all (what a kept table must have been read from). */
export function walkRoots(roots: string[], kept: Map<string, Listing> | undefined): Walk {
  // Taken before the walk: a root's link changed meanwhile makes the next retrace fail, not pass.
  const reals = realPaths(roots);
  const items: WalkItem[] = [];
  const paths: string[] = [];
  const toldCalls: ProblemCall[] = [];
  const marks: Array<[string, number]> = [];
  let failed = false;
  const listings = new Map<string, Listing>();
  // What the walk found, as text (names, what it told) and numbers (each file's stat): written
  // as numbers, they cost no conversion to text.
  let text = '';
  let numbers = new Float64Array(4096);
  let count = 0;
  let files = 0;
  let bytes = 0;
  const told = (call: ProblemCall): void => {
    items.push({ told: call });
    toldCalls.push(call);
    text += `T${JSON.stringify(call)}\n`;
  };
  const problems = {
    notice: (message: string) => told(['notice', message]),
    unreadable: (path: string, reason: string) => told(['unreadable', path, reason]),
  };
  const onRoot = (root: string | undefined): void => {
    items.push({ root });
    if (root !== undefined) marks.push([root, files]);
    text += `R${root ?? ''}\n`;
  };
  for (const file of findSessionFiles(roots, problems, onRoot, listingsFrom(kept, listings))) {
    files++;
    if (count + 4 > numbers.length) {
      const more = new Float64Array(numbers.length * 2);
      more.set(numbers);
      numbers = more;
    }
    let at = -1;
    try {
      const stat = logStat(file);
      at = count;
      bytes += stat.size;
      text += `F${file}\n`;
      numbers[count++] = stat.size;
      numbers[count++] = stat.mtimeMs;
      numbers[count++] = stat.ctimeMs;
      numbers[count++] = stat.ino;
    } catch (error) {
      failed = true;
      text += `E${file}\u0000${errorReason(error)}\n`;
      numbers.fill(Number.NaN, count, count + 4);
      count += 4;
    }
    items.push({ file, stat: at });
    paths.push(file);
  }
  const stats = numbers.subarray(0, count);
  const textDigest = nodeCrypto().hash('sha1', text, 'hex');
  const retraceable = reals !== undefined && !failed && toldCalls.length === 0 && [...listings.values()].every((l) => !l.kinds.includes('l'));
  return {
    items,
    paths,
    told: toldCalls,
    stats,
    digest: walkDigest(textDigest, stats),
    text: textDigest,
    files,
    bytes,
    listings: () => listings,
    keptListings: false,
    retrace: retraceable ? { reals, marks } : undefined,
  };
}

/**
 * The walk a table was read from, taken again without walking: where the table's walk may be
 * retraced, each root leads where it led, and every folder it listed is as listed (its stat,
 * and, where it was listed too soon after a change to trust its stat, its entries too), a walk
 * would find the table's files in the table's order. Only the files' stats are taken.
 * Undefined where the roots are to be walked.
 */
export function retraced(table: StoredTable, roots: string[]): Walk | undefined {
  const retrace = table.retrace;
  if (retrace === undefined || retrace.reals.length !== roots.length) return undefined;
  let stats: Float64Array;
  let paths: string[];
  let bytes = 0;
  try {
    if (realPaths(roots)?.every((real, i) => real === retrace.reals[i]) !== true) return undefined;
    const folders = table.folders();
    const was = folders.stats;
    for (let i = 0; i < folders.paths.length; i++) {
      const folder = folders.paths[i] as string;
      const mtimeMs = was[4 * i] as number;
      const ctimeMs = was[4 * i + 1] as number;
      if (!asListed(statSync(folder), mtimeMs, ctimeMs, was[4 * i + 2] as number)) return undefined;
      if (!settled(mtimeMs, ctimeMs, was[4 * i + 3] as number) && !sameEntries(listFolder(folder), table.entries(i))) return undefined;
    }
    paths = table.paths();
    if (paths.length !== table.files) return undefined;
    stats = new Float64Array(4 * paths.length);
    for (let i = 0; i < paths.length; i++) {
      const stat = logStat(paths[i] as string);
      bytes += stat.size;
      stats[4 * i] = stat.size;
      stats[4 * i + 1] = stat.mtimeMs;
      stats[4 * i + 2] = stat.ctimeMs;
      stats[4 * i + 3] = stat.ino;
    }
  } catch {
    return undefined; // a folder or file gone meanwhile, or a part that does not check: walked
  }
  // Made when first asked for: a table that stands needs none.
  let items: WalkItem[] | undefined;
  const itemsOf = (): WalkItem[] => {
    const made: WalkItem[] = [];
    let file = 0;
    const upTo = (end: number): void => {
      for (; file < end; file++) made.push({ file: paths[file] as string, stat: 4 * file });
    };
    for (const [root, first] of retrace.marks) {
      upTo(first);
      made.push({ root });
    }
    upTo(paths.length);
    made.push({ root: undefined });
    return made;
  };
  return {
    get items() {
      items ??= itemsOf();
      return items;
    },
    paths,
    told: [],
    stats,
    digest: walkDigest(table.walkText, stats),
    text: table.walkText,
    files: paths.length,
    bytes,
    listings: () => table.listings,
    keptListings: true,
    retrace,
  };
}

function sameEntries(a: FolderEntries, b: FolderEntries): boolean {
  return a.kinds === b.kinds && a.names.length === b.names.length && a.names.every((name, i) => name === b.names[i]);
}

/** A file's stat as the walk took it. */
export function walkStat(walk: Walk, at: number): LogStat | undefined {
  const n = walk.stats;
  return at < 0 ? undefined : { size: n[at] as number, mtimeMs: n[at + 1] as number, ctimeMs: n[at + 2] as number, ino: n[at + 3] as number };
}

/** How a scan keeps its rows: one table, or one per dataset of several read together (its rows are then PartRows). */
export interface TableParts {
  together: boolean;
  parts: Array<{
    key: string;
    /** What the scan told, as this part's table keeps it (undefined: too much to keep). */
    told(): ProblemCall[] | undefined;
    /** The fields the rows need (undefined: all). */
    only: ReadonlySet<string> | undefined;
  }>;
}

/** The kept tables of the keys (open: the caller closes those it does not use), the walk, and whether every one stands. */
export function lookUpTables(keys: string[], roots: string[]): { walk: Walk; stored: Array<StoredTable | undefined>; hit: boolean } {
  const stored = keys.map((key) => readTable(key));
  const kept = stored.find((table) => table !== undefined);
  const walk = (kept && retraced(kept, roots)) ?? walkRoots(roots, kept?.listings);
  return { walk, stored, hit: stored.every((table) => table !== undefined && table.walk === walk.digest) };
}

/**
 * The rows of the kept tables as the scan gives them (part by part, as PartRows, for datasets
 * read together), with what the scan told told again first; undefined when one does not check
 * (the scan then reads the logs).
 */
export function tableReader(tables: StoredTable[], problems: InputProblems, way: TableParts): RecordReader | undefined {
  const decoders: RowSource[] = [];
  for (const [i, table] of tables.entries()) {
    try {
      decoders.push(table.rows(way.parts[i]?.only));
    } catch {
      for (const other of tables) other.close();
      return undefined;
    }
  }
  // Each table holds what the scan told, then what its dataset told at its end: told table after
  // table, the scan's calls come once (the ledger counts a place once), then each dataset's.
  for (const table of tables) tellAgain(problems, table.problems);
  let part = 0;
  const next = (): Row | undefined => {
    for (; part < decoders.length; part++) {
      const row = (decoders[part] as RowSource).next();
      if (row !== undefined) return way.together ? ({ part, row } satisfies PartRow) : row;
    }
    return undefined;
  };
  let stopped = false;
  let sent = 0;
  const take = (): Row | undefined => {
    let row: Row | undefined;
    try {
      row = stopped ? undefined : next();
    } catch (error) {
      // Its parts checked, and still not rows: it goes, so that the next scan writes it again.
      tables[part]?.discard();
      for (const table of tables) table.close();
      throw new Error(`the table kept in the cache could not be read (${errorReason(error)}); it is removed, and the next run reads the logs`);
    }
    if (row !== undefined) sent++;
    return row;
  };
  // Made when first asked for: a reader whose rows are pulled has no stream.
  let records: Readable | undefined;
  const stream = (): Readable => {
    let scheduled = false;
    const made: Readable = new Readable({
      objectMode: true,
      highWaterMark: 512,
      read() {
        if (!scheduled) pump();
      },
    });
    // The event loop is handed back every 50 ms: the progress line and Ctrl-C need it.
    const pump = (): void => {
      scheduled = false;
      const until = Date.now() + 50;
      for (let n = 1; ; n++) {
        let row: Row | undefined;
        try {
          row = take();
        } catch (error) {
          made.destroy(error as Error);
          return;
        }
        if (row === undefined) {
          made.push(null);
          return;
        }
        if (!made.push(row)) return;
        if (n % 1024 === 0 && Date.now() > until) {
          scheduled = true;
          setImmediate(pump);
          return;
        }
      }
    };
    return made;
  };
  return {
    get records() {
      records ??= stream();
      return records;
    },
    pull: () => {
      if (records !== undefined) throw new Error('tableReader: its rows are read through its stream');
      return take();
    },
    stop: () => {
      stopped = true;
      for (const table of tables) table.close();
    },
    progress: () => ({ files: tables[0]?.files ?? 0, bytes: sent === 0 ? 0 : (tables[0]?.bytes ?? 0) }),
  };
}

/** The walk index of each file the walk found. */
export function fileIndexes(walk: Walk): Map<string, number> {
  const index = new Map<string, number>();
  for (const path of walk.paths) index.set(path, index.size);
  return index;
}

/**
 * Where a scan's rows are, file by file (table-merge.ts Runs), as they are given: the rows a
 * dataset gives as it reads a file (phase 0) must be that file's; those it gives after the last
 * (phase 1) must come in the walk's order of the files they name. Where they do not, the rows
 * do not come file after file, and there are no runs.
 */
export class RunCounter {
  readonly runs: Uint32Array;
  private phase = 0;
  private last = -1;
  inOrder = true;

  constructor(private readonly index: Map<string, number>) {
    this.runs = new Uint32Array(2 * index.size);
  }

  /** `reading`: the file being read when the row was given (phase 0). */
  add(row: Row, phase: 0 | 1, reading: string | undefined): void {
    if (!this.inOrder) return;
    if (phase !== this.phase) {
      if (phase < this.phase) this.inOrder = false;
      this.phase = phase;
      this.last = -1;
    }
    const path = row.path;
    const file = typeof path === 'string' ? this.index.get(path) : undefined;
    if (file === undefined || file < this.last || (phase === 0 && path !== reading)) {
      this.inOrder = false;
      return;
    }
    this.last = file;
    (this.runs[phase * this.index.size + file] as number)++;
  }
}

/**
 * The rows of a scan being read, written block by block to its new table, which is put in place
 * once the scan has read everything (and dropped if it could not), with where each file's rows
 * are and each file's identities (what a patch needs).
 */
export class TableKeeper {
  private readonly rows = new RowEncoder();
  private writer: TableWriter | undefined;
  private given = false;
  /** Why the table could not be written, to be said at the end. */
  private failure: string | undefined;
  private readonly index: Map<string, number>;
  private readonly runs: RunCounter;
  private readonly fileLinks: Array<Float64Array | undefined>;

  constructor(
    private readonly key: string,
    private readonly walk: Walk,
    /** What the scan told: the table is kept only when it could read every input. */
    private readonly told: () => ProblemCall[] | undefined,
  ) {
    this.index = fileIndexes(walk);
    this.runs = new RunCounter(this.index);
    this.fileLinks = new Array<Float64Array | undefined>(this.index.size);
  }

  row(row: Row, phase: 0 | 1, reading: string | undefined): void {
    if (this.given) return;
    this.runs.add(row, phase, reading);
    const block = this.rows.add(row);
    if (block !== undefined) this.write(block);
  }

  links(path: string, hashes: Float64Array): void {
    const file = this.index.get(path);
    if (file !== undefined) this.fileLinks[file] = hashes;
  }

  private write(block: EncodedBlock | undefined): void {
    if (this.writer === undefined) {
      const writer = TableWriter.open(this.key);
      if (typeof writer === 'string') {
        this.failure = writer;
        this.giveUp();
        return;
      }
      this.writer = writer;
    }
    try {
      if (block !== undefined) this.writer.block(block);
      if (this.writer.size > LARGEST_TABLE) this.giveUp();
    } catch (error) {
      this.failure = `the table could not be written (${errorReason(error)})`;
      this.giveUp();
    }
  }

  /** No table of this scan: what was written of it goes. */
  giveUp(): void {
    this.given = true;
    this.writer?.abort();
  }

  /** The scan read every file and gave every row: the table is put in place (or, when it cannot be, why). */
  end(): string | undefined {
    const calls = this.told();
    if (calls === undefined || calls.some((call) => call[0] === 'unreadable')) this.giveUp();
    if (!this.given) this.write(this.rows.flush());
    if (this.given || this.writer === undefined) return this.failure;
    this.given = true;
    const { digest, text, stats, files, bytes, retrace } = this.walk;
    const inOrder = this.runs.inOrder;
    return this.writer.commit({
      walk: digest,
      walkText: text,
      stats,
      paths: [...this.index.keys()],
      files,
      bytes,
      listings: this.walk.listings(),
      retrace,
      problems: calls ?? [],
      layout: this.rows.layout(),
      runs: inOrder ? { files, runs: this.runs.runs } : undefined,
      links: inOrder ? linksTogether(this.fileLinks) : undefined,
    });
  }
}

/** The keepers of several datasets' tables read together: each PartRow goes to its part's. */
export class PartKeepers {
  constructor(private readonly keepers: TableKeeper[]) {}

  row(row: Row, phase: 0 | 1, reading: string | undefined): void {
    const { part, row: inner } = row as PartRow;
    this.keepers[part]?.row(inner, phase, reading);
  }

  links(path: string, hashes: Float64Array): void {
    for (const keeper of this.keepers) keeper.links(path, hashes);
  }

  giveUp(): void {
    for (const keeper of this.keepers) keeper.giveUp();
  }

  /** Each table put in place; the first reason one could not be, if one could not. */
  end(): string | undefined {
    return this.keepers.map((keeper) => keeper.end()).find((failure) => failure !== undefined);
  }
}

/** What a scan gives its rows and its files' identities to, as it reads: the keepers of its tables, or a patch's gatherer (table-patch.ts). */
export interface RowKeeper {
  row(row: Row, phase: 0 | 1, reading: string | undefined): void;
  links(path: string, hashes: Float64Array): void;
  giveUp(): void;
  /** After the last row: why what was kept could not be put in place, if it could not. */
  end(): string | undefined;
}

/** The keeper of a scan's tables, after the walk. */
export function keeperOf(way: TableParts, keys: string[], walk: Walk): RowKeeper {
  const keepers = way.parts.map((part, i) => new TableKeeper(keys[i] as string, walk, () => part.told()));
  return way.together ? new PartKeepers(keepers) : (keepers[0] as TableKeeper);
}
