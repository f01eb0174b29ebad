/**
 * Where session logs are, and which files are logs: the default roots of both agents, the
 * files under any root (`*.jsonl`, `*.jsonl.zst`, and the first Codex CLI's `rollout-*.json`),
 * and one copy of a Codex rollout that is in both `sessions/` and `archived_sessions/`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import type { Source } from '../spec/types.js';
import { findFiles, type WalkProblems } from './files.js';

const SESSION_FILE = /\.jsonl(\.zst)?$/;
const LEGACY_CODEX = /^rollout-.*\.json$/;

function listEnv(name: string): string[] {
  const value = process.env[name];
  return value === undefined || value === '' ? [] : value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** Codex: $CODEX_HOME (default ~/.codex) sessions and archived_sessions, then the seed's fallbacks. */
export function codexRoots(home = homedir()): string[] {
  const homes = listEnv('CODEX_HOME');
  const bases = homes.length > 0 ? homes : [join(home, '.codex')];
  return [
    ...bases.flatMap((base) => [join(base, 'sessions'), join(base, 'archived_sessions')]),
    resolve('sessions'),
    join(home, '.dotfiles', 'codex', 'sessions'),
  ];
}

/** Claude Code: $CLAUDE_CONFIG_DIR/projects (a comma-separated list is allowed), ~/.claude, ~/.config/claude. */
export function claudeRoots(home = homedir()): string[] {
  return [...listEnv('CLAUDE_CONFIG_DIR').map((dir) => join(dir, 'projects')), join(home, '.claude', 'projects'), join(home, '.config', 'claude', 'projects')];
}

/**
 * The default roots for a source that exist on this machine, each folder once (~/.codex/sessions
 * is often a link to ~/.dotfiles/codex/sessions, another default).
 */
export function defaultRoots(source: Source): string[] {
  const roots = source === 'codex' ? codexRoots() : source === 'claude' ? claudeRoots() : [...codexRoots(), ...claudeRoots()];
  const seen = new Set<string>();
  return roots.filter((root) => {
    if (!existsSync(root)) return false;
    const real = realpathSync(root);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/** A name that the same rollout has in sessions/ and archived_sessions/ (compressed or not). */
function rolloutName(path: string): string | undefined {
  const name = basename(path).replace(/\.zst$/, '');
  return name.startsWith('rollout-') ? name : undefined;
}

/**
 * The session files under the roots, in a stable order, as the scan asks for them. A rollout
 * under a `sessions` folder and again under `archived_sessions` (or once compressed, once not) is
 * read once. Under one root (~/.codex) and with the default roots, that is the sessions/ copy:
 * a root's archived rollouts come after its other files, when every sessions/ copy under it is
 * known. What is kept per file is a rollout's name, and a root's archived rollouts until its end.
 */
export function* findSessionFiles(roots: string[], problems: WalkProblems, onRoot?: (root: string | undefined) => void): Generator<string> {
  const read = new Set<string>();
  let archived: string[] = [];
  const take = (path: string): boolean => {
    const name = rolloutName(path);
    if (name === undefined) return true;
    if (read.has(name)) return false;
    read.add(name);
    return true;
  };
  const flush = function* (): Generator<string> {
    const waiting = archived;
    archived = [];
    for (const path of waiting) if (take(path)) yield path;
  };
  // A root's begin is told once the archived rollouts of the root before are out (the walk tells
  // it on its way to the new root's first file).
  let begun: { root: string | undefined } | undefined;
  for (const path of findFiles(roots, (name) => SESSION_FILE.test(name) || LEGACY_CODEX.test(name), problems, (root) => (begun = { root }))) {
    if (begun !== undefined) {
      yield* flush();
      onRoot?.(begun.root);
      begun = undefined;
    }
    if (path.includes(`${sep}archived_sessions${sep}`) && rolloutName(path) !== undefined) archived.push(path);
    else if (take(path)) yield path;
  }
  yield* flush();
  onRoot?.(undefined);
}
