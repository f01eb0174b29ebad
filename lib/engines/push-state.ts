/**
 * What a machine has pushed to one table: the key, version and session of every row the server
 * acknowledged, and whether it was sent as gone, so that the next push sends only what is new or
 * newer, says which rows left the logs, and goes on where a stopped push was. One file per
 * server, database, table, machine and set of roots, in the cache folder:
 *
 *   push/<digest>.sent    a header line (JSON: where the rows go, from which roots, the table's id),
 *                         then one line per acknowledged row: key, version, session, 1 if sent as gone
 *
 * Lines are appended, under the file's lock, only after the server has the rows; a line cut short
 * by a crash is ignored (its row is sent again, which the table's key makes harmless). A table
 * made anew on the server (another id) starts the file over.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { nodeCrypto } from '../base/builtins.js';
import { join } from 'node:path';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { withLock } from '../storage/lock.js';
import { PUSH_STATE } from '../cache/layout.js';
import { makeFolder } from '../storage/folders.js';

const LOCK_WAIT_MS = 10_000;
const LINE = /^([0-9a-f]{32}) (-?\d+) ([0-9a-f]{16}|-) ([01])$/;

/** Which table the pushes go to, from which machine and roots. */
export interface PushTarget {
  server: string;
  database: string;
  table: string;
  machine: string;
  roots: readonly string[];
  /** A digest of the prices the rows were priced with ('' for rows without costs): other prices, other rows. */
  prices: string;
  /** The server's id of the table (it changes when the table is dropped and made again). */
  tableId: string;
}

/** What the server has of a row: its version, its session, and whether it was sent as gone. */
export interface SentRow {
  key: string;
  version: number;
  session: string;
  gone: boolean;
}

export class PushState {
  private readonly sent = new Map<string, SentRow>();
  /** Lines of the file that were damaged (cut short by a crash): their rows are sent again. */
  readonly damaged: number;

  private constructor(
    readonly path: string,
    private readonly header: string,
    lines: string[] | undefined,
  ) {
    let damaged = 0;
    for (const line of lines ?? []) {
      const match = LINE.exec(line);
      if (match === null) {
        if (line !== '') damaged++;
        continue;
      }
      const row = { key: match[1] as string, version: Number(match[2]), session: match[3] as string, gone: match[4] === '1' };
      // The last line of a key is what the server was last sent of it.
      if (Number.isSafeInteger(row.version)) this.sent.set(row.key, row);
      else damaged++;
    }
    this.damaged = damaged;
  }

  /**
   * The state of pushes to `target` kept under `folder`: what earlier pushes sent, or nothing when
   * `fresh` (push everything again), when the file is another table's, or when there is none.
   */
  static open(folder: string, target: PushTarget, fresh: boolean): PushState {
    const { tableId, ...place } = target;
    const digest = nodeCrypto().hash('sha256', JSON.stringify(place), 'hex').slice(0, 24);
    const path = join(folder, PUSH_STATE, `${digest}.sent`);
    const header = JSON.stringify({ seq_push: 2, ...place, table_id: tableId });
    let lines: string[] | undefined;
    if (!fresh) {
      try {
        const text = readFileSync(path, 'utf8').split('\n');
        if (text[0] === header) lines = text.slice(1);
      } catch {
        // none yet, or unreadable: everything is sent, and the file made anew
      }
    }
    const state = new PushState(path, header, lines);
    if (lines === undefined || state.damaged > 0) state.rewrite();
    return state;
  }

  /** What the server was last sent of a row. */
  get(key: string): SentRow | undefined {
    return this.sent.get(key);
  }

  /** Every row the server has as present. */
  *present(): Generator<SentRow> {
    for (const row of this.sent.values()) if (!row.gone) yield row;
  }

  /** Records rows the server has acknowledged. */
  record(rows: readonly SentRow[]): void {
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) {
      text += `${row.key} ${row.version} ${row.session} ${row.gone ? 1 : 0}\n`;
      this.sent.set(row.key, row);
    }
    withLock(this.path, () => appendFileSync(this.path, text, { mode: 0o600 }), LOCK_WAIT_MS);
  }

  /** The file as this state holds it, whole: the header, then every row known. */
  private rewrite(): void {
    makeFolder(join(this.path, '..'), 0o700);
    const header = this.header;
    const sent = this.sent;
    const text = function* (): Generator<string> {
      yield `${header}\n`;
      for (const row of sent.values()) yield `${row.key} ${row.version} ${row.session} ${row.gone ? 1 : 0}\n`;
    };
    withLock(this.path, () => writeFileAtomically(this.path, text(), 0o600), LOCK_WAIT_MS);
  }
}
