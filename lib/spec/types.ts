import type { JsonValue } from '../jsonl/json.js';
import type { TimeWindow } from './time.js';

export const WHERE_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'regex', 'exists', 'not_exists'] as const;
export type WhereOp = (typeof WHERE_OPS)[number];

export const METRIC_OPS = ['count', 'sum', 'sum_strict', 'min', 'max', 'avg', 'count_distinct'] as const;
export type MetricOp = (typeof METRIC_OPS)[number];

export const FORMATS = ['table', 'jsonl', 'json', 'csv', 'markdown', 'chart'] as const;
export type Format = (typeof FORMATS)[number];

/** Which agent's logs a scan reads: an agent's name (the catalog has them), or auto for every agent's. */
export type Source = string;

/** The stages a spec runs through, each reading its own keys of it. */
export type Stage = 'scan' | 'filter' | 'group' | 'format';

/** Every key of a spec and the stage that reads it, in the order the keys are listed to a person. */
export const SPEC_KEY_STAGES = {
  dataset: 'scan',
  params: 'scan',
  where: 'filter',
  group_by: 'group',
  metrics: 'group',
  select: 'format',
  sort: 'format',
  limit: 'format',
  format: 'format',
  roots: 'scan',
  source: 'scan',
  project: 'scan',
  since: 'scan',
  until: 'scan',
  tz: 'scan',
} as const satisfies Record<string, Stage>;

export type SpecKey = keyof typeof SPEC_KEY_STAGES;
export const SPEC_KEYS = Object.keys(SPEC_KEY_STAGES) as SpecKey[];

/** The keys one stage reads. */
export function stageKeys(stage: Stage): SpecKey[] {
  return SPEC_KEYS.filter((key) => SPEC_KEY_STAGES[key] === stage);
}

export interface Predicate {
  field: string;
  op: WhereOp;
  /** Absent for exists / not_exists. */
  value: JsonValue | undefined;
  caseInsensitive: boolean;
}

export interface Metric {
  op: MetricOp;
  field: string | undefined;
  as: string;
}

export interface SortKey {
  field: string;
  descending: boolean;
}

/** What seq-scan needs: the stage that owns dataset, params, roots, source, project, since, until, tz. */
export interface ScanSpec {
  dataset: string;
  params: Record<string, JsonValue>;
  roots: string[];
  source: Source;
  /** Only the sessions of this project (a working folder's path or name); undefined for all. */
  project: string | undefined;
  window: TimeWindow;
  /** Where a scan reads past the window it reports on (blocks are made from the whole history): that window, for the notice of unpriced requests. */
  noticeWindow?: TimeWindow;
  tz: string;
}

export interface FilterSpec {
  where: Predicate[];
}

export interface GroupSpec {
  /** Empty with metrics: one row that aggregates every input row. */
  groupBy: string[];
  metrics: Metric[];
}

export interface FormatSpec {
  select: string[] | undefined;
  sort: SortKey[];
  /** 0 means no limit. */
  limit: number;
  format: Format;
}

/** A whole validated spec: every key checked, defaults applied. */
export interface Spec {
  /** Undefined only when no spec was given and a stage runs from its flags alone. */
  dataset: string | undefined;
  params: Record<string, JsonValue>;
  where: Predicate[];
  /** Undefined when the spec does not group. */
  group: GroupSpec | undefined;
  select: string[] | undefined;
  sort: SortKey[];
  limit: number;
  /** Undefined when the spec leaves it to the default (table when grouped, else jsonl). */
  format: Format | undefined;
  roots: string[];
  source: Source;
  project: string | undefined;
  since: string | undefined;
  until: string | undefined;
  tz: string;
}

export function defaultFormat(grouped: boolean): Format {
  return grouped ? 'table' : 'jsonl';
}
