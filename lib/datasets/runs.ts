/**
 * The run store as a dataset: the runs that seq-record keeps, one row each, so that `seq stats`
 * and any query read them through the same stages as everything else.
 */
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { isJsonObject, type JsonValue, type Row } from '../jsonl/json.js';
import { readRun } from '../runs/schema.js';
import { readStore, StoreUnreadable, storePath } from '../runs/store.js';
import { SpecError } from '../base/errors.js';
import { bucketsAt } from '../time/buckets.js';
import { instantMs, rowTime } from '../time/iso.js';
import type { Dataset } from './types.js';
import { counted } from '../base/plural.js';

export const runsDataset: Dataset = {
  name: 'runs',
  description: 'The workflow runs of the run store (seq-record): one row per run, with day, week and month of its date.',
  fields: [
    { name: 'id', type: 'string', description: 'the run id (UUID)' },
    { name: 'date', type: 'string', description: 'when it ran (ISO 8601)' },
    { name: 'timestamp', type: 'string', description: 'the date again, under the name every dataset gives its time (--since and --until read it)' },
    { name: 'issues', type: 'array', description: 'issue numbers' },
    { name: 'phases', type: 'array', description: 'phases run' },
    { name: 'outcome', type: 'string', description: 'success, partial or failed' },
    { name: 'duration', type: 'number', description: 'seconds' },
    { name: 'model', type: 'string', description: 'the model used' },
    { name: 'flags', type: 'array', description: 'command-line flags of the run' },
    {
      name: 'metrics',
      type: 'object',
      description: 'tokensUsed, filesChanged, linesAdded, acceptanceCriteria, qaIterations, inputTokens, outputTokens, cacheTokens (metrics.filesChanged...)',
    },
    { name: 'failureCategory', type: 'string', description: 'why a run did not succeed, when known' },
    { name: 'day', type: 'string', description: 'YYYY-MM-DD of date in --tz' },
    { name: 'week', type: 'string', description: 'ISO week of date in --tz' },
    { name: 'month', type: 'string', description: 'YYYY-MM of date in --tz' },
    { name: 'chain', type: 'boolean', description: 'whether the run had the --chain flag' },
    { name: 'issue_count', type: 'integer', description: 'how many issues the run worked on' },
  ],
  params: [],
  readsStdin: false,
  kind: 'records',
  open(context) {
    // Store files given as paths, else the project's store (--store / SEQ_STORE are seq-record's).
    const paths = context.inputs.length > 0 ? context.inputs : [storePath(undefined)];
    const rows: Row[] = [];
    // seq-record stores an id once; a store written otherwise may repeat one: the first counts.
    const ids = new Set<string>();
    let repeated = 0;
    let invalid = 0;
    let firstInvalid = '';
    for (const path of paths) {
      if (!existsSync(path)) {
        // The project's store before the first run is none yet; a store named that is not there is a mistake.
        if (context.inputs.length === 0) context.problems.notice(`no run store at ${path} yet; record runs with seq-record`);
        else context.problems.unreadable(path, 'no such file or folder');
        continue;
      }
      let stored: JsonValue[];
      try {
        stored = readStore(path).runs;
      } catch (error) {
        if (!(error instanceof StoreUnreadable)) throw error;
        context.problems.unreadable(path, error.reason);
        continue;
      }
      for (const [i, run] of stored.entries()) {
        let id: string;
        try {
          id = readRun(run, `runs[${i}]`, true).id;
        } catch (error) {
          if (!(error instanceof SpecError)) throw error;
          // A run the figures cannot read is left out and counted; the store is left as it is.
          if (invalid++ === 0) firstInvalid = `${path}: ${error.message}`;
          continue;
        }
        if (!isJsonObject(run)) continue; // readRun took it for an object: this tells the type
        if (ids.has(id)) {
          repeated++;
          continue;
        }
        ids.add(id);
        const ms = typeof run.date === 'string' ? instantMs(run.date) : NaN;
        const buckets = Number.isNaN(ms) ? undefined : bucketsAt(ms, context.tz);
        rows.push({
          ...run,
          timestamp: typeof run.date === 'string' ? rowTime(run.date, ms) : null,
          day: buckets?.day ?? null,
          week: buckets?.week ?? null,
          month: buckets?.month ?? null,
          chain: Array.isArray(run.flags) && run.flags.includes('--chain'),
          issue_count: Array.isArray(run.issues) ? run.issues.length : null,
        });
      }
    }
    if (invalid > 0)
      context.problems.notice(`skipped ${counted(invalid, 'stored run that does', 'stored runs that do')} not follow the run schema (first: ${firstInvalid})`);
    if (repeated > 0) context.problems.notice(`skipped ${counted(repeated, 'run whose id was', 'runs whose ids were')} seen before (each run counts once)`);
    const records = Readable.from(rows, { objectMode: true });
    return { records, stop: () => records.destroy() };
  },
};
