/**
 * Gemini CLI: sessions under `<root>/tmp/<project>/chats/` ($GEMINI_CLI_HOME/.gemini, else
 * ~/.gemini), a subagent's in `chats/<parent session id>/`; one JSON document per session
 * (`session-*.json`, up to 0.38) or JSON Lines (`*.jsonl`, 0.39 on). Qwen Code, a fork, names
 * its old documents the same and gives them the same top level: a document is Gemini CLI's by
 * its messages (the model's are of type `gemini`, Qwen Code's `qwen`).
 */
import { join } from 'node:path';
import { listEnv } from '../common/environment.js';
import { type AgentSource, type Recognition, UUID_START } from '../common/source.js';
import format from './format.json' with { type: 'json' };
import { GeminiReader, type GeminiState } from './reader.js';
import { isObject } from '../common/json-values.js';
import { isHeader, MESSAGE_TYPES } from './records.js';
import { geminiAbout } from './about.js';

/** A main session's document, or a subagent's (0.37 and 0.38), named by its session id. */
const DOCUMENT_NAME = /^(session-.*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/i;

/** Keys of Claude Code's and Qwen Code's records (and Codex's `payload`), which no Gemini CLI record has. */
const FOREIGN_KEYS = ['uuid', 'parentUuid', 'message', 'payload', 'cwd'];

function foreign(record: Record<string, unknown>): boolean {
  return FOREIGN_KEYS.some((key) => Object.hasOwn(record, key));
}

function onlyKey(record: Record<string, unknown>, key: string): boolean {
  const keys = Object.keys(record);
  return keys.length === 1 && keys[0] === key;
}

/**
 * A session document's messages decide: one of type `qwen` makes it Qwen Code's, else one of
 * type `gemini` makes it Gemini CLI's (a type it does not know is the reader's to report); one
 * with no reply of the model yet, and only types Gemini CLI writes, is perhaps its.
 */
function documentSign(document: Record<string, unknown>): Recognition {
  if (!isHeader(document) || !Array.isArray(document.messages) || foreign(document)) return false;
  let model = false;
  let known = true;
  for (const message of document.messages) {
    if (!isObject(message)) continue;
    if (message.type === 'qwen') return false;
    if (message.type === 'gemini') model = true;
    else if (typeof message.type !== 'string' || !MESSAGE_TYPES.has(message.type)) known = false;
  }
  return model ? 'surely' : known ? 'perhaps' : false;
}

export const geminiSource: AgentSource = {
  ...geminiAbout,
  readerFormat: format.format,
  sessionIdShape: UUID_START,
  // Gemini CLI's own $GEMINI_CLI_HOME, then $GEMINI_DATA_DIR (a comma-separated list of tmp folders), then ~/.gemini/tmp.
  defaultRoots: (home) => [
    ...listEnv('GEMINI_CLI_HOME').map((dir) => join(dir, '.gemini', 'tmp')),
    ...listEnv('GEMINI_DATA_DIR'),
    join(home, '.gemini', 'tmp'),
  ],
  harnessText: (text) => text.startsWith('<session_context>'),
  isLogFile: (name) => DOCUMENT_NAME.test(name),
  recognise(record) {
    if (onlyKey(record, '$set') ? isObject(record.$set) : onlyKey(record, '$rewindTo') && typeof record.$rewindTo === 'string') return 'surely';
    if (foreign(record)) return false;
    if (isHeader(record)) return Array.isArray(record.messages) ? documentSign(record) : typeof record.startTime === 'string' ? 'surely' : 'perhaps';
    // A message record, where the header is lost.
    const message =
      typeof record.id === 'string' &&
      typeof record.timestamp === 'string' &&
      typeof record.type === 'string' &&
      MESSAGE_TYPES.has(record.type) &&
      Object.hasOwn(record, 'content') &&
      !Object.hasOwn(record, 'sessionId');
    return message ? 'surely' : false;
  },
  recogniseDocument: (document) => documentSign(document),
  reader: (path, sink, needs, state) => new GeminiReader(path, sink, needs, state as GeminiState | undefined),
};
