/**
 * OpenCode: its data folder ($XDG_DATA_HOME/opencode, ~/.local/share/opencode on Linux and
 * macOS alike) holds a SQLite database per release channel (`opencode.db`, `opencode-<channel>.db`)
 * and the older per-file JSON storage (`storage/session`, `storage/message`, `storage/part`),
 * which OpenCode copies into the database and leaves in place. Both are read; their copies of a
 * record have the same ids, so each is counted once. Only those files of the data folder are
 * roots: beside them are snapshot repositories, logs and binaries, which are no logs.
 */
import { readdirSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { xdgValue } from '../../base/xdg.js';
import { listEnv } from '../common/environment.js';
import type { AgentSource } from '../common/source.js';
import format from './format.json' with { type: 'json' };
import { documentKind, isStorageName, nameId, OpencodeReader } from './reader.js';
import { opencodeAbout } from './about.js';

/** OpenCode's database files: the `latest`/`beta` channels' and any other channel's. */
const DATABASE = /^opencode(-[A-Za-z0-9._-]+)?\.db$/;

/** The roots in one data folder: its databases (databases first, so a record in both stores is read from the database first), then the JSON storage. */
function dataFolderRoots(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    names = [];
  }
  const databases = names.filter((name) => DATABASE.test(name)).sort();
  return [...databases.map((name) => join(folder, name)), ...['session', 'message', 'part'].map((kind) => join(folder, 'storage', kind))];
}

/** The data folders: OpenCode's own ($XDG_DATA_HOME), ccusage's OPENCODE_DATA_DIR list, the default. */
function dataFolders(home: string): string[] {
  const xdg = xdgValue('XDG_DATA_HOME');
  return [...(xdg !== undefined ? [join(xdg, 'opencode')] : []), ...listEnv('OPENCODE_DATA_DIR'), join(home, '.local', 'share', 'opencode')];
}

/** OPENCODE_DB: the database OpenCode uses instead of its channel's, absolute or in the data folder (`:memory:` keeps none). */
function databaseOverride(home: string): string[] {
  const value = process.env.OPENCODE_DB;
  if (value === undefined || value === '' || value === ':memory:') return [];
  return isAbsolute(value) ? [value] : dataFolders(home).map((folder) => join(folder, value));
}

/** The name of the database file OPENCODE_DB names, if any. */
function overrideName(): string | undefined {
  const value = process.env.OPENCODE_DB;
  return value === undefined || value === '' || value === ':memory:' ? undefined : basename(value);
}

export const opencodeSource: AgentSource = {
  ...opencodeAbout,
  readerFormat: format.format,
  sessionIdShape: /^ses_\w+$/,
  defaultRoots: (home) => [...databaseOverride(home), ...dataFolders(home).flatMap(dataFolderRoots)],
  isLogFile: (name) => DATABASE.test(name) || isStorageName(name),
  // The file OPENCODE_DB names may be named otherwise.
  database: (name) => DATABASE.test(name) || name === overrideName(),
  readingEnv: ['OPENCODE_DB'],
  // OpenCode writes no JSON Lines.
  recognise: () => false,
  recogniseDocument(document, name) {
    if (documentKind(document) !== undefined) return 'surely';
    // A record of a shape seq does not know, in a file named as OpenCode names them: its reader says what it found.
    return isStorageName(name) && document.id === nameId(name) ? 'perhaps' : false;
  },
  reader: (path, sink, needs) => new OpencodeReader(path, sink, needs),
};
