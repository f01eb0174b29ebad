/**
 * The walk a scan makes before it reads: its roots walked, every file stat'ed, and a digest of
 * all it found, which a kept table (table-scan.ts) must have been read from to stand.
 *
 * A folder whose stat has not changed since a table listed it is not read again: its entries are
 * the listing's, unless it was changed so shortly before that listing that a change after it
 * could have kept the same time. Where every folder is as listed (and the walk told nothing and
 * met no link), the walk is not done again at all: it would find the table's files in the
 * table's order, so only their stats are taken (retraced).
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { join, normalize } from 'node:path';
import { errorReason } from '../base/errors.js';
import { textHash128 } from '../base/hash128.js';
import type { ProblemCall } from '../jsonl/problems.js';
import type { Listing, Retrace, StoredTable } from '../cache/table-file.js';
import { type FolderEntries, listFolder, type ListFolder, walkOrder } from '../sources/files.js';
import { copyOf, findSessionFiles, isLogFile } from '../sources/session-files.js';
import { logStat, type LogStat } from '../sources/session-reader.js';

/** How much older than its listing a folder's last change must be for the listing to be trusted without reading it. */
const SETTLED_MS = 2000;

/** What the walk met, in its order: a root begun (undefined: the walk is over), a file, something told. */
export type WalkItem = { root: string | undefined } | { file: string; stat: number } | { told: ProblemCall };

/** A walk of the roots done before the scan, with the digest of all it found. */
export interface Walk {
  /** A file's `stat` is where its size, modification and change times and inode are in `stats` (-1: it could not be stat'ed). */
  items: WalkItem[];
  /** Its files, in its order, and what it told (the items' own, without going through them). */
  paths: string[];
  told: ProblemCall[];
  /** Four numbers per file, in walk order (NaN for a file that could not be stat'ed). */
  stats: Float64Array;
  digest: string;
  /** The digest of what it found but the files' stats: its roots, paths and what it told. */
  text: string;
  files: number;
  bytes: number;
  /** The folders' listings, for the next table (decoded when asked for, where they are a kept table's). */
  listings(): Map<string, Listing>;
  /** Whether the listings are the kept table's own. */
  keptListings: boolean;
  /** What lets the next walk be retraced, where it may be. */
  retrace: Retrace | undefined;
}

/** Whether a folder's stat is the one it had when it was listed. */
function asListed(stat: Stats, mtimeMs: number, ctimeMs: number, ino: number): boolean {
  return stat.mtimeMs === mtimeMs && stat.ctimeMs === ctimeMs && stat.ino === ino;
}

/** Whether a folder's listing can be trusted while its stat is as it was: it was last changed well before it was listed. */
function settled(mtimeMs: number, ctimeMs: number, listedAt: number): boolean {
  return Math.max(mtimeMs, ctimeMs) < listedAt - SETTLED_MS;
}

/** Lists folders through the kept listings where a folder is as it was; keeps every listing it gives for the next table. */
function listingsFrom(kept: Map<string, Listing> | undefined, listings: Map<string, Listing>): ListFolder {
  return (folder) => {
    const stat = statSync(folder);
    const old = kept?.get(folder);
    if (old !== undefined && asListed(stat, old.mtimeMs, old.ctimeMs, old.ino) && settled(old.mtimeMs, old.ctimeMs, old.listedAt)) {
      listings.set(folder, old);
      return old;
    }
    const listedAt = Date.now();
    const entries = listFolder(folder);
    listings.set(folder, { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, listedAt, ...entries });
    return entries;
  };
}

/** The digest of a walk: of its text's digest and its files' stats. */
function walkDigest(text: string, stats: Float64Array): string {
  return textHash128(text, new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength));
}

/** Each root's real path (undefined where one has none: the walk tells of it). */
function realPaths(roots: string[]): string[] | undefined {
  try {
    return roots.map((root) => realpathSync(root));
  } catch {
    return undefined;
  }
}

