/**
 * A push: a dataset's rows sent to a team's ClickHouse table (clickhouse.ts), in batches, each
 * row keyed by its identity so that the table holds it once however often, and from however many
 * copies of a log, it is pushed. Only the columns chosen leave the machine; the key is a digest
 * of what may leave anyway.
 *
 * A row read again with other values (a Claude response read while it was being written, a
 * session that went on) is a newer version of its row where its dataset says what identifies it,
 * and else a new row: the rows of a session sent before and no longer read are then sent as gone,
 * so that the table holds what the logs hold now.
 */
import { instantMs } from '../time/iso.js';
import { nodeCrypto } from '../base/builtins.js';
import { Transform, Writable } from 'node:stream';
import type { FieldInfo, RowIdentity } from '../datasets/types.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import type { Output } from '../jsonl/output.js';
import { PUSH_COLUMNS, tableValues, type ClickHouse } from './clickhouse.js';
import type { PushState, SentRow } from './push-state.js';

/** Fields that say where a row is in a time zone: the same row has other values in another, so they are not its identity. */
const BUCKETS = new Set(['day', 'week', 'month']);

function digest(text: string, length = 32): string {
  return nodeCrypto().hash('sha256', text, 'hex').slice(0, length);
}

/** A version as a number: a count as it is, a timestamp as its milliseconds, else 0. */
function versionOf(value: JsonValue | undefined): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    const ms = instantMs(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return 0;
}

/** A row's key, version and session (a digest, '-' for none): what the table and the push state keep it by. */
export type Keyed = Omit<SentRow, 'gone'>;

/**
 * Keys rows: by the dataset's identity where a row has every field of it, else by its values
 * (those that leave the machine in any push: not its path, text or time-zone buckets); rows alike
 * in that are told apart by their count so far, so that each keeps its key from one push to the
 * next. A value that is the row's path (a session named by its file) counts as none.
 */
export class RowKeys {
  private readonly seen = new Map<string, number>();
  private readonly valueFields: string[];

  constructor(
    fields: readonly FieldInfo[],
    private readonly identity: RowIdentity | undefined,
  ) {
    this.valueFields = fields.filter((field) => field.private === undefined && !BUCKETS.has(field.name)).map((field) => field.name);
  }

  key(row: Row): Keyed {
    const value = (name: string): JsonValue => {
      const v = row[name] ?? null;
      return v === row.path ? null : v;
    };
    const identity = this.identity;
    const names = identity?.fields.every((name) => value(name) !== null) ? identity.fields : this.valueFields;
    const what = digest(`${names === this.valueFields ? 'values' : 'identity'}\n${JSON.stringify(names.map(value))}`);
    const n = this.seen.get(what) ?? 0;
    this.seen.set(what, n + 1);
    const session = value('session_id');
    return {
      key: n === 0 ? what : digest(`${what}#${n}`),
      version: identity?.version === undefined ? 0 : versionOf(row[identity.version]),
      session: session === null ? '-' : digest(JSON.stringify([value('source'), session]), 16),
    };
  }
}

/** What a push did, for its summary. */
export interface PushCounts {
  /** Rows read. */
  rows: number;
  /** Rows sent (the others were there already). */
  sent: number;
  /** Rows sent as gone from the logs. */
  gone: number;
  batches: number;
  /** Bytes of JSON sent, before compression. */
  bytes: number;
}

/**
 * Keys every row the scan gives, before any filter (so that a filter changes no key), and notes
 * which keys and sessions this push read; `keyOf` finds a row's key downstream.
 */
export class KeyStage {
  private readonly keys = new WeakMap<Row, Keyed>();
  /** The keys read, and the sessions they belong to. */
  readonly read = new Set<string>();
  readonly sessions = new Set<string>();

  constructor(private readonly rowKeys: RowKeys) {}

  stage(): Transform {
    return new Transform({
      objectMode: true,
      transform: (row: Row, _encoding, callback) => {
        const id = this.rowKeys.key(row);
        this.keys.set(row, id);
        this.read.add(id.key);
        this.sessions.add(id.session);
        callback(null, row);
      },
    });
  }

