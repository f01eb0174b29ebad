/**
 * An OpenCode database (`opencode.db`, `opencode-<channel>.db`): SQLite in write-ahead-log mode,
 * which OpenCode may be writing while seq reads. It is opened read-only, waits a moment for a
 * lock, and reads inside one read transaction (one consistent snapshot, which never blocks
 * OpenCode's writes) that ends as soon as the rows are read.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { errorReason } from '../../base/errors.js';
import type { EventSink } from '../common/events.js';
import type { ReaderNeeds } from '../common/source.js';
import { isObject, type Json } from '../common/json-values.js';
import { createdMs, forkedCopy, messageUsage, partEvents, sessionEvent, type MessageContext, type SessionRecord } from './records.js';

type DatabaseClass = typeof BetterSqlite3;

let loaded: DatabaseClass | undefined;

/** better-sqlite3, an optional dependency, loaded when a database is first read. */
function sqlite(): DatabaseClass {
  if (loaded !== undefined) return loaded;
  try {
    // Required through Node when a run needs it, not imported: the build leaves the package out of seq's scripts.
    loaded = createRequire(import.meta.url)('better-sqlite3') as DatabaseClass;
  } catch (error) {
    throw new Error(
      `an OpenCode database, and reading one needs better-sqlite3, which cannot be loaded (${errorReason(error).split('\n')[0]}): run \`npm install better-sqlite3\` in seq's folder`,
    );
  }
  return loaded;
}

/** How long to wait for a writer's lock before giving the file up as unreadable, in ms. */
const BUSY_TIMEOUT_MS = 2000;

/** The tables and columns read: the database of an OpenCode that stores otherwise is not read. */
const NEEDED: Record<string, string[]> = {
  session: ['id', 'parent_id', 'directory', 'version', 'time_created'],
  message: ['id', 'session_id', 'time_created', 'data'],
  part: ['id', 'message_id', 'session_id', 'data'],
};

interface SessionRow {
  id: string;
  parent_id: string | null;
  directory: string | null;
  version: string | null;
  time_created: number | null;
}

interface MessageRow {
  id: string;
  session_id: string;
  time_created: number | null;
  data: string;
}

interface PartRow {
  id: string;
  message_id: string;
  data: string;
}

/** Reads the whole database into events; line numbers in what it reports are 1 (a database has no lines). */
export function readDatabase(path: string, sink: EventSink, needs: ReaderNeeds): void {
  const Database = sqlite();
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`SQLite cannot open this OpenCode database (${errorReason(error)}): if OpenCode is busy with it, try again later`);
  }
  try {
    const missing = missingColumns(db);
    if (missing !== undefined) {
      sink.malformed(1, `not an OpenCode database seq knows: ${missing}; an OpenCode version whose storage seq does not read yet (the file is skipped)`);
      return;
    }
    const partsNeeded = needs.messages || needs.toolCalls;
    // One snapshot for every read, so a session is not read half before and half after a write.
    // In WAL mode a reader never blocks OpenCode's writes; it only holds its checkpoints back
    // from going past the snapshot, until the COMMIT right after the last row.
    db.exec('BEGIN');
    try {
      readSessions(db, sink, needs, partsNeeded);
    } finally {
      if (db.inTransaction) db.exec('COMMIT');
    }
  } catch (error) {
    throw new Error(
      `SQLite cannot read this OpenCode database (${errorReason(error)}): damaged (OpenCode cannot read it either), or locked longer than ${BUSY_TIMEOUT_MS / 1000} s by a writer (try again later)`,
    );
  } finally {
    db.close();
  }
}

/** What is missing of the tables and columns read, or undefined when nothing is. */
function missingColumns(db: BetterSqlite3.Database): string | undefined {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(NEEDED)) {
    const found = new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((row) => row.name));
    if (found.size === 0) {
      problems.push(`no table "${table}"`);
      continue;
    }
    const absent = columns.filter((column) => !found.has(column));
    if (absent.length > 0) problems.push(`table "${table}" has no column ${absent.map((c) => `"${c}"`).join(', ')}`);
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}

function readSessions(db: BetterSqlite3.Database, sink: EventSink, needs: ReaderNeeds, partsNeeded: boolean): void {
  const sessions = new Map<string, SessionRecord>();
  for (const row of db.prepare('SELECT id, parent_id, directory, version, time_created FROM session').all() as SessionRow[]) {
    sessions.set(row.id, {
      id: row.id,
      parentId: row.parent_id ?? undefined,
      createdMs: row.time_created,
      directory: row.directory ?? undefined,
      version: row.version ?? undefined,
    });
  }
  // Sessions by the messages they hold, so that a message whose session row is gone still counts.
  const sessionIds = (db.prepare('SELECT DISTINCT session_id FROM message ORDER BY session_id').all() as Array<{ session_id: string }>).map(
    (row) => row.session_id,
  );
  const messagesOf = db.prepare('SELECT id, session_id, time_created, data FROM message WHERE session_id = ? ORDER BY time_created, id');
  const partsOf = db.prepare('SELECT id, message_id, data FROM part WHERE session_id = ? ORDER BY message_id, id');
  for (const sessionId of sessionIds) {
    sink.event(sessionEvent(sessionId, sessions.get(sessionId)));
    const parts = new Map<string, PartRow[]>();
    if (partsNeeded) {
      for (const part of partsOf.all(sessionId) as PartRow[]) {
        const list = parts.get(part.message_id);
        if (list === undefined) parts.set(part.message_id, [part]);
        else list.push(part);
      }
    }
    const sessionCreated = sessions.get(sessionId)?.createdMs;
    for (const row of messagesOf.all(sessionId) as MessageRow[]) {
      const data = decode(row.data, `message ${row.id}`, sink);
      if (data === undefined || forkedCopy(createdMs(data), sessionCreated)) continue;
      const message: MessageContext = { role: typeof data.role === 'string' ? data.role : undefined, createdMs: row.time_created };
      for (const part of parts.get(row.id) ?? []) {
        const partData = decode(part.data, `part ${part.id}`, sink);
        if (partData !== undefined) partEvents(part.id, partData, message, needs, sink);
      }
      if (!needs.tokens) continue;
      const usage = messageUsage(row.id, sessionId, data, (reason) => sink.malformed(1, reason));
      if (usage !== undefined) sink.event(usage);
    }
  }
}

/** A row's `data`, decoded; a row that is no JSON object is reported and skipped. */
function decode(text: string, what: string, sink: EventSink): Json | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    sink.malformed(1, `${what}: its data is not JSON (${errorReason(error)}); skipped`);
    return undefined;
  }
  if (!isObject(value)) {
    sink.malformed(1, `${what}: its data is not a JSON object; skipped`);
    return undefined;
  }
  return value;
}