/** Walks the roots, stats every file, and digests it all (what a kept table must have been read from). */
export function walkRoots(roots: string[], kept: Map<string, Listing> | undefined): Walk {
  // Taken before the walk: a root's link changed meanwhile makes the next retrace fail, not pass.
  const reals = realPaths(roots);
  const items: WalkItem[] = [];
  const paths: string[] = [];
  const toldCalls: ProblemCall[] = [];
  const marks: Array<[string, number]> = [];
  let failed = false;
  const listings = new Map<string, Listing>();
  // What the walk found, as text (names, what it told) and numbers (each file's stat): written
  // as numbers, they cost no conversion to text.
  let text = '';
  let numbers = new Float64Array(4096);
  let count = 0;
  let files = 0;
  let bytes = 0;
  const told = (call: ProblemCall): void => {
    items.push({ told: call });
    toldCalls.push(call);
    text += `T${JSON.stringify(call)}\n`;
  };
  const problems = {
    notice: (message: string) => told(['notice', message]),
    unreadable: (path: string, reason: string) => told(['unreadable', path, reason]),
  };
  const onRoot = (root: string | undefined): void => {
    items.push({ root });
    if (root !== undefined) marks.push([root, files]);
    text += `R${root ?? ''}\n`;
  };
  for (const file of findSessionFiles(roots, problems, onRoot, listingsFrom(kept, listings))) {
    files++;
    if (count + 4 > numbers.length) {
      const more = new Float64Array(numbers.length * 2);
      more.set(numbers);
      numbers = more;
    }
    let at = -1;
    try {
      const stat = logStat(file);
      at = count;
      bytes += stat.size;
      text += `F${file}\n`;
      numbers[count++] = stat.size;
      numbers[count++] = stat.mtimeMs;
      numbers[count++] = stat.ctimeMs;
      numbers[count++] = stat.ino;
    } catch (error) {
      failed = true;
      text += `E${file}\u0000${errorReason(error)}\n`;
      numbers.fill(Number.NaN, count, count + 4);
      count += 4;
    }
    items.push({ file, stat: at });
    paths.push(file);
  }
  const stats = numbers.subarray(0, count);
  const textDigest = textHash128(text);
  const retraceable = reals !== undefined && !failed && toldCalls.length === 0 && [...listings.values()].every((l) => !l.kinds.includes('l'));
  return {
    items,
    paths,
    told: toldCalls,
    stats,
    digest: walkDigest(textDigest, stats),
    text: textDigest,
    files,
    bytes,
    listings: () => listings,
    keptListings: false,
    retrace: retraceable ? { reals, marks } : undefined,
  };
}

/** The most folders a retrace lists again (those changed since they were listed); past that, the roots are walked. */
const MOST_LISTED_AGAIN = 16;

