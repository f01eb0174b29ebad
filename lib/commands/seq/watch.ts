/**
 * `seq watch`: today's usage and the running block's, on the terminal, read again every few
 * seconds as the logs grow. q or Ctrl-C quits, and the terminal is left as it was found. Where
 * the output is no terminal, it prints the screen once.
 */
import type { Command } from '../../base/command.js';
import { sourceFlags } from '../../spec/flags.js';
import { AGENT_NAMES } from '../../sources/agents.js';

const { root, source, project, prices, cost, cache } = sourceFlags(AGENT_NAMES);

export const WATCH_FLAGS = {
  root,
  source,
  project,
  interval: { type: 'string', help: 'Seconds between readings (default 5)' },
  once: { type: 'boolean', help: 'Print the screen once and exit (what it does where the output is no terminal)' },
  prices,
  cost,
  cache,
} as const;

export const SEQ_WATCH: Command<typeof WATCH_FLAGS> = {
  name: 'seq watch',
  summary: "A live view of today's usage and the running block",
  flags: WATCH_FLAGS,
  text: {
    usage: 'seq watch [PATH...] [--source AGENT] [--project PROJECT] [--interval SECONDS] [--once]',
    description:
      "Show today's tokens, cost and requests, and the 5-hour block running now (Claude Code's, as seq blocks makes them, unless --source names another agent) with its time left, burn rate and where that pace leads, read again every few seconds as the logs grow (from the cache, so only what was written since is read). q or Ctrl-C quits and leaves the terminal as it was.",
    examples: [
      ['seq watch', 'every agent'],
      ['seq watch --source claude --interval 2', "Claude Code's, every two seconds"],
      ['seq watch --once', 'the screen once, as text'],
    ],
    epilogue: 'Exit status: 0 quit; 1 (printed once) a log could not be read; 2 a usage error.',
  },
  run: (values, operands, program) => import('./watch-work.js').then((work) => work.runWatch(values, operands, program)),
};
