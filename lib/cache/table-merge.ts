/**
 * The rows of a table with some files' rows replaced (a patched table, table-file.ts): the kept
 * rows come file after file in each of two phases (the rows a dataset gives as it reads each
 * file, then those it gives after the last), so a file's rows are a run of known length in each
 * phase, and a replaced file's run is skipped and its new rows given in its place.
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

/** A step of the merge: take or skip so many kept rows, or take so many new ones. */
type Step = { from: 'kept' | 'new'; take: number } | { from: 'skip'; take: number };

function steps(layout: Runs, replaced: Replaced): Step[] {
  const out: Step[] = [];
  const add = (from: Step['from'], take: number): void => {
    if (take === 0) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.from === from) last.take += take;
    else out.push({ from, take });
  };
  for (let phase = 0; phase < 2; phase++) {
    let file = 0;
    const base = phase * layout.files;
    for (const [i, at] of replaced.files.entries()) {
      let kept = 0;
      for (; file < at; file++) kept += layout.runs[base + file] as number;
      add('kept', kept);
      add('skip', layout.runs[base + at] as number);
      add('new', replaced.counts[2 * i + phase] as number);
      file = at + 1;
    }
    let kept = 0;
    for (; file < layout.files; file++) kept += layout.runs[base + file] as number;
    add('kept', kept);
  }
  return out;
}

/** The kept rows with the replaced files' runs given from `fresh` instead. */
export function mergedRows(kept: RowSource, fresh: RowSource, layout: Runs, replaced: Replaced): RowSource {
  const plan = steps(layout, replaced);
  let at = 0;
  let left = plan[0]?.take ?? 0;
  let ended = false;
  return {
    next() {
      for (;;) {
        const step = plan[at];
        if (step === undefined) {
          // Both ran out with the plan, or the runs are not the rows'.
          if (!ended && (kept.next() !== undefined || fresh.next() !== undefined)) throw new Error('damaged rows: more than its files have');
          ended = true;
          return undefined;
        }
        if (left === 0) {
          at++;
          left = plan[at]?.take ?? 0;
          continue;
        }
        left--;
        if (step.from === 'skip') {
          if (kept.next() === undefined) throw new Error('damaged rows: fewer than its files have');
          continue;
        }
        const row = (step.from === 'kept' ? kept : fresh).next();
        if (row === undefined) throw new Error('damaged rows: fewer than its files have');
        return row;
      }
    },
  };
}
