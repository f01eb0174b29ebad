/**
 * The one way a file is replaced (the run store, a pending token file, Claude Code's settings,
 * the cache's index, a report written with --output): written to a temporary file in the same
 * folder (so the rename cannot cross filesystems), flushed, then renamed over the old one. A
 * failure or an abort leaves the old file as it was and no temporary file behind. The mode is
 * kept from the file replaced, else `mode`. Through a link, the file it leads to is replaced and
 * the link stays (a store or settings file kept in a dotfiles folder and linked).
 */
import { closeSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../base/errors.js';

/** The file a path names, past its links; a link to nothing names the file it would lead to, which is made (as a shell's > makes it). */
export function linkedFile(path: string): string {
  let target = path;
  for (let links = 0; links < 40; links++) {
    try {
      return realpathSync(target);
    } catch {
      // not there yet
    }
    if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return target;
    target = resolve(dirname(target), readlinkSync(target));
  }
  throw new InputError(`cannot write ${path}: it is a link in a loop of links`);
}

/** A file being written beside the one it will replace. */
export interface Replacement {
  /** The file being written, for a writer of its own (DuckDB writing Parquet) to write instead. */
  readonly temporary: string;
  /** Appends; writeFileSync goes on after a short write (a nearly full disk) and throws when no byte fits. */
  write(text: string | Buffer): void;
  /** Flushes and renames it over the old file. */
  commit(): void;
  /** Removes what was written; the old file stays. Safe to call more than once, and after commit. */
  abort(): void;
}

/**
 * `flush`: make the file durable before the rename (off only for a file that is checked when
 * read, so that one a crash left short is read as none: a kept table).
 */
export function openReplacement(named: string, mode: number, flush = true): Replacement {
  const path = linkedFile(named);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let keep = mode;
  try {
    keep = statSync(path).mode & 0o777;
  } catch {
    // a new file
  }
  let fd: number | undefined = openSync(temporary, 'w', keep);
  let done = false;
  const close = (): void => {
    if (fd !== undefined) {
      const open = fd;
      fd = undefined;
      closeSync(open);
    }
  };
  return {
    temporary,
    write(text) {
      if (fd === undefined) throw new Error(`${path}: written after it was closed`);
      writeFileSync(fd, text);
    },
    commit() {
      if (fd !== undefined && flush) fsyncSync(fd);
      close();
      renameSync(temporary, path);
      done = true;
    },
    abort() {
      close();
      if (done) return;
      done = true;
      try {
        unlinkSync(temporary);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Replaces `path` with `text`, which may come in pieces (the cache's index: a line per file),
 * written a megabyte at a time. `flush`: as openReplacement's.
 */
export function writeFileAtomically(path: string, text: string | Iterable<string>, mode: number, flush = true): void {
  const file = openReplacement(path, mode, flush);
  try {
    if (typeof text === 'string') {
      file.write(text);
    } else {
      let chunk = '';
      for (const piece of text) {
        chunk += piece;
        if (chunk.length >= 1 << 20) {
          file.write(chunk);
          chunk = '';
        }
      }
      file.write(chunk);
    }
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
