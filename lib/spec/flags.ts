/**
 * The stages' own flags, read into the same checked form as a spec's keys and laid over it:
 * `--where` adds predicates to the spec's where; every other flag replaces the spec's value.
 * Errors name the flag (`--metric[0].op: unknown op "median"; ...`).
 */
import type { JsonValue } from '../jsonl/json.js';
import type { Catalog } from './catalog.js';
import { parseShorthand } from './shorthand.js';
import {
  defaultFormat,
  type FilterSpec,
  type FormatSpec,
  type GroupSpec,
  type Predicate,
  type ScanSpec,
  type Spec,
} from './types.js';
import { lastString, strings } from '../base/args.js';
import { SpecError } from '../base/errors.js';
import {
  readDatasetName,
  readFieldList,
  readFormat,
  readGroup,
  readLimit,
  readMetric,
  readParams,
  readPredicate,
  readRoots,
  readSort,
  readSource,
  readWindow,
  readZone,
} from './validate.js';

/** Flag values as the command line gives them: each may be repeated. */
export interface StageFlags {
  dataset?: string | undefined;
  param?: string[] | undefined;
  root?: string[] | undefined;
  source?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  tz?: string | undefined;
  roles?: string[] | undefined;
  skillsDir?: string[] | undefined;
  where?: string[] | undefined;
  by?: string[] | undefined;
  metric?: string[] | undefined;
  select?: string[] | undefined;
  sort?: string[] | undefined;
  limit?: string | undefined;
  format?: string | undefined;
}

/** `--by a,b --by c` is [a, b, c]. */
export function commaList(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

export function wherePredicates(values: string[] | undefined): Predicate[] {
  const predicates: Predicate[] = [];
  (values ?? []).forEach((text, i) => {
    const where = `--where[${i}]`;
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      let raw: unknown;
      try {
        raw = JSON.parse(trimmed);
      } catch (error) {
        throw new SpecError(where, `invalid JSON (${error instanceof Error ? error.message : String(error)}); write '{"field":"x","op":"eq","value":1}' or 'x == 1'`);
      }
      const list = Array.isArray(raw) ? raw : [raw];
      list.forEach((item, j) => predicates.push(readPredicate(item, Array.isArray(raw) ? `${where}[${j}]` : where)));
    } else {
      predicates.push(readPredicate(parseShorthand(text, where), where));
    }
  });
  return predicates;
}

export function filterSpecOf(spec: Spec, flags: StageFlags): FilterSpec {
  return { where: [...spec.where, ...wherePredicates(flags.where)] };
}

/** `op[:field[:as]]`: `count`, `sum:tokens`, `sum:tokens:total`, `count_distinct:session_id:sessions`. */
export function parseMetricFlag(text: string, where: string): Record<string, JsonValue> {
  const [op, field, as, ...rest] = text.split(':');
  if (rest.length > 0 || op === undefined || op.trim() === '') {
    throw new SpecError(where, `"${text}": write OP[:FIELD[:NAME]], e.g. count, sum:tokens, sum:tokens:total`);
  }
  const raw: Record<string, JsonValue> = { op: op.trim() };
  if (field !== undefined && field.trim() !== '') raw.field = field.trim();
  if (as !== undefined && as.trim() !== '') raw.as = as.trim();
  return raw;
}

/** The grouping to run: undefined when neither the spec nor the flags group (records pass through). */
export function groupSpecOf(spec: Spec, flags: StageFlags): GroupSpec | undefined {
  const by = commaList(flags.by);
  const metrics = flags.metric?.map((text, i) => readMetric(parseMetricFlag(text, `--metric[${i}]`), `--metric[${i}]`));
  if (by === undefined && metrics === undefined) return spec.group;
  const groupBy = by === undefined ? (spec.group?.groupBy ?? []) : readFieldList(by, '--by');
  return readGroup(groupBy, metrics ?? spec.group?.metrics ?? [], by === undefined ? 'spec.group_by' : '--by', metrics === undefined ? 'spec.metrics' : '--metric');
}

