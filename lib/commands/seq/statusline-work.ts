/** What `seq statusline` runs: its declaration (statusline.ts) loads this when it runs. */
import { readFileSync } from 'node:fs';
import { errorReason, UsageError } from '../../base/errors.js';
import { ownCommand } from '../../base/shell.js';
import { InputProblems } from '../../jsonl/problems.js';
import { now } from '../../time/now.js';
import { readStatusInput, statusFigures, statusText } from '../../reports/statusline.js';
import { userSettingsPath } from '../../runs/claude-settings.js';
import { installStatusLine } from '../../runs/install-status-line.js';
import type { STATUSLINE_FLAGS } from './statusline.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';

export async function runStatusline(values: Values<typeof STATUSLINE_FLAGS>, _operands: string[], program: Program): Promise<number | undefined> {
  if (values.install === true) {
    if (values.settings === '') throw new UsageError('--settings: no file named', 'give the settings file, or leave --settings out for the default');
    const settings = values.settings ?? userSettingsPath();
    process.stdout.write(`${installStatusLine(settings, `${ownCommand('seq')} statusline`)}\n`);
    return 0;
  }
  if (values.settings !== undefined) throw new UsageError('--settings is for --install', 'seq statusline --install --settings FILE');
  try {
    const input = readStatusInput(process.stdin.isTTY ? '' : readFileSync(0, 'utf8'));
    // Logs that could not be read make the figures short: the line says so, stderr names them, the status is 1.
    const problems = new InputProblems(false, program.warn);
    const figures = await statusFigures(input, now(), problems);
    process.stdout.write(`${statusText(input, figures)}${problems.failed ? ' | some logs could not be read' : ''}\n`);
    for (const line of problems.summary()) program.warn(line);
    return problems.failed ? 1 : 0;
  } catch (error) {
    // The line is the user's prompt: a reason, never a stack trace.
    process.stdout.write(`seq: ${errorReason(error)}\n`);
    if (process.env.SEQ_DEBUG === '1') program.warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
