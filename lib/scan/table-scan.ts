/**
 * A scan's rows kept as a table (lib/cache/table-file.ts): before reading, the scan walks its
 * roots and stats every file (walk.ts); when the walk finds what the kept table was read from
 * (every path, size, time and inode, every folder the same), the table's rows are the scan's
 * rows, and what the scan told of its inputs is told again. Otherwise the scan reads the files
 * (through the cache of events, so only what changed is read), and its rows are kept as the new
 * table.
 */
import { Readable } from 'node:stream';
import { errorReason } from '../base/errors.js';
import type { InputProblems, ProblemCall } from '../jsonl/problems.js';
import { tellAgain } from '../jsonl/problems.js';
import type { Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import type { PartRow } from '../datasets/session-dataset.js';
import type { SessionEvent } from '../sources/common/events.js';
import type { FileEdges } from '../sources/lines.js';
import type { ReadPoint } from '../sources/session-reader.js';
import { type EncodedBlock, RowEncoder } from '../cache/row-codec.js';
import type { RowSource } from '../cache/table-merge.js';
import type { StoredTable } from '../cache/table-file.js';
import { readTable } from '../cache/table-read.js';
import { TableWriter } from '../cache/table-write.js';
import { linksTogether } from './links.js';
import { retraced, type Walk, walkRoots } from './walk.js';

/** A table larger than this is not kept (a history's message text, say): reading the logs costs little more than reading it. */
export const LARGEST_TABLE = 64 << 20;

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
  /** A file read to a point with nothing read past it, and its session as known there (SessionFileReader). */
  settled?(path: string, point: ReadPoint, edges: FileEdges | undefined, session: SessionEvent | undefined): void;
  giveUp(): void;
  /** After the last row: why what was kept could not be put in place, if it could not. */
  end(): string | undefined;
}

/** The keeper of a scan's tables, after the walk. */
export function keeperOf(way: TableParts, keys: string[], walk: Walk): RowKeeper {
  const keepers = way.parts.map((part, i) => new TableKeeper(keys[i] as string, walk, () => part.told()));
  return way.together ? new PartKeepers(keepers) : (keepers[0] as TableKeeper);
}
