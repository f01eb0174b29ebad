/** What `seq watch` runs: its declaration (watch.ts) loads this when it runs. */
import { errorReason } from '../../base/errors.js';
import { decimalOption } from '../../reports/run.js';
import { onInterrupt } from '../../base/interrupts.js';
import { CATALOG } from '../../datasets/registry.js';
import { InputProblems } from '../../jsonl/problems.js';
import { now } from '../../time/now.js';
import { recentFigures } from '../../reports/recent.js';
import { watchScreen } from '../../reports/watch-screen.js';
import { truncateToWidth } from '../../stages/formats/width.js';
import { readSpec } from '../../spec/validate.js';
import type { WATCH_FLAGS } from './watch.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { scanSpecOf } from '../../spec/from-flags.js';

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

export async function runWatch(values: Values<typeof WATCH_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
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
}
