/**
 * A push: a dataset's rows sent to a team's ClickHouse table (clickhouse.ts), in batches, each
 * row keyed by its identity so that the table holds it once however often, and from however many
 * copies of a log, it is pushed. Only the columns chosen leave the machine; the key is a digest.
 */
import { hash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FieldInfo, RowIdentity } from '../datasets/types.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import type { Output } from '../jsonl/output.js';
import { PUSH_COLUMNS, tableValues, type ClickHouse } from './clickhouse.js';
import type { PushState } from './push-state.js';

/** Fields that say where a row is in a time zone: the same row has other values in another, so they are not its identity. */
const BUCKETS = new Set(['day', 'week', 'month']);

/** A row's key and version: what the table keeps it by. */
export interface Keyed {
  key: string;
  version: number;
}

function digest(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 32);
}

/** A version as a number: a count as it is, a timestamp as its milliseconds, else 0. */
function versionOf(value: JsonValue | undefined): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return 0;
}

/**
 * Keys rows: by the dataset's identity where a row has every field of it, else by its values
 * (all but where it was read and its time-zone buckets); rows alike in that are told apart by
 * their count so far, so that each keeps its key from one push to the next.
 */
export class RowKeys {
  private readonly seen = new Map<string, number>();
  private readonly valueFields: string[];

  constructor(
    fields: readonly FieldInfo[],
    private readonly identity: RowIdentity | undefined,
  ) {
    this.valueFields = fields.filter((field) => field.private !== 'path' && !BUCKETS.has(field.name)).map((field) => field.name);
  }

  key(row: Row): Keyed {
    const identity = this.identity;
    const names = identity?.fields.every((name) => row[name] !== null && row[name] !== undefined) ? identity.fields : this.valueFields;
    const byIdentity = names !== this.valueFields;
    const what = digest(`${byIdentity ? 'identity' : 'values'}\n${JSON.stringify(names.map((name) => row[name] ?? null))}`);
    const n = this.seen.get(what) ?? 0;
    this.seen.set(what, n + 1);
    return { key: n === 0 ? what : digest(`${what}#${n}`), version: identity?.version === undefined ? 0 : versionOf(row[identity.version]) };
  }
}

/** What a push did, for its summary. */
export interface PushCounts {
  /** Rows read. */
  rows: number;
  /** Rows sent (the others were there already). */
  sent: number;
  batches: number;
  /** Bytes of JSON sent, before compression. */
  bytes: number;
}

export interface PushPlan {
  clickhouse: ClickHouse;
  /** The table the rows go to (rowsTable of the view). */
  table: string;
  /** The columns that leave the machine. */
  fields: readonly FieldInfo[];
  keys: RowKeys;
  machine: string;
  state: PushState;
  batchRows: number;
  counts: PushCounts;
}

/**
 * The output of a push: rows in (objects, every declared field), batches out to the server; each
 * batch is recorded as sent once the server has it, so that a push stopped at any point goes on
 * from there. The end of the stream waits for the last batch.
 */
export function pushOutput(plan: PushPlan): Output {
  const { clickhouse, table, fields, keys, machine, state, batchRows, counts } = plan;
  // As ClickHouse reads a DateTime64 by default: no T, no zone (the column is UTC).
  const pushedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const { machine: machineColumn, key, version, row: rowColumn, pushedAt: pushedAtColumn } = PUSH_COLUMNS;
  const columns = [...fields.map((field) => field.name), machineColumn, key, version, rowColumn, pushedAtColumn];
  let batch: JsonValue[][] = [];
  let keyed: Keyed[] = [];
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const rows = batch;
    const sent = keyed;
    batch = [];
    keyed = [];
    await clickhouse.insert(table, columns, rows);
    state.record(sent);
    counts.sent += rows.length;
    counts.batches++;
  };
  const stream = new Writable({
    objectMode: true,
    write(row: Row, _encoding, callback) {
      const id = keys.key(row);
      const place = counts.rows++;
      if (state.has(id.key, id.version)) {
        callback();
        return;
      }
      const out = tableValues(row, fields);
      out.push(machine, id.key, id.version, place, pushedAt);
      counts.bytes += JSON.stringify(out).length + 1;
      batch.push(out);
      keyed.push(id);
      if (batch.length < batchRows) callback();
      else send().then(() => callback(), callback);
    },
    final(callback) {
      send().then(() => callback(), callback);
    },
  });
  return { stream, commit: () => undefined, abort: () => undefined };
}
