/**
 * What a machine has pushed to one table: the key and version of every row the server
 * acknowledged, so that the next push sends only what is new or newer, and a push that was
 * stopped goes on where it was. One file per server, database, table and machine, in the cache
 * folder:
 *
 *   push/<digest>.sent    a header line (JSON: server, database, table, machine, the table's id),
 *                         then one line per acknowledged row: its key, a space, its version
 *
 * Lines are appended, under the file's lock, only after the server has the rows; a line cut short
 * by a crash is ignored (its row is sent again, which the table's key makes harmless). A table
 * made anew on the server (another id) starts the file over.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { withLock } from '../storage/lock.js';

const LOCK_WAIT_MS = 10_000;
const KEY_LENGTH = 32;
const HEX = /^[0-9a-f]+$/;

/** Which table the pushes go to, and from which machine. */
export interface PushTarget {
  server: string;
  database: string;
  table: string;
  machine: string;
  /** The server's id of the table (it changes when the table is dropped and made again). */
  tableId: string;
}

export class PushState {
  private readonly sent = new Map<string, number>();
  /** Lines of the file that were damaged (cut short by a crash): their rows are sent again. */
  readonly damaged: number = 0;

  private constructor(
    readonly path: string,
    private readonly header: string,
    lines: string[] | undefined,
  ) {
    let damaged = 0;
    for (const line of lines ?? []) {
      // A key, a space, a version: checked by its shape, not a pattern, for speed (one line per row pushed).
      const version = Number(line.slice(KEY_LENGTH + 1));
      if (line.length <= KEY_LENGTH + 1 || line.charCodeAt(KEY_LENGTH) !== 32 || !Number.isSafeInteger(version) || !HEX.test(line.slice(0, KEY_LENGTH))) {
        if (line !== '') damaged++;
        continue;
      }
      const key = line.slice(0, KEY_LENGTH);
      const known = this.sent.get(key);
      if (known === undefined || version > known) this.sent.set(key, version);
    }
    this.damaged = damaged;
  }

  /**
   * The state of pushes to `target` kept in `folder`: what earlier pushes sent, or nothing when
   * `fresh` (push everything again), when the file is another table's, or when there is none.
   */
  static open(folder: string, target: PushTarget, fresh: boolean): PushState {
    const { tableId, ...place } = target;
    const digest = createHash('sha256').update(JSON.stringify(place)).digest('hex').slice(0, 24);
    const path = join(folder, 'push', `${digest}.sent`);
    const header = JSON.stringify({ seq_push: 1, ...place, table_id: tableId });
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

  /** Whether the server has this row, at this version or a newer one. */
  has(key: string, version: number): boolean {
    const known = this.sent.get(key);
    return known !== undefined && known >= version;
  }

  get size(): number {
    return this.sent.size;
  }

  /** Records rows the server has acknowledged. */
  record(rows: readonly { key: string; version: number }[]): void {
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) {
      text += `${row.key} ${row.version}\n`;
      this.sent.set(row.key, row.version);
    }
    withLock(this.path, () => appendFileSync(this.path, text, { mode: 0o600 }), LOCK_WAIT_MS);
  }

  /** The file as this state holds it, whole: the header, then every row known. */
  private rewrite(): void {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const header = this.header;
    const sent = this.sent;
    const text = function* (): Generator<string> {
      yield `${header}\n`;
      for (const [key, version] of sent) yield `${key} ${version}\n`;
    };
    withLock(this.path, () => writeFileAtomically(this.path, text(), 0o600), LOCK_WAIT_MS);
  }
}
