/** What `seq sources` runs: its declaration (sources.ts) loads this when it runs. */
import { homedir } from 'node:os';
import type { Row } from '../../jsonl/json.js';
import { AGENTS } from '../../sources/registry.js';
import { defaultRoots } from '../../sources/session-files.js';
import type { ROW_FLAGS } from './datasets.js';
import { printRows } from './print-rows.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';

/** A path as people write it: under the home folder with `~`. */
function tilde(path: string, home: string): string {
  return path === home || path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

export async function runSources(values: Values<typeof ROW_FLAGS>, _operands: string[], program: Program): Promise<number | undefined> {
  const home = homedir();
  const rows: Row[] = AGENTS.map((agent) => {
    const found = defaultRoots(agent.name, home);
    return {
      source: agent.name,
      agent: agent.title,
      found: found.length > 0 ? found.map((root) => tilde(root, home)).join(', ') : null,
      places: agent.places.logs,
    };
  });
  return printRows(rows, values, program);
}
