/**
 * Where output goes: stdout, or a file written whole (a replacement beside it, renamed at the
 * end, so that a failed run never leaves half a report in place of the last good one).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { errorReason, InputError, isReaderGone, OutputError } from '../base/errors.js';
import { onInterrupt } from '../base/interrupts.js';
import { openReplacement, type Replacement } from '../storage/atomic-write.js';

export interface Output {
  stream: Writable;
  /** The file written (undefined for stdout). */
  path?: string;
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
        else callback(new OutputError(errorReason(error)));
      });
    },
  });
  return { stream, commit: () => undefined, abort: () => undefined };
}

/** A descriptor the process was given (/dev/stdout, /dev/fd/3, /proc/self/fd/1): written to as it is, never replaced. */
const GIVEN_DESCRIPTOR = /^\/(?:dev\/(?:stdout|stderr|fd\/\d+)|proc\/[^/]+\/fd\/\d+)$/;

/**
 * The file that will replace `path` when the run succeeds, removed if the run is interrupted.
 * Through a link, the file it leads to is replaced and the link stays; a pipe, a device or a
 * descriptor given (`>(gzip)`, /dev/null, /dev/stdout) is opened now and written to at the end,
 * whole, as a file would be put in place.
 */
export function replacementOf(path: string): Replacement {
  let file: Replacement;
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw new InputError(`cannot write ${path}: it is a folder; give the name of a file`);
    const given = GIVEN_DESCRIPTOR.test(resolve(path)) || (stat !== undefined && !stat.isFile());
    file = given ? passedOn(path) : openReplacement(path, 0o666);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
  }
  onInterrupt(() => file.abort());
  return file;
}

/**
 * Output for a pipe, a device or a descriptor: opened now (to append: a shell's >> is kept, and
 * its > emptied the file already), held in a file of its own, then copied to it when the run
 * succeeds.
 */
function passedOn(path: string): Replacement {
  const to = openSync(path, 'a');
  const folder = mkdtempSync(join(tmpdir(), 'seq-output-'));
  const held = openReplacement(join(folder, 'output'), 0o600, false);
  const remove = (): void => {
    rmSync(folder, { recursive: true, force: true });
    closeSync(to);
  };
  let done = false;
  return {
    temporary: held.temporary,
    write: (text) => held.write(text),
    commit() {
      done = true;
      try {
        held.commit();
        const from = openSync(join(folder, 'output'), 'r');
        try {
          const buffer = Buffer.allocUnsafe(1 << 20);
          for (let n = readSync(from, buffer); n > 0; n = readSync(from, buffer)) {
            for (let written = 0; written < n; ) written += writeSync(to, buffer, written, n - written);
          }
        } catch (error) {
          // A pipe whose reader has gone (`--output /dev/stdout | head`) wants no more: not an error.
          if (!isReaderGone(error)) throw error;
        } finally {
          closeSync(from);
        }
      } finally {
        remove();
      }
    },
    abort() {
      if (done) return;
      done = true;
      held.abort();
      remove();
    },
  };
}

/** A report file: written beside the old one and renamed over it only when the run succeeds. */
export function fileOutput(path: string): Output {
  const file = replacementOf(path);
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      try {
        file.write(chunk);
        callback();
      } catch (error) {
        callback(new InputError(`cannot write ${path}: ${errorReason(error)}`));
      }
    },
  });
  return {
    stream,
    path,
    commit() {
      try {
        file.commit();
      } catch (error) {
        file.abort();
        throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
      }
    },
    abort: () => file.abort(),
  };
}

/**
 * Ends a run's output: a file is put in place only when every input was read, so that a run
 * that fails (status 1) leaves the last good one; it says so.
 */
export function endOutput(output: Output, failed: boolean, warn: (message: string) => void): void {
  if (!failed) {
    output.commit();
    return;
  }
  output.abort();
  if (output.path !== undefined) warn(`${output.path} was not written, as an input could not be read (above); a file already there is left as it was`);
}

/** The output a command writes to: the file given, else stdout. */
export function openOutput(path: string | undefined): Output {
  return path === undefined ? stdoutOutput() : fileOutput(path);
}
