/**
 * What ties a file's rows to other files: the identities of its records that a scan matches
 * across files (a copy's repeated records, replays.ts; a request's copies, requests.ts). A file
 * none of whose identities another file has gives the same rows read alone as read with the
 * rest, for a dataset whose rows do not gather a session's files (SessionDatasetImpl
 * gathersSessions), which is what lets a kept table be patched with such a file read again
 * (table-patch.ts).
 *
 * Identities are kept as 53-bit hashes: two that collide only make two files look tied, which
 * costs a patch, never a wrong row.
 */
import type { LogEvent } from '../sources/common/events.js';
import type { Links } from '../cache/table-file.js';

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

/** Adds the identities of a record that tie it to other files, each as the scan matches it across files. */
export function linksOf(event: LogEvent, out: number[]): void {
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
      break;
    case 'usage':
      add(out, event.messageId, 4, true);
      break;
  }
}

/** A file's identities, each once, ascending. */
export function distinct(hashes: readonly number[]): Float64Array {
  const sorted = Float64Array.from(hashes).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  return sorted.subarray(0, n);
}

/** Each file's identities (links.ts), once each, ascending, with all of them together (table-file.ts Links). */
export function linksTogether(byFile: Array<Float64Array | undefined>): Links {
  const offsets = new Uint32Array(byFile.length + 1);
  let count = 0;
  byFile.forEach((hashes, i) => {
    offsets[i] = count;
    count += hashes?.length ?? 0;
  });
  offsets[byFile.length] = count;
  const all = new Float64Array(count);
  byFile.forEach((hashes, i) => {
    if (hashes !== undefined) all.set(hashes, offsets[i]);
  });
  return { sorted: all.slice().sort(), byFile: all, offsets };
}

/** The first index of `sorted` from `lo` whose value is not below `value`. */
function lowerBound(sorted: Float64Array, value: number, lo: number): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The sorted values of `all` less one of each of `less` (sorted, each in `all`), with `more`
 * (sorted) added. `less` and `more` are a few files' identities and `all` every file's, so the
 * runs of `all` between them are copied whole.
 */
export function exchanged(all: Float64Array, less: Float64Array, more: Float64Array): Float64Array {
  const out = new Float64Array(all.length - less.length + more.length);
  let i = 0;
  let n = 0;
  const copyUpTo = (end: number): void => {
    out.set(all.subarray(i, end), n);
    n += end - i;
    i = end;
  };
  let j = 0;
  let k = 0;
  while (j < less.length || k < more.length) {
    const drop = j < less.length ? (less[j] as number) : Infinity;
    const add = k < more.length ? (more[k] as number) : Infinity;
    if (add < drop) {
      // Before the values of `all` it equals, as a merge puts it.
      copyUpTo(lowerBound(all, add, i));
      out[n++] = add;
      k++;
    } else {
      copyUpTo(lowerBound(all, drop, i));
      if (all[i] !== drop) throw new Error('patchedLinks: a removed identity is not among them');
      i++;
      j++;
    }
  }
  copyUpTo(all.length);
  return out;
}

/** The files' identities with the changed files' (ascending) replaced by what they have now. */
export function patchedLinks(links: Links, changed: number[], fresh: Float64Array[]): Links {
  const own = (file: number): Float64Array => links.byFile.subarray(links.offsets[file], links.offsets[file + 1]);
  const less = Float64Array.from(changed.flatMap((file) => [...own(file)])).sort();
  const more = Float64Array.from(fresh.flatMap((hashes) => [...hashes])).sort();
  const files = links.offsets.length - 1;
  const offsets = new Uint32Array(files + 1);
  const byFile = new Float64Array(links.byFile.length - less.length + more.length);
  // The files between two changed ones keep their identities and move by as many places.
  let from = 0;
  let shift = 0;
  const keepUpTo = (file: number): void => {
    const start = links.offsets[from] as number;
    const end = links.offsets[file] as number;
    byFile.set(links.byFile.subarray(start, end), start + shift);
    for (let f = from; f < file; f++) offsets[f] = (links.offsets[f] as number) + shift;
    from = file;
  };
  changed.forEach((file, i) => {
    keepUpTo(file);
    const hashes = fresh[i] as Float64Array;
    offsets[file] = (links.offsets[file] as number) + shift;
    byFile.set(hashes, offsets[file]);
    shift += hashes.length - own(file).length;
    from = file + 1;
  });
  keepUpTo(files);
  offsets[files] = byFile.length;
  return { sorted: exchanged(links.sorted, less, more), byFile, offsets };
}
