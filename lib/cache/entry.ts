/** One file's entry in a cache index: what it records, its index line, and the file's fingerprints. */
import { closeSync, openSync } from 'node:fs';
import type { ReadPoint } from '../sources/session-reader.js';
import { linePath, readAt } from './index-file.js';
import { HEAD_BYTES, TAIL_BYTES, type FileEdges } from '../sources/lines.js';
import { crc32 } from 'node:zlib';
import { nodeCrypto } from '../base/builtins.js';

/** What the cache knows of one file. */
export interface Entry {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** Changed by chmod, by a file restored with its old mtime, by any write: an unchanged file keeps it. */
  ctimeMs: number;
  /** Where the events are: a segment file of the folder, a byte range of it, its CRC-32. */
  segment: string;
  start: number;
  length: number;
  sum: string;
  /** Where the read stopped (a file grown since is read on from here), and what the reader knew. */
  point: ReadPoint;
  /** Digests of the file's first bytes and of those before the point: a grown file must still have them. */
  head: string;
  tail: string;
}

/** What tells one file's bytes from another's (its fingerprints): a SHA-1, shortened. */
export const digest = (data: string | Uint8Array): string => nodeCrypto().hash('sha1', data, 'hex').slice(0, 20);

/**
 * What finds damage (a write cut short, a flipped bit) in an index line or an entry's events:
 * a CRC-32, as 8 hex digits; `crc`: that of the bytes before these, to check bytes in pieces.
 */
export function checkOf(data: string | Uint8Array, crc = 0): string {
  return hexCrc(crc32(data, crc));
}

export function hexCrc(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

/**
 * An entry's index line (without its newline): the path as JSON, where its events are (segment,
 * start, length), the rest as a JSON array, and a check of all that, separated by tabs (JSON
 * has none of its own). Lines stay text until their entry is looked up: an index holds a line
 * per file of the user's history, and a save needs only where each entry's events are.
 */
export function entryLine(entry: Entry): string {
  const json = `${JSON.stringify(entry.path)}\t${entry.segment}\t${entry.start}\t${entry.length}\t${JSON.stringify([entry.size, entry.mtimeMs, entry.ino, entry.ctimeMs, entry.sum, entry.point, entry.head, entry.tail])}`;
  return `${json}\t${checkOf(json)}`;
}

/** Where a line's events are, read without decoding the rest; undefined for a damaged line. */
export function lineWhere(line: string): { segment: string; start: number; length: number } | undefined {
  const [, segment, start, length] = line.split('\t', 4);
  const where = { segment: segment ?? '', start: Number(start), length: Number(length) };
  return Number.isSafeInteger(where.start) && Number.isSafeInteger(where.length) && where.start >= 0 && where.length >= 0 ? where : undefined;
}

/** An index line back, or undefined when it is damaged (its check does not hold). */
export function parseEntryLine(line: string): Entry | undefined {
  const last = line.lastIndexOf('\t');
  const path = linePath(line);
  const where = lineWhere(line);
  if (path === undefined || where === undefined) return undefined;
  const json = line.slice(0, last);
  if (checkOf(json) !== line.slice(last + 1)) return undefined;
  try {
    const [size, mtimeMs, ino, ctimeMs, sum, point, head, tail] = JSON.parse(json.slice(json.lastIndexOf('\t') + 1)) as [
      number,
      number,
      number,
      number,
      string,
      ReadPoint,
      string,
      string,
    ];
    return { path, ...where, size, mtimeMs, ino, ctimeMs, sum, point, head, tail };
  } catch {
    return undefined;
  }
}

export function edgeMarks(edges: FileEdges): { head: string; tail: string } {
  return { head: digest(edges.head), tail: digest(edges.tail) };
}

/** The fingerprints of a file at a point, read from it: its first bytes, and the bytes just before the point. */
export function fingerprints(path: string, offset: number): { head: string; tail: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = readAt(fd, Math.min(HEAD_BYTES, offset), 0);
    const tailStart = Math.max(0, offset - TAIL_BYTES);
    return edgeMarks({ head, tail: readAt(fd, offset - tailStart, tailStart) });
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a lookup found: the entry, and whether the file grew by appending since (read on from its point). */
export interface Hit {
  entry: Entry;
  grown: boolean;
}
