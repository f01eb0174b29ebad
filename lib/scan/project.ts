/**
 * --project: which sessions a scan keeps, by the working folder their log records. A path keeps
 * the sessions run in that folder or under it; a bare name keeps those whose folder has that name.
 */
import { homedir } from 'node:os';
import { basename, isAbsolute, resolve } from 'node:path';

/** Whether a session whose working folder is `cwd` (undefined: not recorded) is of the project. */
export type ProjectTest = (cwd: string | undefined) => boolean;

/** Folders as the agents write them: `/` or `\` between parts, no trailing separator. */
function normal(path: string): string {
  return path.replace(/\\/g, '/').replace(/(.)\/+$/, '$1');
}

/** What --project names: a folder (`~` expanded, a relative path resolved from here) or a bare folder name. */
export function projectWanted(project: string): { folder: string } | { name: string } {
  const expanded = project === '~' || project.startsWith('~/') ? homedir() + project.slice(1) : project;
  if (!/[/\\]/.test(expanded) && expanded !== '.' && expanded !== '..') return { name: expanded };
  return { folder: normal(isAbsolute(expanded) ? expanded : resolve(expanded)) };
}

export function projectTest(project: string): ProjectTest {
  const wanted = projectWanted(project);
  if ('name' in wanted) {
    const { name } = wanted;
    return (cwd) => cwd !== undefined && basename(normal(cwd)) === name;
  }
  const { folder } = wanted;
  return (cwd) => {
    if (cwd === undefined) return false;
    const path = normal(cwd);
    return path === folder || path.startsWith(folder === '/' ? '/' : `${folder}/`);
  };
}
