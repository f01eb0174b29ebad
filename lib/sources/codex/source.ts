/**
 * OpenAI Codex CLI: rollouts under $CODEX_HOME/sessions and archived_sessions (default ~/.codex),
 * as JSON Lines (compressed with zstd when archived by some versions), and the first CLI's
 * one-document `rollout-*.json`.
 */
import { join, resolve, sep } from 'node:path';
import { listEnv } from '../common/environment.js';
import format from './format.json' with { type: 'json' };
import { type AgentSource, UUID_START } from '../common/source.js';
import { CodexReader, type CodexState } from './reader.js';
import { EnvelopeHead } from './envelope.js';
import { codexAbout } from './about.js';

const LEGACY_ROLLOUT = /^rollout-.*\.json$/;

/** The bare records of the first Rust versions: a header {id, timestamp}, state markers, items. */
function bareRecord(record: Record<string, unknown>): boolean {
  if (typeof record.id === 'string' && typeof record.timestamp === 'string' && record.type === undefined) return true;
  if (record.record_type !== undefined) return true;
  return record.type === 'message' || record.type === 'function_call' || record.type === 'reasoning';
}

/** The head of a file's first line, read again for each file. */
const HEAD = new EnvelopeHead();
export const codexSource: AgentSource = {
  ...codexAbout,
  readerFormat: format.format,
  sessionIdShape: UUID_START,
  messageCopiesByText: true,
  // $CODEX_HOME (a comma-separated list is allowed), then ./sessions and ~/.dotfiles/codex/sessions.
  defaultRoots(home) {
    const homes = listEnv('CODEX_HOME');
    const bases = homes.length > 0 ? homes : [join(home, '.codex')];
    return [
      ...bases.flatMap((base) => [join(base, 'sessions'), join(base, 'archived_sessions')]),
      resolve('sessions'),
      join(home, '.dotfiles', 'codex', 'sessions'),
    ];
  },
  skillDirs(home) {
    const homes = listEnv('CODEX_HOME');
    return [join(home, '.dotfiles', 'codex', 'skills'), ...(homes.length > 0 ? homes : [join(home, '.codex')]).map((base) => join(base, 'skills'))];
  },
  harnessText: (text) =>
    text.startsWith('# AGENTS.md instructions') ||
    text.startsWith('<environment_context>') ||
    text.startsWith('<INSTRUCTIONS>') ||
    text.startsWith('<user_instructions>') ||
    text.slice(0, 200).includes('AGENTS.md instructions'),
  isLogFile: (name) => LEGACY_ROLLOUT.test(name),
  layout: (bytes, start, end) => HEAD.read(bytes, start, end),
  recognise(record) {
    if (typeof record.type === 'string' && 'payload' in record && typeof record.timestamp === 'string') return 'surely';
    return bareRecord(record) ? 'perhaps' : false;
  },
  recogniseDocument: (document) => (typeof document.session === 'object' && document.session !== null && Array.isArray(document.items) ? 'surely' : false),
  reader: (path, sink, needs, state) => new CodexReader(path, sink, needs, state as CodexState | undefined),
  copy(path) {
    const name = path.slice(path.lastIndexOf(sep) + 1).replace(/\.zst$/, '');
    if (!name.startsWith('rollout-')) return undefined;
    return { name, archived: path.includes(`${sep}archived_sessions${sep}`) };
  },
};
