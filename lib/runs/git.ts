/**
 * `seq-record run --from-git BASE`: files changed and lines added, from `git diff --numstat
 * BASE` in the current folder. Only the two counts are kept; no path leaves this function.
 */
import { UsageError, InputError } from '../base/errors.js';
import { nodeChildProcess } from '../base/builtins.js';

export function gitChangeCounts(base: string, cwd = process.cwd()): { filesChanged: number; linesAdded: number } {
  if (base === '' || base.startsWith('-')) throw new UsageError(`--from-git: "${base}" is not a commit`, 'give a commit, branch or tag, e.g. --from-git main');
  const inside = nodeChildProcess().spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd, encoding: 'utf8' });
  if (inside.error) throw new InputError(`--from-git: cannot run git (${inside.error.message})`);
  if (inside.status !== 0 || inside.stdout.trim() !== 'true')
    throw new InputError(`--from-git: ${cwd} is not inside a git working tree; run seq-record in the project's folder`);
  const r = nodeChildProcess().spawnSync('git', ['diff', '--numstat', base, '--'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new InputError(`--from-git: cannot run git (${r.error.message})`);
  if (r.status !== 0) {
    const reason = (
      r.stderr.split('\n').find((line) => /^(fatal|error):/.test(line)) ??
      r.stderr.split('\n').find((line) => line.trim() !== '') ??
      `git exited with ${r.status}`
    ).trim();
    throw new InputError(`--from-git ${base}: git diff failed: ${reason}`);
  }
  let filesChanged = 0;
  let linesAdded = 0;
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    filesChanged++;
    const added = line.slice(0, line.indexOf('\t'));
    // A binary file shows "-": changed, with no lines to count.
    if (/^\d+$/.test(added)) linesAdded += Number(added);
  }
  return { filesChanged, linesAdded };
}
