/**
 * The rows of a table with some files' rows replaced (a patched table, table-file.ts): the kept
 * rows come file after file in each of two phases (the rows a dataset gives as it reads each
 * file, then those it gives after the last), so a file's rows are a run of known length in each
 * phase; a replaced file's run is skipped and its new rows given in its place, a file gone has
 * its run skipped, and a file added has its rows given where it comes.
 */
import type { Row } from '../jsonl/json.js';

/** Rows one at a time: undefined after the last. */
export interface RowSource {
  next(): Row | undefined;
}

/** Where each file's rows are: `runs[phase * files + file]` rows of that file in that phase. */
export interface Runs {
  files: number;
  runs: Uint32Array;
}

/** The files whose rows replace their kept ones (walk indexes, ascending), and their rows' count per phase (`counts[2 * i + phase]`). */
export interface Replaced {
  files: readonly number[];
  counts: readonly number[];
}

/**
 * The files the rows stand for now, where they are not the kept rows' own: how many, and per
 * file its run among the kept ones (-1: a file added since, whose rows are all new). Kept runs
 * no file names are of files gone.
 */
export interface Placed {
  files: number;
  kept: Int32Array;
}

/** What a step of a merge plan does: take so many kept rows, skip so many, or take so many new ones. */
const KEPT = 0;
const SKIP = 1;
const NEW = 2;

/**
 * How to merge the kept rows with a patch's, step by step: `[what, how many]` pairs (KEPT, SKIP,
 * NEW), consecutive steps of one kind joined. It is made once, when the patch is written
 * (table-file.ts keeps it with the patch), so that a read does not go over every file.
 */
export function mergePlan(layout: Runs, replaced: Replaced, placed: Placed | undefined): Uint32Array {
  const out: number[] = [];
  const add = (what: number, take: number): void => {
    if (take === 0) return;
    if (out.length > 0 && out[out.length - 2] === what) out[out.length - 1] = (out[out.length - 1] as number) + take;
    else out.push(what, take);
  };
  const files = placed?.files ?? layout.files;
  for (let phase = 0; phase < 2; phase++) {
    const base = phase * layout.files;
    const run = (at: number): number => layout.runs[base + at] as number;
    let next = 0;
    let r = 0;
    for (let file = 0; file < files; file++) {
      const from = placed === undefined ? file : (placed.kept[file] as number);
      const again = replaced.files[r] === file ? r++ : -1;
      if (from >= 0) {
        if (from < next || from >= layout.files) throw new Error('damaged rows: files out of their order');
        for (; next < from; next++) add(SKIP, run(next));
        add(again >= 0 ? SKIP : KEPT, run(from));
        next = from + 1;
      } else if (again < 0) throw new Error('damaged rows: a file added without its rows');
      if (again >= 0) add(NEW, replaced.counts[2 * again + phase] as number);
    }
    for (; next < layout.files; next++) add(SKIP, run(next));
  }
  return Uint32Array.from(out);
}

/**
 * A merge plan read back (its bytes), checked to be one before any row is given: steps of the
 * three kinds, taking every kept row (`kept`, taken or skipped) and every new one (`fresh`).
 */
export function planOf(bytes: Uint8Array, kept: number, fresh: number): Uint32Array {
  if (bytes.length % 8 !== 0) throw new Error('damaged rows: a merge plan cut short');
  const plan = new Uint32Array(new Uint8Array(bytes).buffer);
  let old = 0;
  let added = 0;
  for (let at = 0; at < plan.length; at += 2) {
    const what = plan[at];
    const take = plan[at + 1] as number;
    if (what === NEW) added += take;
    else if (what === KEPT || what === SKIP) old += take;
    else throw new Error('damaged rows: a merge plan of unknown steps');
  }
  if (old !== kept || added !== fresh) throw new Error('damaged rows: a merge plan of other rows');
  return plan;
}

/** The kept rows with the replaced files' runs given from `fresh` instead, the files gone left out, those added in their places, as `plan` (mergePlan) says. */
export function mergedRows(kept: RowSource, fresh: RowSource, plan: Uint32Array): RowSource {
  if (plan.length % 2 !== 0) throw new Error('damaged rows: a merge plan cut short');
  let at = 0;
  let left = plan[1] ?? 0;
  let ended = false;
  return {
    next() {
      for (;;) {
        if (at >= plan.length) {
          // Both ran out with the plan, or the runs are not the rows'.
          if (!ended && (kept.next() !== undefined || fresh.next() !== undefined)) throw new Error('damaged rows: more than its files have');
          ended = true;
          return undefined;
        }
        if (left === 0) {
          at += 2;
          left = plan[at + 1] ?? 0;
          continue;
        }
        left--;
        const what = plan[at];
        if (what === SKIP) {
          if (kept.next() === undefined) throw new Error('damaged rows: fewer than its files have');
          continue;
        }
        const row = (what === KEPT ? kept : what === NEW ? fresh : undefined)?.next();
        if (row === undefined) throw new Error('damaged rows: fewer than its files have');
        return row;
      }
    },
  };
}
