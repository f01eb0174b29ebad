/**
 * seq-scan: the rows of one dataset from its inputs, inside the spec's time window. A row passes
 * the window only when its timestamp is known and inside it (the seed let rows without one through).
 */
import { findDataset } from '../datasets/registry.js';
import type { InputProblems } from '../jsonl/problems.js';
import type { Row } from '../jsonl/json.js';
import type { RecordReader } from '../jsonl/read.js';
import type { ScanSpec } from '../spec/types.js';
import { timestampMs } from '../spec/time.js';
import { stage } from './transform.js';

/** `cache`: use the cache of session files (--no-cache turns it off). */
export function scanStage(spec: ScanSpec, problems: InputProblems, cache = true): RecordReader {
  const dataset = findDataset(spec.dataset);
  if (!dataset) throw new Error(`dataset "${spec.dataset}" is not registered`);
  const reader = dataset.open({
    inputs: spec.roots,
    params: spec.params,
    source: spec.source,
    window: spec.window,
    tz: spec.tz,
    problems,
    cache,
  });
  const { sinceMs, untilMs } = spec.window;
  if (sinceMs === undefined && untilMs === undefined) return reader;
  const inWindow = stage<Row, Row>({
    record(row, push) {
      const t = timestampMs(row.timestamp);
      if (t === undefined) return;
      if (sinceMs !== undefined && t < sinceMs) return;
      if (untilMs !== undefined && t >= untilMs) return;
      push(row);
    },
  });
  reader.records.on('error', (error) => inWindow.destroy(error));
  // An error downstream destroys the window's stage only: the scan goes with it (its files, its threads, its cache segment).
  inWindow.on('close', () => reader.records.destroy());
  return { records: reader.records.pipe(inWindow), stop: () => reader.stop() };
}
