/**
 * Reads OpenCode's logs into events: a database whole (database.ts), or one file of the older
 * JSON storage, `storage/session/<project>/<session>.json`, `storage/message/<session>/<message>.json`
 * or `storage/part/<message>/<part>.json`. Each file tells its session first, so that its events
 * belong to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EventSink } from '../common/events.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { readDatabase } from './database.js';
import { isObject, type Json } from '../common/json-values.js';
import { createdMs, forkedCopy, messageUsage, partEvents, sessionEvent, sessionFromDocument, type MessageContext } from './records.js';

/** Which of OpenCode's stored records a JSON document is, by its ids and fields. */
export type DocumentKind = 'session' | 'message' | 'part';

function idWith(document: Json, key: string, prefix: string): boolean {
  const value = document[key];
  return typeof value === 'string' && value.startsWith(prefix);
}

export function documentKind(document: Json): DocumentKind | undefined {
  if (idWith(document, 'id', 'msg_') && idWith(document, 'sessionID', 'ses_') && typeof document.role === 'string') return 'message';
  if (idWith(document, 'id', 'prt_') && idWith(document, 'messageID', 'msg_') && idWith(document, 'sessionID', 'ses_') && typeof document.type === 'string')
    return 'part';
  if (idWith(document, 'id', 'ses_') && isObject(document.time) && (typeof document.directory === 'string' || typeof document.projectID === 'string'))
    return 'session';
  return undefined;
}

/** The last message file read for its parts' role and time: a message's parts are read one after another. */
let lastMessage: { path: string; context: MessageContext | undefined } | undefined;

/** A part file's message (`storage/message/<session>/<message>.json` beside `storage/part/`), for its role and time. */
function messageOfPart(partPath: string, sessionId: string, messageId: string): MessageContext | undefined {
  const storage = dirname(dirname(dirname(partPath)));
  const path = join(storage, 'message', sessionId, `${messageId}.json`);
  if (lastMessage?.path === path) return lastMessage.context;
  let context: MessageContext | undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (isObject(value))
      context = { role: typeof value.role === 'string' ? value.role : undefined, createdMs: isObject(value.time) ? value.time.created : undefined };
  } catch {
    // No message file (or a damaged one): the part's text is not told as a message, its role being unknown.
    context = undefined;
  }
  lastMessage = { path, context };
  return context;
}

/** Where each session's file is, per storage folder: listed once, and again for a session not found. */
const sessionFiles = new Map<string, Map<string, string>>();

function listSessions(storage: string): Map<string, string> {
  const files = new Map<string, string>();
  const folder = join(storage, 'session');
  let projects: string[];
  try {
    projects = readdirSync(folder);
  } catch {
    projects = [];
  }
  for (const project of projects) {
    let names: string[];
    try {
      names = readdirSync(join(folder, project));
    } catch {
      continue;
    }
    for (const name of names) if (isStorageName(name) && name.startsWith('ses_')) files.set(nameId(name), join(folder, project, name));
  }
  sessionFiles.set(storage, files);
  return files;
}

/** Sessions' times of creation, by their file: a session's never changes. */
const sessionTimes = new Map<string, unknown>();

/** When a session of the JSON storage was made (`storage/session/<project>/<session>.json`), for a fork's copies. */
function sessionCreatedMs(storage: string, sessionId: string): unknown {
  let path = sessionFiles.get(storage)?.get(sessionId);
  if (path === undefined) {
    path = listSessions(storage).get(sessionId);
    // A session without its file is looked for once.
    if (path === undefined) (sessionFiles.get(storage) as Map<string, string>).set(sessionId, '');
  }
  if (path === undefined || path === '') return undefined;
  if (!sessionTimes.has(path)) {
    let created: unknown;
    try {
      const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
      created = isObject(value) && isObject(value.time) ? value.time.created : undefined;
    } catch {
      created = undefined;
    }
    sessionTimes.set(path, created);
  }
  return sessionTimes.get(path);
}

export class OpencodeReader implements LogReader {
  constructor(
    private readonly path: string,
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
  ) {}

  line(_buffer: Buffer, _start: number, _end: number, lineNumber: number): void {
    this.sink.malformed(lineNumber, 'OpenCode writes no JSON Lines: not an OpenCode record');
  }

  /** A database or a whole document has nothing to read on from. */
  state(): null {
    return null;
  }

  database(path: string): void {
    readDatabase(path, this.sink, this.needs);
  }

  document(document: Json): void {
    const kind = documentKind(document);
    if (kind === undefined) {
      const keys = Object.keys(document).slice(0, 8).join(', ');
      this.sink.malformed(
        1,
        `a JSON document with ${keys === '' ? 'no keys' : `keys ${keys}`}, not an OpenCode session, message or part that seq knows: an OpenCode version seq does not read yet? The file is skipped`,
      );
      return;
    }
    const sessionId = kind === 'session' ? (document.id as string) : (document.sessionID as string);
    if (kind === 'session') {
      this.sink.event(sessionEvent(sessionId, sessionFromDocument(document)));
      return;
    }
    // A message names the folder it ran in (`path.cwd`): its session's, for --project.
    const path = kind === 'message' && isObject(document.path) ? document.path : undefined;
    const cwd = typeof path?.cwd === 'string' ? path.cwd : undefined;
    this.sink.event(
      sessionEvent(sessionId, cwd === undefined ? undefined : { id: sessionId, parentId: undefined, createdMs: undefined, directory: cwd, version: undefined }),
    );
    // storage/<message or part>/<session or message>/<file>.json
    const storage = dirname(dirname(dirname(this.path)));
    if (kind === 'message') {
      if (!this.needs.tokens || forkedCopy(createdMs(document), sessionCreatedMs(storage, sessionId))) return;
      const usage = messageUsage(document.id as string, sessionId, document, (reason) => this.sink.malformed(1, reason));
      if (usage !== undefined) this.sink.event(usage);
      return;
    }
    const message = messageOfPart(this.path, sessionId, document.messageID as string);
    if (forkedCopy(message?.createdMs, sessionCreatedMs(storage, sessionId))) return;
    partEvents(document.id as string, document, this.needs.messages && document.type === 'text' ? message : undefined, this.needs, this.sink);
  }
}

/** Whether a file's name is one of the JSON storage's (`ses_…json`, `msg_…json`, `prt_…json`). */
export function isStorageName(name: string): boolean {
  return /^(ses|msg|prt)_[A-Za-z0-9]+\.json$/.test(name);
}

/** The id a storage file's name gives its record. */
export function nameId(name: string): string {
  return basename(name, '.json');
}
