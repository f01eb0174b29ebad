/**
 * Whether a kept table may be patched for a walk, and what the patch reads (table-patch.ts reads
 * and appends it). A file read alone gives exactly the rows it gives read with the rest only
 * when nothing ties them (links.ts), when the kept rows come file after file, and when neither
 * the scan nor a dataset told of anything but the walk's own notices (a bad line, a model
 * without a price: what is told of all the files could not be patched). Anywhere else, when
 * more than a few files changed, and when a patch would hold half the rows, there is no plan:
 * the scan reads the logs as if there were no table, and writes it whole.
 *
 * A file a patch read, grown since, may be read on from where that patch read it to (resumable,
 * below): only what was added is read.
 */
import { fingerprints } from '../cache/entry.js';
import type { PatchBasis, ResumePoint, StoredTable } from '../cache/table-file.js';
import type { Placed } from '../cache/table-merge.js';
import { appendable } from '../sources/session-reader.js';
import { countOf, ownFile, TableIdentities } from './links.js';
import type { Walk, WalkItem } from './walk.js';

/** The most files changed since the table that a patch reads again. */
const MOST_CHANGED = 16;
/** A patch holds at most this share of the rows: past it, the table is written whole. */
const MOST_SHARE = 0.5;
/** The files whose stats are compared at once. */
const RUN = 64;

/** A table to patch, and the files to read again (walk indexes, ascending, and their paths). */
export interface PatchPlan {
  table: StoredTable;
  /** The identities of the table's files. */
  identities: TableIdentities;
  walk: Walk;
  /** The walk's files, in its order. */
  files: string[];
  /** The files changed or added since the table (the walk's indexes, ascending), and their paths. */
  changed: number[];
  paths: string[];
  /** Per walk file, its index among the table's files (-1: added since); undefined where they are the table's files. */
  kept: Int32Array | undefined;
  /** The table's files that are gone. */
  removed: number[];
  /** Where the table's files' kept runs are (table-merge.ts Placed); undefined where they are its runs' own. */
  placed: Placed | undefined;
  /** How many rows each of the table's files has now (currentRuns). */
  runs: Uint32Array;
  /** The most rows a patch may hold. */
  most: number;
  /** About how many bytes of the changed files are to be read: what a grown file added, the whole of any other. */
  bytes: number;
  /** The changed files (by their place in `changed`) read on alone from where their kept rows were read to. */
  resume: Map<number, ResumePoint>;
  /** Where the table's patch read each of its files to (Replaced's order). */
  resumes: Array<ResumePoint | null>;
}

/**
 * How many rows each of the table's files has, in each phase, as its rows come now: a file an
 * appended patch replaced has the patch's; any other its kept run (the table's runs are those
 * of its rows as first written, of the files then).
 */
function currentRuns(table: StoredTable, basis: PatchBasis, placed: Placed | undefined): Uint32Array {
  const files = table.files;
  const base = basis.runs;
  // The same files as the kept rows': their runs as they are, those the patch replaced overwritten.
  const runs = placed === undefined && base.files === files ? base.runs.slice() : new Uint32Array(2 * files);
  if (placed !== undefined) {
    for (let file = 0; file < files; file++) {
      const from = placed.kept[file] as number;
      if (from < 0) continue;
      for (let phase = 0; phase < 2; phase++) runs[phase * files + file] = base.runs[phase * base.files + from] as number;
    }
  }
  const replaced = table.replaced;
  replaced?.files.forEach((file, i) => {
    for (let phase = 0; phase < 2; phase++) runs[phase * files + file] = replaced.counts[2 * i + phase] as number;
  });
  return runs;
}

function total(runs: Uint32Array): number {
  let rows = 0;
  for (const n of runs) rows += n;
  return rows;
}

/**
 * Where the walk's files are among the table's: per walk file its index there (-1: added), and
 * the table's files not in the walk; undefined where the files are not in the same order.
 */
function alignment(old: string[], files: string[]): { kept: Int32Array; removed: number[] } | undefined {
  const at = new Map(old.map((path, i) => [path, i]));
  const kept = new Int32Array(files.length);
  const found = new Uint8Array(old.length);
  let last = -1;
  for (const [n, path] of files.entries()) {
    const i = at.get(path) ?? -1;
    if (i >= 0) {
      if (i < last) return undefined;
      last = i;
      found[i] = 1;
    }
    kept[n] = i;
  }
  const removed: number[] = [];
  for (let i = 0; i < old.length; i++) if (found[i] === 0) removed.push(i);
  return { kept, removed };
}

/**
 * The changed files that may be read on from where their kept rows were read to (by their place
 * in `changed`): each grew by appending since a patch read it to a point with nothing after it,
 * at the size the patch kept, and still has the bytes it had there (its fingerprints). A file
 * whose records so far are tied to the rest of it (links.ts ownFile: counters that go on) is
 * read whole: what it added would be tied to them.
 */
