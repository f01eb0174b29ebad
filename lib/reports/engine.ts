/**
 * How a named report asks its questions: one scan of a dataset, and any number of branches over
 * its rows, each a filter, a grouping and a select/sort/limit, answered by the stages' own code
 * (compileWhere, Grouping, RowShaper). A report never counts or sums anything itself.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../cli/errors.js';
import { showProgress } from '../cli/progress.js';
import type { Row } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import type { GroupSpec, Predicate, ScanSpec, SortKey } from '../spec/types.js';
import { compileWhere } from '../stages/filter.js';
import { Grouping } from '../stages/group.js';
import { scanStage } from '../stages/scan.js';
import { RowShaper } from '../stages/shape.js';

export interface Branch {
  where?: Predicate[];
  group?: GroupSpec;
  select?: string[];
  sort?: SortKey[];
  limit?: number;
}

/** `-count` or `day`: a sort key, as a spec writes it. */
export function sortKeys(...fields: string[]): SortKey[] {
  return fields.map((f) => (f.startsWith('-') ? { field: f.slice(1), descending: true } : { field: f, descending: false }));
}

export interface ScanRun {
  program: string;
  problems: InputProblems;
  /** Show progress on a terminal during a long scan. */
  progress: boolean;
  /** Use the cache of session files (--no-cache: off). */
  cache: boolean;
}

/** Scans once and answers every branch: the rows of each, in branch order. */
export async function scanBranches(scan: ScanSpec, where: Predicate[], branches: Branch[], run: ScanRun): Promise<Row[][]> {
  const reader = scanStage(scan, run.problems, run.cache);
  const common = compileWhere(where);
  const states = branches.map((b) => ({
    test: compileWhere(b.where ?? []),
    grouping: b.group ? new Grouping(b.group) : undefined,
    shaper: new RowShaper({ select: b.select, sort: b.sort ?? [], limit: b.limit ?? 0 }),
    rows: [] as Row[],
  }));
  // Ungrouped branches with a limit and no sort stop needing rows; when all do, reading stops.
  const open = (): boolean => states.some((s) => s.grouping !== undefined || !s.shaper.complete);
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 256,
    write(row: Row, _encoding, callback) {
      if (common(row)) {
        for (const s of states) {
          if (!s.test(row)) continue;
          if (s.grouping) s.grouping.add(row);
          else {
            const kept = s.shaper.offer(row);
            if (kept) s.rows.push(kept);
          }
        }
        if (!open()) reader.stop();
      }
      callback();
    },
  });
  const progress = reader.progress;
  const stopProgress = progress ? showProgress(run.program, () => progress(), run.progress) : () => undefined;
  try {
    await pipeline(reader.records, sink);
  } finally {
    stopProgress();
  }
  if (run.problems.strictFailure !== undefined) throw new InputError(run.problems.strictFailure);
  return states.map((s) => {
    if (s.grouping) for (const row of s.grouping.rows()) {
      const kept = s.shaper.offer(row);
      if (kept) s.rows.push(kept);
    }
    s.rows.push(...s.shaper.finish());
    return s.rows;
  });
}
