/**
 * `seq skill-trend --skill S`: mentions of one skill per day, week or month (in --tz), every
 * bucket from the first to the last shown, those without mentions as 0; --max keeps the latest.
 * Columns `bucket` and `count`.
 */
import type { Row } from '../jsonl/json.js';
import { FORMATS } from '../spec/types.js';
import { formatRows } from '../stages/format.js';
import { nextBucket, type BucketKind } from '../time/buckets.js';
import { scanBranches, sortKeys } from './engine.js';
import type { Values } from '../base/command.js';
import { countOption, mentionParams, requiredText, type Report } from './run.js';
import { notOneOf } from '../base/suggestion.js';
import { BUCKETS, type SKILL_TREND_FLAGS } from './flags.js';

/** The rows (`bucket`, `count`, in order) with the buckets between them that had none, as 0. */
export function withEmptyBuckets(rows: Row[], kind: BucketKind): Row[] {
  const out: Row[] = [];
  for (const row of rows) {
    const previous = out[out.length - 1];
    if (previous !== undefined && typeof previous.bucket === 'string') {
      let next = nextBucket(kind, previous.bucket);
      // A guard against labels that never meet: at most ten years of days.
      for (let n = 0; next !== undefined && next < String(row.bucket) && n < 3700; n++) {
        out.push({ bucket: next, count: 0 });
        next = nextBucket(kind, next);
      }
    }
    out.push(row);
  }
  return out;
}

export const skillTrend: Report<Values<typeof SKILL_TREND_FLAGS>> = (context) => {
  const skill = requiredText(context.values.skill, 'skill', 'seq skill-trend --skill tk --bucket week');
  const bucketText = context.values.bucket ?? 'day';
  if (!(BUCKETS as readonly string[]).includes(bucketText)) throw notOneOf('--bucket', bucketText, BUCKETS);
  const bucket = bucketText as BucketKind;
  const format = context.format(FORMATS, 'table');
  const max = countOption(context.values.max, 'max', 0);
  // The skill asked for is known, so its $ mentions count even without a skills folder.
  const scan = context.scan({ dataset: 'skill_mentions', params: { ...mentionParams(context.values), skills: [skill] } });
  return async () => {
    const [rows = []] = await scanBranches(
      scan,
      [{ field: 'skill', op: 'eq', value: skill, caseInsensitive: false }],
      [
        {
          where: [{ field: bucket, op: 'exists', value: undefined, caseInsensitive: false }],
          group: { groupBy: [bucket], metrics: [{ op: 'count', field: undefined, as: 'count' }] },
          sort: sortKeys(bucket),
        },
      ],
      context.run,
    );
    const filled = withEmptyBuckets(
      rows.map((r) => ({ bucket: r[bucket] ?? null, count: r.count ?? 0 })),
      bucket,
    );
    return formatRows(max > 0 ? filled.slice(-max) : filled, format, ['bucket', 'count'], context.options);
  };
};
