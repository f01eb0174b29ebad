/**
 * What ties a file's rows to other files: the identities of its records that a scan matches
 * across files (a copy's repeated records, replays.ts; a request's copies, requests.ts). A file
 * none of whose identities another file has gives the same rows read alone as read with the
 * rest, for a dataset whose rows do not gather a session's files (SessionDatasetImpl
 * gathersSessions), which is what lets a kept table be patched with such a file read again
 * (table-patch.ts). So do a file's parts before and after a read point, where none of the
 * one's identities is the other's (SessionDatasetImpl resumable): a file's own identity
 * (ownFile) is no other file's, and ties its parts wherever both have token snapshots.
 *
 * Identities are kept as 53-bit hashes: two that collide only make two files look tied, which
 * costs a patch, never a wrong row.
 */
import type { LogEvent } from '../sources/common/events.js';
import type { FileLinks, Links } from '../cache/table-file.js';

/** A 53-bit hash of a text (cyrb53, in the public domain), seeded by the kind of identity. */
export function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** `empty`: whether an empty text is an identity too (as it is where the scan matches it: a request's message id, a Codex session). */
function add(out: number[], identity: string | undefined, seed: number, empty: boolean): void {
  if (identity !== undefined && (empty || identity !== '')) out.push(hash53(identity, seed));
}

/**
 * The identity that ties a file's records to the rest of the file (`path`): a token snapshot is
 * counted on from the one before it in the file, whatever its session.
 */
export function ownFile(path: string): number {
  return hash53(path, 5);
}

/** Adds the identities of a record that tie it to other files, each as the scan matches it across files, and to the rest of its file (ownFile). */
export function linksOf(event: LogEvent, out: number[], path: string): void {
  switch (event.kind) {
    case 'tool_call':
    case 'tool_output':
      add(out, event.callId, 1, false);
      break;
    case 'message':
      add(out, event.id, 2, false);
      break;
    case 'token_count':
      add(out, event.session, 3, true);
      out.push(ownFile(path));
      break;
    case 'usage':
      add(out, event.messageId, 4, true);
      // A session's totals count or not by whether another file exports a request of the session.
      if (event.sessionTotals !== undefined || event.exported === true) add(out, event.sessionId, 6, false);
      break;
  }
}

/**
 * A file's identities, each once, ascending: in an array of their own size (a table holds every
 * file's until it is written, and a Codex rollout repeats its one identity at every snapshot).
 */
export function distinct(hashes: readonly number[]): Float64Array {
  const sorted = Float64Array.from(hashes).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  return n === sorted.length ? sorted : sorted.slice(0, n);
}

/** Each file's identities (links.ts), once each, ascending, with all of them together (table-file.ts Links). */
export function linksTogether(byFile: Array<Float64Array | undefined>): Links {
  const { byFile: all, offsets } = fileLinks(byFile.map((hashes) => hashes ?? new Float64Array(0)));
  return { sorted: all.slice().sort(), byFile: all, offsets };
}

/** How many times `hash` is among the sorted hashes. */
export function countOf(sorted: Float64Array, hash: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < hash) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  while (sorted[lo + n] === hash) n++;
  return n;
}

/** The hashes of some files, together, ascending. */
function together(files: Float64Array[]): Float64Array {
  const all = new Float64Array(files.reduce((n, hashes) => n + hashes.length, 0));
  let at = 0;
  for (const hashes of files) {
    all.set(hashes, at);
    at += hashes.length;
  }
  return all.sort();
}

/** The i-th file's identities among `links`. */
function fileOf(links: FileLinks, i: number): Float64Array {
  return links.byFile.subarray(links.offsets[i], links.offsets[i + 1]);
}

/**
 * The identities of a table's files now: those of the files its kept rows were read from
 * (`base`, by those files), but for the files its patch read again (`again`, the identities of
 * `files`, walk indexes ascending). `kept`: per file now, its file in `base` (-1: added since,
 * so read again); undefined where the files are the same. What a file no longer counts for (read
 * again, or gone) is taken from the base's count: no list of every file's identities is made
 * again, nor written with each patch.
 */
