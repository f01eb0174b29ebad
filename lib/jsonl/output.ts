/**
 * Where output goes: stdout, or a file written whole (a replacement beside it, renamed at the
 * end, so that a failed run never leaves half a report in place of the last good one).
 */
import { closeSync, lstatSync, mkdtempSync, openSync, readlinkSync, readSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { errorReason, InputError, isReaderGone } from '../base/errors.js';
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
        else callback(new InputError(`cannot write output: ${errorReason(error)}`));
      });
    },
  });
  return { stream, commit: () => undefined, abort: () => undefined };
}

/**
 * The file that will replace `path` when the run succeeds, removed if the run is interrupted.
 * Through a link, the file it leads to is replaced and the link stays; a pipe or a device
 * (`>(gzip)`, /dev/stdout) is written to at the end, whole, as a file would be put in place.
 */
export function replacementOf(path: string): Replacement {
  let file: Replacement;
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw new InputError(`cannot write ${path}: it is a folder; give the name of a file`);
    file = stat !== undefined && !stat.isFile() ? passedOn(path) : openReplacement(linkedFile(path), 0o666);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write ${path}: ${errorReason(error)}`);
  }
  onInterrupt(() => file.abort());
  return file;
}

/** The file a path names, past its links; a link to nothing names the file it would lead to, which is made (as a shell's > makes it). */
function linkedFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // not there yet
  }
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true ? resolve(dirname(path), readlinkSync(path)) : path;
}

/** Output for a pipe or a device: held in a file of its own, then copied to it when the run succeeds. */
function passedOn(path: string): Replacement {
  const folder = mkdtempSync(join(tmpdir(), 'seq-output-'));
  const held = openReplacement(join(folder, 'output'), 0o600, false);
  const remove = (): void => rmSync(folder, { recursive: true, force: true });
  return {
    temporary: held.temporary,
    write: (text) => held.write(text),
    commit() {
      try {
        held.commit();
        const from = openSync(join(folder, 'output'), 'r');
        const to = openSync(path, 'w');
        try {
          const buffer = Buffer.allocUnsafe(1 << 20);
          for (let n = readSync(from, buffer); n > 0; n = readSync(from, buffer)) {
            for (let done = 0; done < n; ) done += writeSync(to, buffer, done, n - done);
          }
        } finally {
          closeSync(from);
          closeSync(to);
        }
      } finally {
        remove();
      }
    },
    abort() {
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
