/**
 * Qwen Code: chat recordings under its runtime folder ($QWEN_RUNTIME_DIR, else ~/.qwen), one
 * JSON Lines file per session in `projects/<sanitised cwd>/chats/`, and the legacy one-document
 * sessions of older releases in `tmp/<sha256 of the project>/chats/session-*.json`.
 */
import { readFileSync } from 'node:fs';
import stripJsonComments from 'strip-json-comments';
import { join, resolve } from 'node:path';
import { listEnv } from '../common/environment.js';
import { type AgentSource, UUID_START } from '../common/source.js';
import format from './format.json' with { type: 'json' };
import { isObject } from '../common/json-values.js';
import { QwenReader, SESSION_CONTEXT, type QwenState } from './reader.js';
import { qwenAbout } from './about.js';

/** The legacy file name, which Gemini CLI's one-document sessions have too. */
const LEGACY_NAME = /^session-.*\.json$/;
const RECORD_TYPES = new Set(['user', 'assistant', 'tool_result', 'system']);

/** A runtime folder as Qwen Code reads $QWEN_RUNTIME_DIR: `~` is the home folder. */
function runtimeDir(value: string, home: string): string {
  return value === '~' || value.startsWith('~/') ? join(home, value.slice(1)) : resolve(value);
}

/**
 * The runtime folder Qwen Code's settings name, `advanced.runtimeOutputDir`: the project's
 * `.qwen/settings.json` (in the current folder) over the user's; `~` is the home folder, and a
 * relative folder is the current folder's, as Qwen Code resolves it from the project's.
 */
function settingsRuntimeDir(home: string): string | undefined {
  let configured: string | undefined;
  for (const file of [join(home, '.qwen', 'settings.json'), join(process.cwd(), '.qwen', 'settings.json')]) {
    let settings: unknown;
    try {
      // Qwen Code's settings may hold comments, which its loader strips too.
      settings = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
    } catch {
      continue; // none, or not JSON: Qwen Code falls back to its default folder as well
    }
    const dir = isObject(settings) && isObject(settings.advanced) ? settings.advanced.runtimeOutputDir : undefined;
    if (typeof dir === 'string' && dir.trim() !== '') configured = dir.trim();
  }
  return configured === undefined ? undefined : runtimeDir(configured, home);
}

/** Where a runtime folder keeps sessions: projects/ (JSON Lines) and tmp/ (legacy documents). */
function logFolders(base: string): string[] {
  return [join(base, 'projects'), join(base, 'tmp')];
}

export const qwenSource: AgentSource = {
  ...qwenAbout,
  readerFormat: format.format,
  sessionIdShape: UUID_START,
  // $QWEN_RUNTIME_DIR, else its settings' runtime folder, is Qwen Code's own; $QWEN_DATA_DIR (a
  // comma-separated list) is ccusage's; ~/.qwen holds what was written before either was set.
  defaultRoots(home) {
    const runtime = process.env.QWEN_RUNTIME_DIR;
    const set = runtime === undefined || runtime.trim() === '' ? settingsRuntimeDir(home) : runtimeDir(runtime.trim(), home);
    return [
      ...(set === undefined ? [] : logFolders(set)),
      ...listEnv('QWEN_DATA_DIR').flatMap((dir) => logFolders(runtimeDir(dir, home))),
      ...logFolders(join(home, '.qwen')),
    ];
  },
  harnessText: (text) => text.startsWith(SESSION_CONTEXT),
  isLogFile: (name) => LEGACY_NAME.test(name),
  // Claude Code's records have the same envelope (uuid, parentUuid, sessionId, type); a Qwen
  // record has a Gemini Content (`message.parts`) or one of Qwen's own members, never `message.content`.
  recognise(record) {
    if (typeof record.uuid !== 'string' || typeof record.sessionId !== 'string' || !('parentUuid' in record)) return false;
    if (typeof record.type !== 'string' || !RECORD_TYPES.has(record.type)) return false;
    const message = record.message;
    if (message !== undefined && !(isObject(message) && Array.isArray(message.parts) && !('content' in message))) return false;
    if (isObject(message) || isObject(record.usageMetadata) || isObject(record.systemPayload) || isObject(record.toolCallResult)) return 'surely';
    return false;
  },
  // Gemini CLI's legacy sessions have the same shape: the assistant's messages tell them apart
  // (`type: "qwen"`, not "gemini"); a session without any goes by its name.
  recogniseDocument(document, name) {
    if (typeof document.sessionId !== 'string' || !Array.isArray(document.messages)) return false;
    const types = new Set(document.messages.map((message: unknown) => (isObject(message) ? message.type : undefined)));
    if (types.has('qwen')) return 'surely';
    if (types.has('gemini')) return false;
    return typeof document.projectHash === 'string' && LEGACY_NAME.test(name) ? 'perhaps' : false;
  },
  reader: (_path, sink, needs, state) => new QwenReader(sink, needs, state as QwenState | undefined),
};
