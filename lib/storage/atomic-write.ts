/**
 * The one way the run analytics write a file (the store, a pending token file, Claude Code's
 * settings): to a temporary file in the same folder (so the rename cannot cross filesystems),
 * flushed, then renamed over the old one. A failure leaves the old file as it was and no
 * temporary file behind. The mode is kept from the file replaced, else `mode`. `text` may come
 * in pieces, made as they are written (the cache's index: a line per file), a megabyte at a time.
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomically(path: string, text: string | Iterable<string>, mode: number): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let keep = mode;
  try {
    keep = statSync(path).mode & 0o777;
  } catch {
    // a new file
  }
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w', keep);
    // writeFileSync goes on after a short write (a nearly full disk) and throws when no byte fits.
    if (typeof text === 'string') {
      writeFileSync(fd, text);
    } else {
      let chunk = '';
      for (const piece of text) {
        chunk += piece;
        if (chunk.length >= 1 << 20) {
          writeFileSync(fd, chunk);
          chunk = '';
        }
      }
      writeFileSync(fd, chunk);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
    throw error;
  }
}