export function formatSpecOf(spec: Spec, flags: StageFlags, grouped = spec.group !== undefined): FormatSpec {
  const select = commaList(flags.select);
  const sort = commaList(flags.sort);
  let limit = spec.limit;
  if (flags.limit !== undefined) {
    const text = flags.limit.trim();
    limit = readLimit(/^\d+$/.test(text) ? Number(text) : text, '--limit');
  }
  return {
    select: select === undefined ? spec.select : readFieldList(select, '--select'),
    sort: sort === undefined ? spec.sort : readSort(sort, '--sort'),
    limit,
    format: flags.format !== undefined ? readFormat(flags.format, '--format') : (spec.format ?? defaultFormat(grouped)),
  };
}

/** `--param k=v`: the value is JSON when it parses (true, 3, ["a"]), else the text. */
function paramFlags(values: string[] | undefined): Record<string, JsonValue> {
  const params: Record<string, JsonValue> = {};
  (values ?? []).forEach((text, i) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new SpecError(`--param[${i}]`, `"${text}": write NAME=VALUE, e.g. --param include_blocks=false`);
    const value = text.slice(eq + 1);
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(value) as JsonValue;
    } catch {
      parsed = value;
    }
    params[text.slice(0, eq)] = parsed;
  });
  return params;
}

/**
 * What seq-scan reads. `inputs` (positional paths and --root) replace the spec's roots. The
 * dataset comes from --dataset or the spec; with neither there is nothing to scan.
 */
export function scanSpecOf(spec: Spec, flags: StageFlags, inputs: string[], catalog: Catalog): ScanSpec {
  const flagDataset = flags.dataset === undefined ? undefined : readDatasetName(flags.dataset, '--dataset', catalog);
  const dataset = flagDataset ?? spec.dataset;
  if (dataset === undefined) {
    throw new SpecError('--dataset', 'missing; name the dataset to scan (--dataset NAME, or a --spec with "dataset"); seq datasets lists them');
  }
  const given = paramFlags(flags.param);
  // --roles and --skills-dir set the params of the datasets that have them (and only those).
  const has = (name: string): boolean => catalog.params(dataset)?.some((p) => p.name === name) === true;
  const roles = commaList(flags.roles);
  if (roles !== undefined && has('roles')) given.roles = roles;
  if (flags.skillsDir !== undefined && has('skills_dirs')) given.skills_dirs = flags.skillsDir;
  const base = flagDataset === undefined || flagDataset === spec.dataset ? spec.params : {};
  const params = readParams(dataset, { ...base, ...given }, Object.keys(given).length > 0 ? '--param' : 'spec.params', catalog);
  const tz = flags.tz === undefined ? spec.tz : readZone(flags.tz, '--tz');
  const sinceText = flags.since ?? spec.since;
  const untilText = flags.until ?? spec.until;
  const window = readWindow(
    sinceText === undefined ? undefined : { text: sinceText, where: flags.since !== undefined ? '--since' : 'spec.since' },
    untilText === undefined ? undefined : { text: untilText, where: flags.until !== undefined ? '--until' : 'spec.until' },
    tz,
  );
  const roots = [...inputs, ...(flags.root === undefined ? [] : readRoots(flags.root, '--root'))];
  return {
    dataset,
    params,
    roots: roots.length > 0 ? roots : spec.roots,
    source: flags.source === undefined ? spec.source : readSource(flags.source, '--source', catalog),
    window,
    tz,
  };
}

/** The stage flags out of parsed arguments. */
export function stageFlags(args: Record<string, unknown>): StageFlags {
  return {
    dataset: lastString(args.dataset),
    param: strings(args.param),
    root: strings(args.root),
    source: lastString(args.source),
    since: lastString(args.since),
    until: lastString(args.until),
    tz: lastString(args.tz),
    roles: strings(args.roles),
    skillsDir: strings(args['skills-dir']),
    where: strings(args.where),
    by: strings(args.by),
    metric: strings(args.metric),
    select: strings(args.select),
    sort: strings(args.sort),
    limit: lastString(args.limit),
    format: lastString(args.format),
  };
}