/** Whether a folder is one the walk of `root` lists (the root's own, or one under it, named as the walk names it). */
function listedUnder(folder: string, root: string): boolean {
  const base = normalize(root);
  return folder === root || folder === base || folder.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/** Whether two listings have the same folders and links, by name and in order (their files may differ). */
function sameFolders(a: FolderEntries, b: FolderEntries): boolean {
  const others = (entries: FolderEntries): string =>
    JSON.stringify(entries.names.flatMap((name, i) => (entries.kinds[i] === 'd' || entries.kinds[i] === 'l' ? [entries.kinds[i], name] : [])));
  return others(a) === others(b);
}

/** The log files of a listing, by name. */
function logFiles(entries: FolderEntries): Set<string> {
  return new Set(entries.names.filter((name, i) => entries.kinds[i] === 'f' && isLogFile(name)));
}

/**
 * Puts the log files that came to a folder among the walk's files, at their places, and takes
 * out those gone, moving the marks of the roots after them. False where a walk is needed to know
 * (a copy of a Codex rollout, a root left without files, a root's files not in walk order).
 * `archived`: per root (by its mark), how many archived rollouts end its files, once counted.
 */
function moved(paths: string[], marks: Array<[string, number]>, folder: string, added: string[], gone: string[], archived: Map<number, number>): boolean {
  const k = marks.findIndex(([root]) => listedUnder(folder, root));
  if (k < 0 || marks.findIndex(([root], j) => j > k && listedUnder(folder, root)) >= 0) return false;
  const first = (marks[k] as [string, number])[1];
  // The walk finds a root's files in walk order, then its archived rollouts (copies, which stay where they are).
  let tail = archived.get(k);
  if (tail === undefined) {
    const end = marks[k + 1]?.[1] ?? paths.length;
    let regular = end;
    while (regular > first && copyOf(paths[regular - 1] as string)?.archived === true) regular--;
    for (let i = first + 1; i < regular; i++) if (walkOrder(paths[i - 1] as string, paths[i] as string) >= 0) return false;
    tail = end - regular;
    archived.set(k, tail);
  }
  let end = (marks[k + 1]?.[1] ?? paths.length) - tail;
  const at = (path: string): number => {
    let lo = first;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (walkOrder(paths[mid] as string, path) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const shift = (by: number): void => {
    end += by;
    for (let j = k + 1; j < marks.length; j++) (marks[j] as [string, number])[1] += by;
  };
  for (const path of [...added, ...gone]) if (copyOf(path) !== undefined) return false;
  for (const path of gone) {
    const i = at(path);
    if (paths[i] !== path) return false;
    paths.splice(i, 1);
    shift(-1);
  }
  for (const path of added) {
    const i = at(path);
    if (paths[i] === path) return false;
    paths.splice(i, 0, path);
    shift(1);
  }
  // A root whose files are all gone is told of no more: walked.
  return end + tail > first;
}

/** The digest of a walk's text: each root it told of and each file, in its order. */
function walkTextOf(paths: string[], marks: Array<[string, number]>): string {
  let text = '';
  let file = 0;
  for (const [root, first] of marks) {
    for (; file < first; file++) text += `F${paths[file]}\n`;
    text += `R${root}\n`;
  }
  for (; file < paths.length; file++) text += `F${paths[file]}\n`;
  return textHash128(`${text}R\n`);
}

/**
 * The walk a table was read from, taken again without walking: where the table's walk may be
 * retraced and each root leads where it led, every folder it listed is as listed (its stat, and,
 * where it was listed too soon after a change to trust its stat, its entries too), or has only
 * other files than it had (a session begun, one removed: such a folder is listed again, at most
 * MOST_LISTED_AGAIN of them). A walk would find the table's files in the table's order, with
 * those files added or taken out in their places; only the files' stats are taken.
 * Undefined where the roots are to be walked.
 */
export function retraced(table: StoredTable, roots: string[]): Walk | undefined {
  const kept = table.retrace;
  if (kept === undefined || kept.reals.length !== roots.length) return undefined;
  let stats: Float64Array;
  let paths: string[];
  let bytes = 0;
  // The folders listed again, by their place among the table's.
  const again = new Map<number, Listing>();
  const marks = kept.marks.map(([root, first]): [string, number] => [root, first]);
  // Whether log files came or went: the walk's text is then another.
  let filesMoved = false;
  try {
    if (realPaths(roots)?.every((real, i) => real === kept.reals[i]) !== true) return undefined;
    const folders = table.folders();
    // A root is listed where it is a folder: one that was a file and is now a folder (or the other way) is walked.
    for (const root of roots) if (statSync(root).isDirectory() !== folders.paths.includes(root)) return undefined;
    const was = folders.stats;
    let changed = 0;
    for (let i = 0; i < folders.paths.length; i++) {
      const folder = folders.paths[i] as string;
      const mtimeMs = was[4 * i] as number;
      const ctimeMs = was[4 * i + 1] as number;
      const stat = statSync(folder);
      const same = asListed(stat, mtimeMs, ctimeMs, was[4 * i + 2] as number);
      if (same && settled(mtimeMs, ctimeMs, was[4 * i + 3] as number)) continue;
      // As listingsFrom lists a folder: the time taken first.
      const listedAt = Date.now();
      const entries = listFolder(folder);
      const old = table.entries(i);
      // Listed again, it is kept as listed now (as a walk keeps it), whether or not its entries changed.
      if (!same || !sameEntries(entries, old)) {
        if (changed === MOST_LISTED_AGAIN || entries.kinds.includes('l') || !sameFolders(entries, old)) return undefined;
        changed++;
      }
      again.set(i, { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, listedAt, ...entries });
    }
    paths = table.paths();
    if (paths.length !== table.files) return undefined;
    // Per root (by its mark), how many archived rollouts end its files.
    const archived = new Map<number, number>();
    for (const [i, listing] of again) {
      const folder = folders.paths[i] as string;
      const before = logFiles(table.entries(i));
      const now = logFiles(listing);
      const added = [...now].filter((name) => !before.has(name)).map((name) => join(folder, name));
      const gone = [...before].filter((name) => !now.has(name)).map((name) => join(folder, name));
      if (added.length === 0 && gone.length === 0) continue;
      if (!moved(paths, marks, folder, added, gone, archived)) return undefined;
      filesMoved = true;
    }
    stats = new Float64Array(4 * paths.length);
    for (let i = 0; i < paths.length; i++) {
      const stat = logStat(paths[i] as string);
      bytes += stat.size;
      stats[4 * i] = stat.size;
      stats[4 * i + 1] = stat.mtimeMs;
      stats[4 * i + 2] = stat.ctimeMs;
      stats[4 * i + 3] = stat.ino;
    }
  } catch {
    return undefined; // a folder or file gone meanwhile, or a part that does not check: walked
  }
  const text = filesMoved ? walkTextOf(paths, marks) : table.walkText;
  const retrace: Retrace = filesMoved ? { reals: kept.reals, marks } : kept;
  // Made when first asked for: a table that stands needs none.
  let items: WalkItem[] | undefined;
  const itemsOf = (): WalkItem[] => {
    const made: WalkItem[] = [];
    let file = 0;
    const upTo = (end: number): void => {
      for (; file < end; file++) made.push({ file: paths[file] as string, stat: 4 * file });
    };
    for (const [root, first] of marks) {
      upTo(first);
      made.push({ root });
    }
    upTo(paths.length);
    made.push({ root: undefined });
    return made;
  };
  const listings = (): Map<string, Listing> => {
    if (again.size === 0) return table.listings;
    const { paths: folders } = table.folders();
    const map = new Map(table.listings);
    for (const [i, listing] of again) map.set(folders[i] as string, listing);
    return map;
  };
  return {
    get items() {
      items ??= itemsOf();
      return items;
    },
    paths,
    told: [],
    stats,
    digest: walkDigest(text, stats),
    text,
    files: paths.length,
    bytes,
    listings,
    keptListings: again.size === 0,
    retrace,
  };
}

function sameEntries(a: FolderEntries, b: FolderEntries): boolean {
  return a.kinds === b.kinds && a.names.length === b.names.length && a.names.every((name, i) => name === b.names[i]);
}

/** A file's stat as the walk took it. */
export function walkStat(walk: Walk, at: number): LogStat | undefined {
  const n = walk.stats;
  return at < 0 ? undefined : { size: n[at] as number, mtimeMs: n[at + 1] as number, ctimeMs: n[at + 2] as number, ino: n[at + 3] as number };
}
