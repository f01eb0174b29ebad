/**
 * What every executable does around its own work: report errors as one line for a person, map
 * them to exit statuses (2 usage or spec, 1 other), stop quietly when stdout's reader goes away,
 * and never cut output short: the exit status is set and the process ends when output is drained.
 */
import { escapeControls } from './control.js';
import { interrupted, STOPPING_SIGNALS } from './interrupts.js';
import { errorReason, EXIT_FAILURE, EXIT_USAGE, InputError, isReaderGone, OutputError, SpecError, UsageError } from './errors.js';

export interface Program {
  name: string;
  /** Prints a line on stderr, prefixed with the program's name. */
  warn(message: string): void;
}

function readerGone(): never {
  // stdout is closed, so nothing is buffered for it; stop at once and quietly, as `cat | head` does.
  process.exit(0);
}

export function messageFor(name: string, error: unknown): { text: string; status: number } {
  if (error instanceof UsageError) {
    return { text: `${name}: ${error.message}${error.hint ? `; ${error.hint}` : ` (see ${error.command ?? name} --help)`}`, status: EXIT_USAGE };
  }
  if (error instanceof SpecError) return { text: `${name}: ${error.message}`, status: EXIT_USAGE };
  if (error instanceof InputError) return { text: `${name}: ${error.message}`, status: EXIT_FAILURE };
  const detail = error instanceof Error ? (process.env.SEQ_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
  return { text: `${name}: unexpected error: ${detail} (please report it; SEQ_DEBUG=1 shows where)`, status: EXIT_FAILURE };
}

/** Runs a command's body with the shared error handling; resolves when the body is done. */
export async function runProgram(name: string, body: (program: Program) => Promise<number | undefined>): Promise<void> {
  // Write errors reach the writer's callback too, and an output stream reports them there (an
  // OutputError); what wrote to stdout directly (help, a page of text) has it said here, at exit.
  let stdoutFailed: Error | undefined;
  let said = false;
  process.stdout.on('error', (error) => {
    if (isReaderGone(error)) readerGone();
    stdoutFailed ??= error;
    process.exitCode = EXIT_FAILURE;
  });
  process.once('exit', () => {
    if (stdoutFailed !== undefined && !said) process.stderr.write(`${name}: ${escapeControls(new OutputError(errorReason(stdoutFailed)).message)}\n`);
  });
  for (const signal of Object.keys(STOPPING_SIGNALS) as Array<keyof typeof STOPPING_SIGNALS>) process.on(signal, () => interrupted(signal));
  const program: Program = {
    name,
    warn: (message) => {
      // Messages quote logs (a model's name, a path): a control character in one is shown, not sent to the terminal.
      process.stderr.write(`${name}: ${escapeControls(message, true)}\n`);
    },
  };
  try {
    const status = await body(program);
    // Output that could not be written fails the run, whatever the body made of its input.
    if (typeof status === 'number') process.exitCode = stdoutFailed !== undefined ? Math.max(status, EXIT_FAILURE) : status;
  } catch (error) {
    if (isReaderGone(error)) readerGone();
    if (error instanceof OutputError) said = true;
    const { text, status } = messageFor(name, error);
    process.stderr.write(`${escapeControls(text, true)}\n`);
    process.exitCode = status;
  }
}
