/**
 * How a named report asks its questions: each of a dataset, with any number of branches over its
 * rows, each a filter, a grouping and a select/sort/limit, answered by the stages' own code
 * (compileWhere, Grouping, RowShaper); questions of several datasets over the same logs are
 * answered from one scan. A report never counts or sums anything itself.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../base/errors.js';
import { showProgress } from '../base/progress.js';
import type { PartRow } from '../datasets/session-dataset.js';
import type { Row } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import type { RecordReader } from '../jsonl/read.js';
import type { GroupSpec, Predicate, ScanSpec, SortKey } from '../spec/types.js';
import { readSort } from '../spec/validate.js';
import { compileWhere } from '../stages/filter.js';
import { Grouping } from '../stages/group.js';
import { readingKey, readsWithOthers, scanStage, scanTogether } from '../scan/scan.js';
import { fieldsRead, fieldsReadByAll } from '../spec/fields-read.js';
import { RowShaper } from '../stages/shape.js';

export interface Branch {
  where?: Predicate[];
  group?: GroupSpec;
  select?: string[];
  sort?: SortKey[];
  limit?: number;
}

/** `-count` or `day`: sort keys as a spec writes them, read as the spec's are. */
export function sortKeys(...fields: string[]): SortKey[] {
  return readSort(fields, 'sort');
}

export interface ScanRun {
  program: string;
  problems: InputProblems;
  /** Show progress on a terminal during a long scan. */
  progress: boolean;
  /** Use the cache of session files (--no-cache: off). */
  cache: boolean;
  /** Keep each scan's rows as a table (scan.ts); false for scans that do not come again (a window that moves with the clock, one session's end). */
  tables?: boolean;
}

/**
 * What a report asks of one dataset: the rows it keeps (`where`), the branches over them, and
 * what it makes of each branch's rows.
 */
export interface Question<T> {
  scan: ScanSpec;
  where?: Predicate[];
  branches: Branch[];
  answer(rows: Row[][]): T;
}

/** Each question's answer; a question left out (undefined) has none. */
type Answers<Q extends readonly (Question<unknown> | undefined)[]> = { -readonly [K in keyof Q]: Q[K] extends Question<infer T> ? T : undefined };

/** Collects the rows of one question's branches as they come. */
class BranchCollector {
  private readonly common: (row: Row) => boolean;
  private readonly states: Array<{ test: (row: Row) => boolean; grouping: Grouping | undefined; shaper: RowShaper; rows: Row[] }>;

  constructor(question: Question<unknown>) {
    this.common = compileWhere(question.where ?? []);
    this.states = question.branches.map((b) => ({
      test: compileWhere(b.where ?? []),
      grouping: b.group ? new Grouping(b.group) : undefined,
      shaper: new RowShaper({ select: b.select, sort: b.sort ?? [], limit: b.limit ?? 0 }),
      rows: [] as Row[],
    }));
  }

  /** Ungrouped branches with a limit and no sort stop needing rows; when all do, this question needs no more. */
  get open(): boolean {
    return this.states.some((s) => s.grouping !== undefined || !s.shaper.complete);
  }

  add(row: Row): void {
    if (!this.common(row)) return;
    for (const s of this.states) {
      if (!s.test(row)) continue;
      if (s.grouping) s.grouping.add(row);
      else {
        const kept = s.shaper.offer(row);
        if (kept) s.rows.push(kept);
      }
    }
  }

  rows(): Row[][] {
    return this.states.map((s) => {
      if (s.grouping)
        for (const row of s.grouping.rows()) {
          const kept = s.shaper.offer(row);
          if (kept) s.rows.push(kept);
        }
      // One at a time: spread as arguments, a history's rows (seq blocks sorts every request) overflow the stack.
      for (const row of s.shaper.finish()) s.rows.push(row);
      return s.rows;
    });
  }
}

/** The fields a question's branches read of its rows (undefined: whole rows). */
function questionFields(question: Question<unknown>): Set<string> | undefined {
  return fieldsReadByAll(
    question.branches.map((branch) =>
      fieldsRead([...(question.where ?? []), ...(branch.where ?? [])], branch.group, { select: branch.select, sort: branch.sort ?? [] }),
    ),
  );
}

/** Reads one scan to its end, giving each row to `add`; stops reading once `open` says nothing more is needed. */
async function drain(reader: RecordReader, add: (row: Row) => void, open: () => boolean, run: ScanRun): Promise<void> {
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 256,
    write(row: Row, _encoding, callback) {
      add(row);
      if (!open()) reader.stop();
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
}

/**
 * Answers every question, reading the logs once for all the questions that read them the same
 * way (the same roots, source, window and zone): each file is read once, with what any of them
 * needs, and its rows go to each question's dataset.
 */
export async function ask<const Q extends readonly (Question<unknown> | undefined)[]>(questions: Q, run: ScanRun): Promise<Answers<Q>> {
  const collectors = questions.map((q) => (q === undefined ? undefined : new BranchCollector(q)));
  const groups = new Map<string, number[]>();
  questions.forEach((q, i) => {
    if (q === undefined) return;
    const key = readsWithOthers(q.scan) ? readingKey(q.scan) : `alone ${i}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const members of groups.values()) {
    const parts = members.map((i) => collectors[i] as BranchCollector);
    const open = (): boolean => parts.some((part) => part.open);
    if (members.length === 1) {
      const only = parts[0] as BranchCollector;
      const question = questions[members[0] as number] as Question<unknown>;
      const reader = scanStage(question.scan, run.problems, { cache: run.cache, tables: run.tables !== false, fields: questionFields(question) });
      await drain(reader, (row) => only.add(row), open, run);
    } else {
      const reader = scanTogether(
        members.map((i) => (questions[i] as Question<unknown>).scan),
        run.problems,
        { cache: run.cache, tables: run.tables !== false },
      );
      await drain(reader, (row) => (parts[(row as PartRow).part] as BranchCollector).add((row as PartRow).row), open, run);
    }
  }
  return questions.map((q, i) => q?.answer((collectors[i] as BranchCollector).rows())) as Answers<Q>;
}

/** One question's branches: the rows of each, in branch order. */
export async function scanBranches(scan: ScanSpec, where: Predicate[], branches: Branch[], run: ScanRun): Promise<Row[][]> {
  const [rows] = await ask([{ scan, where, branches, answer: (found) => found }], run);
  return rows;
}
