/**
 * Where output goes: stdout, or a file written whole (to a temporary file beside it, renamed at
 * the end, so that a failed run never leaves half a report in place of the last good one).
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { errorReason, InputError, isReaderGone } from '../base/errors.js';
import { onInterrupt } from '../base/interrupts.js';

export interface Output {
  stream: Writable;
  /** Makes the output final (renames the file into place). */
  commit(): void;
  /** Throws away what was written (removes the temporary file). */
  abort(): void;
}


/** Text to stdout, one write at a time, each waiting for the last: backpressure is respected. */
export function stdoutOutput(stdout: NodeJS.WriteStream | Writable = process.stdout): Output {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      stdout.write(chunk, (error) => {
        if (!error || isReaderGone(error)) callback(error ?? null);
        else callback(new InputError(`cannot write output: ${errorReason(error)}`));
      });
    },
  });
  return { stream, commit: () => undefined, abort: () => undefined };
}

export function fileOutput(path: string): Output {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'w');
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
  }
  let closed = false;
  onInterrupt(() => {
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed or removed
    }
  });
  const close = (): void => {
    if (!closed) {
      closed = true;
      closeSync(fd);
    }
  };
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      try {
        if (typeof chunk === 'string') writeSync(fd, chunk);
        else writeSync(fd, chunk);
        callback();
      } catch (error) {
        callback(new InputError(`cannot write ${path}: ${errorReason(error)}`));
      }
    },
  });
  return {
    stream,
    commit() {
      close();
      try {
        renameSync(temporary, path);
      } catch (error) {
        throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
      }
    },
    abort() {
      close();
      try {
        unlinkSync(temporary);
      } catch {
        // already gone
      }
    },
  };
}

/** The output a command writes to: the file given, else stdout. */
export function openOutput(path: string | undefined): Output {
  return path === undefined ? stdoutOutput() : fileOutput(path);
}
