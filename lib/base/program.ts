/**
 * What every executable does around its own work: report errors as one line for a person, map
 * them to exit statuses (2 usage or spec, 1 other), stop quietly when stdout's reader goes away,
 * and never cut output short: the exit status is set and the process ends when output is drained.
 */
import { writeSync } from 'node:fs';
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

/**
 * What waits for stdout's stream while Node has not made it: Node makes it at its first use, and
 * until then the getter below stands in for Node's. Undefined once it is made, or where it cannot
 * be waited for (stdout is not Node's getter: a test's, or one that cannot be redefined).
 */
let waiting: Array<(stdout: NodeJS.WriteStream) => void> | undefined;
/** Whether Node made this process's stdout stream (after `waiting`). */
let stdoutSeen = false;

/**
 * Calls `use` with stdout's stream when Node makes it, at its first use: a run that prints only
 * its version does not load Node's streams (milliseconds of every such start).
 */
function whenStdoutMade(use: (stdout: NodeJS.WriteStream) => void): void {
  if (waiting !== undefined) {
    waiting.push(use);
    return;
  }
  const made = Object.getOwnPropertyDescriptor(process, 'stdout');
  const get = made?.get;
  if (made === undefined || get === undefined || made.configurable !== true || stdoutSeen) {
    use(process.stdout);
    return;
  }
  const users = [use];
  waiting = users;
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: made.enumerable ?? false,
    get() {
      const stdout = get.call(process) as NodeJS.WriteStream;
      Object.defineProperty(process, 'stdout', made);
      waiting = undefined;
      stdoutSeen = true;
      for (const user of users) user(stdout);
      return stdout;
    },
  });
}

/**
 * Prints a short text (the help, the version) on stdout: while Node's stream is not made, to
 * stdout's file descriptor at once, without making it; else through it, after what was written
 * to it. What the descriptor does not take (a full pipe, a closed one) goes through the stream,
 * whose errors every output has handled alike.
 */
export function printText(text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (waiting !== undefined && written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    // the stream says what went wrong
  }
  if (written < bytes.length) process.stdout.write(bytes.subarray(written));
}

/** Runs a command's body with the shared error handling; resolves when the body is done. */
export async function runProgram(name: string, body: (program: Program) => Promise<number | undefined>): Promise<void> {
  // Write errors reach the writer's callback too, and an output stream reports them there (an
  // OutputError); what wrote to stdout directly (help, a page of text) has it said here, at exit.
  let stdoutFailed: Error | undefined;
  let said = false;
  whenStdoutMade((stdout) =>
    stdout.on('error', (error) => {
      if (isReaderGone(error)) readerGone();
      stdoutFailed ??= error;
      process.exitCode = EXIT_FAILURE;
    }),
  );
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
