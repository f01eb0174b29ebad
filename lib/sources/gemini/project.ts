/**
 * Where a Gemini CLI session was run, from where its file is: sessions live in
 * `<root>/tmp/<project>/chats/` (a subagent's in `chats/<parent session id>/`), and the log
 * itself names its project only by the sha256 of its path. The path is in the project folder's
 * `.project_root`, or in `<root>/projects.json` (`{"projects": {path: folder name}}`), where a
 * legacy folder named by the hash is found by hashing the paths listed.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nodeCrypto } from '../../base/builtins.js';
import { isObject } from '../common/json-values.js';

export interface GeminiPlace {
  cwd: string | undefined;
  /** The parent session of a subagent's log: the folder it is in, under `chats/`. */
  parent: string | undefined;
}

/** Per project folder and hash: a scan reads many sessions of one project. */
const known = new Map<string, string | undefined>();

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function projectPath(projectDir: string, projectHash: string | undefined): string | undefined {
  const key = `${projectDir}\u0000${projectHash ?? ''}`;
  if (known.has(key)) return known.get(key);
  let path = readText(join(projectDir, '.project_root'))?.trim() || undefined;
  if (path === undefined && basename(dirname(projectDir)) === 'tmp') {
    const registry = readText(join(dirname(dirname(projectDir)), 'projects.json'));
    let projects: unknown;
    try {
      projects = registry === undefined ? undefined : (JSON.parse(registry) as { projects?: unknown }).projects;
    } catch {
      projects = undefined;
    }
    if (isObject(projects)) {
      const name = basename(projectDir);
      for (const [candidate, folder] of Object.entries(projects)) {
        if (folder === name || (projectHash !== undefined && nodeCrypto().hash('sha256', candidate, 'hex') === projectHash)) {
          path = candidate;
          break;
        }
      }
    }
  }
  known.set(key, path);
  return path;
}

/** The session's project path and parent session, from the log's path and its `projectHash`. */
export function geminiPlace(logPath: string, projectHash: string | undefined): GeminiPlace {
  const folder = dirname(logPath);
  if (basename(folder) === 'chats') return { cwd: projectPath(dirname(folder), projectHash), parent: undefined };
  const chats = dirname(folder);
  if (basename(chats) === 'chats') return { cwd: projectPath(dirname(chats), projectHash), parent: basename(folder) };
  return { cwd: undefined, parent: undefined };
}