  keyOf(row: Row): Keyed {
    const id = this.keys.get(row);
    if (id === undefined) throw new Error('push: a row that was not keyed');
    return id;
  }
}

export interface PushPlan {
  clickhouse: ClickHouse;
  /** The table the rows go to (rowsTable of the view). */
  table: string;
  /** The columns that leave the machine. */
  fields: readonly FieldInfo[];
  keys: KeyStage;
  machine: string;
  state: PushState;
  batchRows: number;
  counts: PushCounts;
  /**
   * Whether the rows of the sessions read that are no longer in the logs may be sent as gone: not
   * when an input could not be read (its rows are not gone, only unread).
   */
  complete(): boolean;
  /** The key of the row that says this machine's pushes reached the table: sent (as gone) once. */
  marker: string;
}

/**
 * The output of a push: rows in (objects, every declared field), batches out to the server; each
 * batch is recorded as sent once the server has it, so that a push stopped at any point goes on
 * from there. At the end, what left the logs is sent as gone, and the last batch awaited.
 */
export function pushOutput(plan: PushPlan): Output {
  const { clickhouse, table, fields, keys, machine, state, batchRows, counts } = plan;
  // As ClickHouse reads a DateTime64 by default: no T, no zone (the column is UTC).
  const pushedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const { machine: machineColumn, key, version, deleted, row: rowColumn, pushedAt: pushedAtColumn } = PUSH_COLUMNS;
  const columns = [...fields.map((field) => field.name), ...[machineColumn, key, version, deleted, rowColumn, pushedAtColumn].map((column) => column.name)];
  const nothing = fields.map(() => null);
  const pathsLeave = fields.some((field) => field.name === 'path');
  let place = 0;
  let batch: JsonValue[][] = [];
  let sent: SentRow[] = [];
  const add = (values: JsonValue[], row: SentRow): Promise<void> | undefined => {
    const line = [...values, machine, row.key, row.version, row.gone ? 1 : 0, place++, pushedAt];
    counts.bytes += Buffer.byteLength(JSON.stringify(line)) + 1;
    batch.push(line);
    sent.push(row);
    return batch.length < batchRows ? undefined : send();
  };
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const rows = batch;
    const acknowledged = sent;
    batch = [];
    sent = [];
    await clickhouse.insert(table, columns, rows);
    state.record(acknowledged);
    counts.sent += acknowledged.filter((row) => !row.gone).length;
    counts.gone += acknowledged.filter((row) => row.gone && row.key !== plan.marker).length;
    counts.batches++;
  };
  const stream = new Writable({
    objectMode: true,
    write(row: Row, _encoding, callback) {
      counts.rows++;
      const id = keys.keyOf(row);
      const before = state.get(id.key);
      if (before !== undefined && !before.gone && before.version >= id.version) {
        callback();
        return;
      }
      // A row sent as gone comes back above the version it went with.
      const version = before?.gone === true ? Math.max(id.version, before.version + 1) : id.version;
      const values = tableValues(row, fields);
      // A field that holds the row's path (a session named by its file) does not take it where paths stay.
      if (!pathsLeave && typeof row.path === 'string') for (let i = 0; i < values.length; i++) if (values[i] === row.path) values[i] = null;
      const waiting = add(values, { ...id, version, gone: false });
      if (waiting === undefined) callback();
      else waiting.then(() => callback(), callback);
    },
    final(callback) {
      const gone = async (): Promise<void> => {
        if (!plan.complete()) return;
        for (const row of [...state.present()]) {
          if (row.session === '-' || keys.read.has(row.key) || !keys.sessions.has(row.session)) continue;
          await add(nothing, { ...row, version: row.version + 1, gone: true });
        }
      };
      const mark = (): Promise<void> | undefined =>
        state.get(plan.marker) === undefined ? add(nothing, { key: plan.marker, version: 0, session: '-', gone: true }) : undefined;
      gone()
        .then(mark)
        .then(send)
        .then(() => callback(), callback);
    },
  });
  return { stream, commit: () => undefined, abort: () => undefined };
}
