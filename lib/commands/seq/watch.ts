/**
 * `seq watch`: today's usage and the running block's, on the terminal, read again every few
 * seconds as the logs grow. q or Ctrl-C quits, and the terminal is left as it was found. Where
 * the output is no terminal, it prints the screen once.
 */
import type { Command } from '../../base/command.js';
import { errorReason } from '../../base/errors.js';
import { decimalOption } from '../../reports/run.js';
import { onInterrupt } from '../../base/interrupts.js';
import { CATALOG } from '../../datasets/registry.js';
import { InputProblems } from '../../jsonl/problems.js';
import { now } from '../../time/now.js';
import { recentFigures } from '../../reports/recent.js';
import { watchScreen } from '../../reports/watch-screen.js';
import { truncateToWidth } from '../../stages/formats/width.js';
import { scanSpecOf, sourceFlags } from '../../spec/flags.js';
import { readSpec } from '../../spec/validate.js';

const { root, source, project, prices, cost, cache } = sourceFlags(CATALOG);

const FLAGS = {
  root,
  source,
  project,
  interval: { type: 'string', help: 'Seconds between readings (default 5)' },
  once: { type: 'boolean', help: 'Print the screen once and exit (what it does where the output is no terminal)' },
  prices,
  cost,
  cache,
} as const;

/** Alternate screen and hidden cursor on; both off again. */
const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
const HOME_CLEAR = '\x1b[H\x1b[2J';

/** The screen cut to the terminal: each line to its columns, the lines to its rows, no last newline (it would scroll the first line away). */
function fitted(lines: string[]): string {
  const { columns, rows } = process.stdout;
  return lines
    .slice(0, rows > 0 ? rows : lines.length)
    .map((line) => truncateToWidth(line, columns > 0 ? columns : 80))
    .join('\n');
}

export const SEQ_WATCH: Command<typeof FLAGS> = {
  name: 'seq watch',
  summary: "A live view of today's usage and the running block",
  flags: FLAGS,
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
  async run(values, paths, program) {
    // A timer holds at most 2^31 - 1 ms; past that Node fires it at once.
    const interval = decimalOption(values.interval, 'interval', 5, 'seconds (0.1 to 2147483)', (s) => s >= 0.1 && s <= 2_147_483, 'seq watch');
    const scanOf = (since: string) => scanSpecOf(readSpec({ dataset: 'usage', since, tz: 'local' }, CATALOG), values, paths, CATALOG);
    // A time zone that does not read is a usage error before anything is drawn, not a screen of zeros.
    scanOf(new Date(now()).toISOString());
    const title = `seq watch: ${values.source ?? 'every agent'}${values.project === undefined ? '' : `, project ${values.project}`} (every ${interval}s; q quits)`;
    // Live, what cannot be read is said in the screen's last line (a line on stderr would tear the screen).
    const screen = async (problems = new InputProblems(false, () => undefined)): Promise<string[]> => {
      const at = now();
      try {
        const { recent } = await recentFigures(scanOf, at, { program: program.name, problems, progress: false, cache: values.cache !== false, tables: false });
        return watchScreen(recent, at, title, problems.failed ? 'some logs could not be read' : undefined, values.cost !== false);
      } catch (error) {
        return watchScreen({ today: {}, block: undefined }, at, title, errorReason(error), values.cost !== false);
      }
    };
    const live = process.stdout.isTTY === true && values.once !== true;
    if (!live) {
      // Printed once, as any command prints: each input that could not be read is named on stderr, and the status is 1.
      const problems = new InputProblems(false, program.warn);
      process.stdout.write(`${(await screen(problems)).join('\n')}\n`);
      for (const line of problems.summary()) program.warn(line);
      return problems.failed ? 1 : 0;
    }
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const keys = (data: Buffer): void => {
      if (data.includes(0x71) || data.includes(0x51) || data.includes(0x03)) stop();
    };
    const input = process.stdin;
    if (input.isTTY) input.setRawMode(true);
    input.on('data', keys);
    input.resume();
    // A signal from outside the terminal (kill, a closed terminal) ends the program at once: the terminal first.
    let restored = false;
    const restore = (): void => {
      if (restored) return;
      restored = true;
      process.stdout.write(LEAVE);
      if (input.isTTY) input.setRawMode(false);
    };
    onInterrupt(restore);
    process.stdout.write(ENTER);
    // A terminal made smaller or larger gets the last screen again, fitted to it.
    let shown: string[] = [];
    const draw = (): void => {
      process.stdout.write(`${HOME_CLEAR}${fitted(shown)}`);
    };
    process.stdout.on('resize', draw);
    try {
      let done = false;
      void stopped.then(() => {
        done = true;
      });
      while (!done) {
        const lines = await screen();
        if (done) break;
        shown = lines;
        draw();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, interval * 1000)))]);
        clearTimeout(timer);
      }
    } finally {
      process.stdout.off('resize', draw);
      restore();
      input.off('data', keys);
      input.pause();
    }
    return 0;
  },
};
