import type { JsonValue } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import type { RecordReader } from '../jsonl/read.js';
import type { Source } from '../spec/types.js';
import type { TimeWindow } from '../spec/time.js';
import type { Row } from '../jsonl/json.js';
import type { LogEvent, SessionEvent, SourceName } from '../sources/common/events.js';
import type { ParamInfo } from '../spec/catalog.js';
import type { ReaderNeeds } from '../sources/common/source.js';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';

/** What a field holds that must not leave the machine unless the user asks (seq push): a place on disk, or what was written. */
export type Private = 'path' | 'text';

export interface FieldInfo {
  name: string;
  type: FieldType;
  description: string;
  private?: Private;
}

/**
 * What makes two rows the same row, wherever and however often they are read (seq push keys rows
 * by it): these fields, where each has a value; the row with the larger `version` (a number or a
 * timestamp field) is the newer one. Without it, a row is its values.
 */
export interface RowIdentity {
  fields: readonly string[];
  version?: string;
}

/** What a dataset is given to produce its rows. */
export interface ScanContext {
  /** Files or folders to read; empty means the dataset's default places (or stdin). */
  inputs: string[];
  params: Record<string, JsonValue>;
  source: Source;
  /** Only the sessions of this project (scan/project.ts); undefined for all. */
  project: string | undefined;
  window: TimeWindow;
  /** The window the notice of unpriced requests counts in, where it is not `window` (ScanSpec.noticeWindow). */
  noticeWindow?: TimeWindow;
  tz: string;
  /** Where unreadable files and malformed lines are counted and reported. */
  problems: InputProblems;
  /** Use the cache of what earlier scans read from session files (off: every file is read afresh). */
  cache: boolean;
}

interface DatasetInfo {
  name: string;
  description: string;
  /** The fields of its rows, in output order; undefined when rows keep the input's own fields. */
  fields: FieldInfo[] | undefined;
  /** The fields its rows have under these params, where they depend on them; else `fields`. */
  rowFields?(params: Record<string, JsonValue>): FieldInfo[];
  params: ParamInfo[];
  identity?: RowIdentity;
  /** What its rows depend on besides its inputs and params (the prices they are priced at), as a key: kept rows are trusted only under the same. */
  inputsKey?(params: Record<string, JsonValue>): string;
  /** True when, given no input, it reads JSON Lines from stdin (rather than the agents' log folders). */
  readsStdin: boolean;
}

/** A dataset of records it reads itself (any JSON Lines, the run store). */
export interface RecordDataset extends DatasetInfo {
  kind: 'records';
  /** The dataset's rows as an object-mode stream, with a way to stop reading early. */
  open(context: ScanContext): RecordReader;
}

/** A dataset of the agents' session logs: its logic consumes the events a scan reads (lib/scan), alone or with others. */
export interface SessionDataset extends DatasetInfo {
  kind: 'session';
  logic(context: ScanContext): SessionDatasetImpl;
}

export type Dataset = RecordDataset | SessionDataset;

export type Emit = (row: Row) => void;

/** What a dataset knows of the file whose events it is given. */
export interface FileContext {
  path: string;
  source: SourceName;
  /** The file's session, once its header was read. */
  session: SessionEvent | undefined;
  /**
   * A new row with the fields every row starts with (source, session_id, path, timestamp, day,
   * week, month); datasets add theirs with Object.assign: spreads cost several times as much.
   */
  base(timestamp: string | undefined, sessionId?: string): Row;
}

export interface FileConsumer {
  event(event: LogEvent, emit: Emit): void;
  /** After the file's last line. */
  finish?(emit: Emit): void;
}

export interface SessionDatasetImpl {
  needs: ReaderNeeds;
  /**
   * Its rows gather a session's files (a session's totals, its requests in order), in an order
   * no one file decides: its kept table is never patched with a file read alone (lib/scan/table-patch.ts).
   */
  gathersSessions?: boolean;
  /**
   * A file's rows are those of its first part then those of the rest, each read alone (the rest
   * on from a read point, with the file's source and session as they were there), wherever no
   * identity of the one part's records (lib/scan/links.ts) is the other's: what a file's
   * consumer keeps from one record to the next is tied by such identities, it has no `finish`,
   * and what a reader tells as a file ends (the session again) makes no row. A patch of its
   * kept table then reads a file that grew from where its rows were read to (lib/scan/table-patch.ts).
   */
  resumable?: boolean;
  file(context: FileContext): FileConsumer;
  /**
   * After the last file: rows that need every file (deduplicated usage, whole sessions), made
   * one at a time as the reader asks for them, so that they are never all in memory at once.
   */
  end?(): Iterable<Row>;
}