function resumable(
  table: StoredTable,
  resumes: Array<ResumePoint | null>,
  basis: PatchBasis,
  identities: TableIdentities,
  walk: Walk,
  changed: number[],
  kept: Int32Array | undefined,
): Map<number, ResumePoint> {
  const resume = new Map<number, ResumePoint>();
  const replaced = table.replaced;
  if (replaced === undefined) return resume;
  const inPatch = new Map(replaced.files.map((file, i) => [file, i]));
  changed.forEach((file, i) => {
    const from = kept === undefined ? file : (kept[file] as number);
    const at = inPatch.get(from);
    const was = at === undefined ? null : resumes[at];
    const path = walk.paths[file] as string;
    if (was === null || was === undefined || !appendable(path)) return;
    const size = walk.stats[4 * file] as number;
    if (walk.stats[4 * file + 3] !== basis.stats[4 * from + 3] || was.point.offset !== basis.stats[4 * from] || size <= was.point.offset) return;
    if (countOf(identities.own(from), ownFile(path)) > 0) return;
    const now = fingerprints(path, was.point.offset);
    if (now !== undefined && now.head === was.head && now.tail === was.tail) resume.set(i, was);
  });
  return resume;
}

/**
 * The patch of a table for this walk, where one may do; undefined where the logs are to be read.
 * `canResume`: the dataset's rows of a file that grew may be read on from where they were read to (SessionDatasetImpl resumable).
 */
export function patchPlan(table: StoredTable | undefined, walk: Walk, canResume = false): PatchPlan | undefined {
  if (table === undefined) return undefined;
  if (JSON.stringify(table.problems) !== JSON.stringify(walk.told)) return undefined;
  let basis: PatchBasis | undefined;
  let old: { kept: Int32Array; removed: number[] } | undefined;
  let placed: Placed | undefined;
  const files = walk.paths;
  try {
    basis = table.basis();
    placed = table.placed();
    if (table.walkText !== walk.text || table.files !== walk.files) old = alignment(table.paths(), files);
  } catch {
    return undefined;
  }
  if (basis === undefined || (table.walkText !== walk.text && old === undefined)) return undefined;
  if (basis.stats.length !== 4 * table.files || walk.stats.length !== 4 * walk.files) return undefined;
  const changed: number[] = [];
  const removed = old?.removed ?? [];
  // Where the files are the table's, a run of them whose stats are the same bytes is passed at once.
  const now = Buffer.from(walk.stats.buffer, walk.stats.byteOffset, walk.stats.byteLength);
  const was = Buffer.from(basis.stats.buffer, basis.stats.byteOffset, basis.stats.byteLength);
  for (let file = 0; file < walk.files; file++) {
    if (old === undefined && file % RUN === 0 && now.subarray(32 * file, 32 * (file + RUN)).equals(was.subarray(32 * file, 32 * (file + RUN)))) {
      file += RUN - 1;
      continue;
    }
    const from = old === undefined ? file : (old.kept[file] as number);
    let same = from >= 0;
    for (let k = 0; k < 4 && same; k++) same = Object.is(walk.stats[4 * file + k], basis.stats[4 * from + k]);
    if (!same && changed.push(file) + removed.length > MOST_CHANGED) return undefined;
  }
  if (changed.length + removed.length === 0 || removed.length > MOST_CHANGED) return undefined;
  const runs = currentRuns(table, basis, placed);
  const most = total(runs) * MOST_SHARE;
  const count = table.files;
  const rowsOf = (from: number): number => (from < 0 ? 0 : (runs[from] as number) + (runs[count + from] as number));
  const replacing = [...changed.map((file) => (old === undefined ? file : (old.kept[file] as number))), ...removed];
  if (replacing.reduce((rows, from) => rows + rowsOf(from), 0) > most) return undefined;
  const identities = new TableIdentities(basis.links, placed?.kept, table.replaced?.files ?? [], basis.again);
  let bytes = 0;
  for (const file of changed) {
    const from = old === undefined ? file : (old.kept[file] as number);
    const size = walk.stats[4 * file] as number;
    const grew = from >= 0 && walk.stats[4 * file + 3] === basis.stats[4 * from + 3] && size >= (basis.stats[4 * from] as number);
    bytes += grew ? size - (basis.stats[4 * from] as number) : size;
  }
  const paths = changed.map((file) => files[file] as string);
  let resume = new Map<number, ResumePoint>();
  let resumes: Array<ResumePoint | null>;
  try {
    resumes = table.resumes();
    if (canResume) resume = resumable(table, resumes, basis, identities, walk, changed, old?.kept);
  } catch {
    return undefined;
  }
  return { table, identities, walk, files, changed, paths, kept: old?.kept, removed, placed, runs, most, bytes, resume, resumes };
}

/**
 * A walk of the changed files alone, each its own root (so that the cache of events forgets no
 * other file); those read on from a point are no root (the cache of events does not hear of them).
 */
export function walkOf(plan: PatchPlan): Walk {
  const items: WalkItem[] = [];
  const stats = new Float64Array(4 * plan.changed.length);
  plan.changed.forEach((file, i) => {
    const path = plan.paths[i] as string;
    stats.set(plan.walk.stats.subarray(4 * file, 4 * file + 4), 4 * i);
    if (!plan.resume.has(i)) items.push({ root: path });
    items.push({ file: path, stat: 4 * i });
  });
  items.push({ root: undefined });
  const { digest, text, bytes, listings, keptListings, retrace } = plan.walk;
  return { items, paths: plan.paths, told: [], stats, digest, text, files: plan.changed.length, bytes, listings, keptListings, retrace };
}
