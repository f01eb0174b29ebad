/**
 * Writing the cache's index (index-file.ts reads it): whole, from merged lines, or around a
 * few news, the lines between them copied from the newest index as bytes. Either way its last
 * line says how many bytes of each segment its entries use, which a save needs (segments no
 * entry uses are removed, those mostly unused are compacted) and which a write around news
 * learns without reading every line. Neither is flushed before its rename: each line is checked
 * when read, and one that a crash left damaged is read as none.
 */
import { checkOf, lineWhere } from './entry.js';
import { type IndexReader, isDrop, type LineFile, readAt } from './index-file.js';
import { walkOrder } from '../sources/files.js';
import { openReplacement, writeFileAtomically } from '../storage/atomic-write.js';

/** The most news (entries and drops) a save keeps beside the index (index-news.ts); with more it writes the index again, and with more than this of its own, merges it line by line. */
export const FEW_NEWS = 256;
/** The most of an index's end that is read for its last line. */
const TAIL_READ = 64 << 10;

/** The bytes each segment's entries use, where the line that says so begins in its file, and that line's check. */
export interface Usage {
  bytes: Map<string, number>;
  at: number;
  check: string;
}

/** An index's last line: the bytes each segment's entries use, as JSON, and its CRC-32 (no path: it is no entry). */
export function usageLine(bytes: Map<string, number>): string {
  const json = JSON.stringify(Object.fromEntries([...bytes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return `!${json}\t${checkOf(json)}`;
}

/** What the last line of `tail` (the end of a file, from its byte `offset`) says of the segments (undefined: it says nothing that checks). */
export function lastUsage(tail: Buffer, offset: number): Usage | undefined {
  if (tail.length === 0 || tail[tail.length - 1] !== 10) return undefined;
  const from = tail.lastIndexOf(10, tail.length - 2) + 1;
  const line = tail.toString('utf8', from, tail.length - 1);
  const tab = line.lastIndexOf('\t');
  const check = line.slice(tab + 1);
  if (line[0] !== '!' || tab < 0 || checkOf(line.slice(1, tab)) !== check) return undefined;
  let counts: unknown;
  try {
    counts = JSON.parse(line.slice(1, tab));
  } catch {
    return undefined; // it checks, yet is no JSON of ours
  }
  const bytes = new Map<string, number>();
  for (const [name, n] of Object.entries(counts as Record<string, unknown>)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return undefined;
    bytes.set(name, n);
  }
  return { bytes, at: offset + from, check };
}

/** What an index's last line says of the segments (undefined: it says nothing that checks, or there is no such line). */
export function indexUsage(index: IndexReader): Usage | undefined {
  const length = Math.min(TAIL_READ, index.size - index.start);
  return lastUsage(readAt(index.fd, length, index.size - length), index.size - length);
}

/** Counts a line's events in (`sign` 1) or out (-1) of the bytes each segment's entries use. */
export function useLine(bytes: Map<string, number>, line: string, sign: 1 | -1): void {
  const where = lineWhere(line);
  if (where === undefined) return;
  const n = (bytes.get(where.segment) ?? 0) + sign * where.length;
  if (n > 0) bytes.set(where.segment, n);
  else bytes.delete(where.segment);
}

/** Writes an index of these lines, atomically, and its last line; returns the bytes each segment has in it. */
export function writeIndex(path: string, head: string, lines: Iterable<string>): Map<string, number> {
  const usage = new Map<string, number>();
  const text = function* (): Generator<string> {
    yield head;
    for (const line of lines) {
      useLine(usage, line, 1);
      yield `${line}\n`;
    }
    yield `${usageLine(usage)}\n`;
  };
  writeFileAtomically(path, text(), 0o600, false);
  return usage;
}

/**
 * Writes an index with a few news (by path, its line or a drop: the file is gone): the lines
 * between them copied from the newest as bytes. Returns the bytes each segment has in it;
 * undefined where it was not written (the newest does not say what its entries use, or is out
 * of order).
 */
export function writeAround(path: string, head: string, newest: IndexReader, news: Map<string, string>): Map<string, number> | undefined {
  const was = indexUsage(newest);
  if (was === undefined) return undefined;
  const bytes = new Map(was.bytes);
  const file = openReplacement(path, 0o600, false);
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let from = newest.start;
    const copy = (to: number): void => {
      for (; from < to; ) {
        const chunk = readAt(newest.fd, Math.min(buffer.length, to - from), from, buffer);
        if (chunk.length === 0) throw new Error('the index ended early');
        file.write(chunk);
        from += chunk.length;
      }
    };
    file.write(head);
    for (const path of [...news.keys()].sort(walkOrder)) {
      newest.seek(path);
      const current = newest.current;
      const at = current === undefined ? was.at : current.start;
      if (at < from || at > was.at) {
        file.abort();
        return undefined;
      }
      copy(at);
      // A path's news stand for its line (a drop for none).
      const line = news.get(path) as string;
      if (current?.path === path) {
        useLine(bytes, current.text, -1);
        from = current.end;
      }
      if (!isDrop(line)) {
        file.write(`${line}\n`);
        useLine(bytes, line, 1);
      }
    }
    copy(was.at);
    file.write(`${usageLine(bytes)}\n`);
    file.commit();
    return bytes;
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** A journal's news, the last of each path's; undefined when there are more than `most`. */
export function fewNews(runs: LineFile[], most: number): Map<string, string> | undefined {
  const news = new Map<string, string>();
  for (const run of runs) {
    for (let line = run.next(); line !== undefined; line = run.next()) {
      news.set(line.path, line.text);
      if (news.size > most) return undefined;
    }
  }
  return news;
}
