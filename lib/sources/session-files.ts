/**
 * Where session logs are, and which files are logs: the agents' default roots, the files under
 * any root (`*.jsonl`, `*.jsonl.zst`, and what an agent names otherwise), and one copy of a log
 * that an agent keeps in several places (a Codex rollout in `sessions/` and `archived_sessions/`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Source } from '../spec/types.js';
import { findFiles, type ListFolder, type WalkProblems } from './files.js';
import { AGENTS } from './registry.js';
import { sourceWanted } from './wanted.js';

const SESSION_FILE = /\.jsonl(\.zst)?$/;

/** Whether a file under a root is a session log of some agent. */
export function isLogFile(name: string): boolean {
  return SESSION_FILE.test(name) || AGENTS.some((agent) => agent.isLogFile?.(name) === true);
}

/** The copy a file is of a log its agent keeps copies of (see AgentSource.copy). */
export function copyOf(path: string): { name: string; archived: boolean } | undefined {
  for (const agent of AGENTS) {
    const copy = agent.copy?.(path);
    if (copy !== undefined) return copy;
  }
  return undefined;
}

/**
 * The default roots for a source that exist on this machine, each folder once (~/.codex/sessions
 * is often a link to ~/.dotfiles/codex/sessions, another default).
 */
export function defaultRoots(source: Source, home = homedir()): string[] {
  const roots = AGENTS.filter((agent) => sourceWanted(source, agent.name)).flatMap((agent) => agent.defaultRoots(home));
  const seen = new Set<string>();
  return roots.filter((root) => {
    if (!existsSync(root)) return false;
    const real = realpathSync(root);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/**
 * The session files under the roots, in a stable order, as the scan asks for them. A rollout
 * under a `sessions` folder and again under `archived_sessions` (or once compressed, once not) is
 * read once. Under one root (~/.codex) and with the default roots, that is the sessions/ copy:
 * a root's archived rollouts come after its other files, when every sessions/ copy under it is
 * known. What is kept per file is a rollout's name, and a root's archived rollouts until its end.
 */
export function* findSessionFiles(roots: string[], problems: WalkProblems, onRoot?: (root: string | undefined) => void, list?: ListFolder): Generator<string> {
  const read = new Set<string>();
  let archived: Array<{ path: string; name: string }> = [];
  const take = (name: string | undefined): boolean => {
    if (name === undefined) return true;
    if (read.has(name)) return false;
    read.add(name);
    return true;
  };
  const flush = function* (): Generator<string> {
    const waiting = archived;
    archived = [];
    for (const { path, name } of waiting) if (take(name)) yield path;
  };
  // A root's begin is told once the archived rollouts of the root before are out (the walk tells
  // it on its way to the new root's first file).
  let begun: { root: string | undefined } | undefined;
  for (const path of findFiles(roots, isLogFile, problems, (root) => (begun = { root }), list)) {
    if (begun !== undefined) {
      yield* flush();
      onRoot?.(begun.root);
      begun = undefined;
    }
    const copy = copyOf(path);
    if (copy?.archived === true) archived.push({ path, name: copy.name });
    else if (take(copy?.name)) yield path;
  }
  yield* flush();
  onRoot?.(undefined);
}