export class TableIdentities {
  private readonly index: Map<number, number>;
  /** The base's identities that no longer count (of files read again or gone), and those of the files read again, ascending. */
  private readonly less: Float64Array;
  private readonly more: Float64Array;

  constructor(
    private readonly base: Links,
    private readonly kept: Int32Array | undefined,
    files: readonly number[],
    private readonly again: FileLinks,
  ) {
    this.index = new Map(files.map((file, i) => [file, i]));
    const baseFiles = base.offsets.length - 1;
    const counted = new Uint8Array(baseFiles);
    const now = kept === undefined ? baseFiles : kept.length;
    for (let file = 0; file < now; file++) {
      const from = kept === undefined ? file : (kept[file] as number);
      if (from >= 0 && !this.index.has(file)) counted[from] = 1;
    }
    const dropped: Float64Array[] = [];
    for (let from = 0; from < baseFiles; from++) if (counted[from] === 0) dropped.push(fileOf(base, from));
    this.less = together(dropped);
    this.more = again.byFile.slice().sort();
  }

  /** A file's identities now (a walk index). */
  own(file: number): Float64Array {
    const i = this.index.get(file);
    if (i !== undefined) return fileOf(this.again, i);
    const from = this.kept === undefined ? file : (this.kept[file] as number);
    if (from < 0) throw new Error('a file added since has no identities in the table');
    return fileOf(this.base, from);
  }

  /**
   * Whether a file's identities are those a patch read (its own alone, each: a patch is written
   * only where the files it read again share none, and a later one only where the files it read
   * share none with them).
   */
  patched(file: number): boolean {
    return this.index.has(file);
  }

  /** How many of the files now have this identity. */
  count(hash: number): number {
    return countOf(this.base.sorted, hash) - countOf(this.less, hash) + countOf(this.more, hash);
  }
}

/** Some files' identities, one after another (FileLinks). */
export function fileLinks(files: Float64Array[]): FileLinks {
  const offsets = new Uint32Array(files.length + 1);
  let count = 0;
  files.forEach((hashes, i) => {
    offsets[i] = count;
    count += hashes.length;
  });
  offsets[files.length] = count;
  const byFile = new Float64Array(count);
  files.forEach((hashes, i) => {
    byFile.set(hashes, offsets[i]);
  });
  return { byFile, offsets };
}

/**
 * Whether a file is tied to another: by an identity it had (`own`) or has now (`fresh`), both
 * ascending, counted among every file's but those gone (`count`) and the other changed files'
 * (`others`). `alone`: its identities are known to be its own alone (TableIdentities.patched),
 * so that only those it did not have are counted.
 */
export function tied(count: (hash: number) => number, own: Float64Array, fresh: Float64Array, others: Set<number>, alone: boolean): boolean {
  if (!alone) for (const hash of own) if (count(hash) > 1) return true;
  if (others.size > 0) for (const hash of own) if (others.has(hash)) return true;
  let at = 0;
  for (const hash of fresh) {
    while (at < own.length && (own[at] as number) < hash) at++;
    if (own[at] !== hash && (count(hash) > 0 || others.has(hash))) return true;
  }
  return false;
}

/**
 * How a file read on from a point is tied: by an identity of the rest (`fresh`) or of its first
 * part (`own`) that another file has ('another'), else by one the rest has that its first part
 * has too ('across': a record that goes on across the point, or counters that go on), or not at
 * all. Its first part's identities are known to be its own alone (a patch read it).
 */
export function tiedOn(count: (hash: number) => number, own: Float64Array, fresh: Float64Array, others: Set<number>): 'another' | 'across' | undefined {
  if (others.size > 0) for (const hash of own) if (others.has(hash)) return 'another';
  let across = false;
  let at = 0;
  for (const hash of fresh) {
    while (at < own.length && (own[at] as number) < hash) at++;
    if (own[at] === hash) across = true;
    else if (count(hash) > 0 || others.has(hash)) return 'another';
  }
  return across ? 'across' : undefined;
}

/** Two ascending sets of identities with none in common, together. */
export function union(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.sort();
}
