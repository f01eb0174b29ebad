/** `seq sources`: the agents whose logs seq reads, where it looks for them, and what it found here. */
import { homedir } from 'node:os';
import type { Command } from '../../base/command.js';
import type { Row } from '../../jsonl/json.js';
import { AGENTS } from '../../sources/registry.js';
import { defaultRoots } from '../../sources/session-files.js';
import { printRows, ROW_FLAGS } from './datasets.js';

/** A path as people write it: under the home folder with `~`. */
function tilde(path: string, home: string): string {
  return path === home || path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

export const SEQ_SOURCES: Command<typeof ROW_FLAGS> = {
  name: 'seq sources',
  summary: 'List the agents whose logs seq reads, and where',
  flags: ROW_FLAGS,
  maxOperands: 0,
  text: {
    usage: 'seq sources [--format FORMAT]',
    description:
      'List the agents whose logs seq reads: the name that --source and the rows use, the places it looks when no path is given (environment variables first), and which of them exist on this machine.',
    examples: [
      ['seq sources', 'as a table'],
      ['seq sources --format jsonl', 'as JSON Lines, for scripts'],
    ],
  },
  run(values, _operands, program) {
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
  },
};
