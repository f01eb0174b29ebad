/**
 * The scan stage: the rows of one dataset from its inputs, inside the spec's time window. A row passes
 * the window only when its timestamp is known and inside it (a row without one cannot be placed in it).
 * Several session datasets over the same logs can be read in one scan (scanTogether).
 */
import { findDataset } from '../datasets/registry.js';
import { combineSessionDatasets, type PartRow } from '../datasets/session-dataset.js';
import { openSessionScan } from './session-scan.js';
import { projectWanted } from './project.js';
import { readingEnvironment } from '../sources/registry.js';
import type { Dataset, ScanContext, SessionDataset, SessionDatasetImpl } from '../datasets/types.js';
import { ProblemLog, ProblemRecorder, type InputProblems } from '../jsonl/problems.js';
import { isAbsolute } from 'node:path';
import type { Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import type { ScanSpec } from '../spec/types.js';
import { inWindow, timestampMs, type TimeWindow } from '../spec/time.js';
import { stage } from '../base/transform.js';
import { UsageError } from '../base/errors.js';
import type { Readable, Transform } from 'node:stream';

function dataset(spec: ScanSpec): Dataset {
  const found = findDataset(spec.dataset);
  if (!found) throw new Error(`dataset "${spec.dataset}" is not registered`);
  return found;
}

function context(spec: ScanSpec, problems: InputProblems, cache: boolean): ScanContext {
  return {
    inputs: spec.roots,
    params: spec.params,
    source: spec.source,
    project: spec.project,
    window: spec.window,
    ...(spec.noticeWindow === undefined ? {} : { noticeWindow: spec.noticeWindow }),
    tz: spec.tz,
    problems,
    cache,
  };
}

/** Whether a row is inside the window (`timestamp` finds a row's own); undefined for no window. */
function windowTest(window: TimeWindow, timestamp: (row: Row) => unknown): ((row: Row) => boolean) | undefined {
  if (window.sinceMs === undefined && window.untilMs === undefined) return undefined;
  return (row) => inWindow(window, timestampMs(timestamp(row)));
}

/** A stage that keeps only rows inside the window (`timestamp` finds a row's own); undefined for no window. */
export function windowStage(window: TimeWindow, timestamp: (row: Row) => unknown): Transform | undefined {
  const inside = windowTest(window, timestamp);
  if (inside === undefined) return undefined;
  return stage<Row, Row>({
    record(row, push) {
      if (inside(row)) push(row);
    },
  });
}

/** Only rows inside the window (`timestamp` finds a row's own). */
function windowed(reader: RecordReader, window: TimeWindow, timestamp: (row: Row) => unknown): RecordReader {
  const inside = windowTest(window, timestamp);
  if (inside === undefined) return reader;
  const pull = reader.pull?.bind(reader);
  const ready = reader.ready?.bind(reader);
  let records: Readable | undefined;
  return {
    // Piped when first asked for: the rows of a reader pulled from are not streamed too.
    get records() {
      if (records === undefined) {
        const inWindow = windowStage(window, timestamp) as Transform;
        reader.records.on('error', (error) => inWindow.destroy(error));
        // An error downstream destroys the window's stage only: the scan goes with it (its files, its threads, its cache segment).
        inWindow.on('close', () => reader.records.destroy());
        records = reader.records.pipe(inWindow);
      }
      return records;
    },
    ...(pull === undefined
      ? {}
      : {
          pull: () => {
            for (let row = pull(); row !== undefined; row = pull()) if (inside(row)) return row;
            return undefined;
          },
        }),
    ...(ready === undefined ? {} : { ready: async () => windowed(await ready(), window, timestamp) }),
    stop: () => reader.stop(),
    progress: reader.progress,
  };
}

/**
 * What a dataset's kept table depends on besides the files: the dataset, its params and what else
 * its rows depend on, the roots as written (rows name files by them) and the folder they are
 * relative to, the variables that change how logs are read, the sources, the project (as a
 * folder or a name), the window and the time zone.
 */
function tableKey(spec: ScanSpec, found: Dataset): string {
  return JSON.stringify([
    spec.dataset,
    spec.params,
    found.inputsKey?.(spec.params) ?? '',
    spec.roots.some((path) => !isAbsolute(path)) ? process.cwd() : '',
    readingEnvironment(),
    spec.source,
    spec.project === undefined ? null : projectWanted(spec.project),
    spec.window.sinceMs ?? null,
    spec.window.untilMs ?? null,
    spec.noticeWindow?.sinceMs ?? null,
    spec.noticeWindow?.untilMs ?? null,
    spec.tz,
  ]);
}

/** Whether a scan keeps and uses tables. Under --strict a scan stops at the first bad line: what a table tells again could not stop it there. */
function keepsTables(problems: InputProblems, cache: boolean, tables: boolean): boolean {
  return cache && tables && !problems.stopsAtFirst;
}

/** How a scan reads. */
export interface ScanOptions {
  /** Use the cache of session files and the kept tables (--no-cache turns both off; default on). */
  cache?: boolean;
  /** Keep the rows as a table (default on; off where the window moves with the clock, so the same scan never comes again). */
  tables?: boolean;
  /** The only fields the stages after the scan read (spec/fields-read.ts): rows may lack the others. */
  fields?: ReadonlySet<string> | undefined;
}

export function scanStage(spec: ScanSpec, problems: InputProblems, options: ScanOptions = {}): RecordReader {
  const { cache = true, tables = true, fields } = options;
  const found = dataset(spec);
  if (spec.project !== undefined && found.kind !== 'session')
    throw new UsageError(`--project: the ${spec.dataset} dataset is not read from sessions`, 'use --project with a dataset of the session logs (seq datasets)');
  if (found.kind !== 'session') return windowed(found.open(context(spec, problems, cache)), spec.window, (row) => row.timestamp);
  const told = keepsTables(problems, cache, tables) ? new ProblemRecorder(problems) : undefined;
  const scan = context(spec, told ?? problems, cache);
  const only = fields && (spec.window.sinceMs === undefined && spec.window.untilMs === undefined ? fields : new Set([...fields, 'timestamp']));
  const way = told && { together: false, parts: [{ key: tableKey(spec, found), told: () => told.log.of(-1), only }] };
  const reader = openSessionScan(scan, (context) => found.logic(context), way);
  return windowed(reader, spec.window, (row) => row.timestamp);
}

/** The key of how a spec reads the logs: specs with the same one can be read in one scan. */
export function readingKey(spec: ScanSpec): string {
  return JSON.stringify([spec.roots, spec.source, spec.project ?? null, spec.window.sinceMs ?? null, spec.window.untilMs ?? null, spec.tz]);
}

/** Whether the spec's dataset can be read with others in one scan (a session dataset). */
export function readsWithOthers(spec: ScanSpec): boolean {
  return findDataset(spec.dataset)?.kind === 'session';
}

/**
 * The rows of several session datasets from one scan of the logs, each file read once: every
 * row is a PartRow naming its spec's place in `specs`. The specs must share their readingKey.
 */
export function scanTogether(specs: ScanSpec[], problems: InputProblems, options: ScanOptions = {}): RecordReader {
  const { cache = true, tables = true } = options;
  const [first] = specs;
  if (first === undefined || specs.some((spec) => readingKey(spec) !== readingKey(first) || !readsWithOthers(spec))) {
    throw new Error('scanTogether: specs of session datasets reading the same logs the same way');
  }
  // Each dataset's rows are kept as a table of its own (under the needs of the whole reading): what its part told goes with them.
  const log = keepsTables(problems, cache, tables) ? new ProblemLog() : undefined;
  const ledger = (part: number): InputProblems => (log === undefined ? problems : new ProblemRecorder(problems, log, part));
  // Made once: datasets read together are never patched (a patch reads a file alone with a dataset of its own).
  const logic = (): SessionDatasetImpl =>
    combineSessionDatasets(specs.map((spec, i) => (dataset(spec) as SessionDataset).logic(context(spec, ledger(i), cache))));
  const way = log && {
    together: true,
    parts: specs.map((spec, i) => ({ key: tableKey(spec, dataset(spec)), told: () => log.of(i), only: undefined })),
  };
  const reader = openSessionScan(context(first, ledger(-1), cache), logic, way);
  return windowed(reader, first.window, (row) => (row as PartRow).row.timestamp);
}
