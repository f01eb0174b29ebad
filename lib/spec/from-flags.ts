/**
 * The stages' flags (flags.ts), read into the same checked form as a spec's keys and laid over
 * it: `--where` adds predicates to the spec's where; every other flag replaces the spec's value.
 * Errors name the flag (`--metric[0].op: unknown op "median"; ...`).
 */
import type { JsonValue } from '../jsonl/json.js';
import type { Catalog } from './catalog.js';
import { loadSpec, type SpecSource } from './load.js';
import { parseShorthand } from './shorthand.js';
import { defaultFormat, type FilterSpec, type FormatSpec, type GroupSpec, type Predicate, type ScanSpec, type Spec } from './types.js';
import type { Values } from '../base/command.js';
import { SpecError } from '../base/errors.js';
import {
  readDatasetName,
  readFormat,
  readGroup,
  readLimit,
  readMetric,
  readParams,
  readRoots,
  readSort,
  readSource,
  readProject,
  readWindow,
  readZone,
  emptySpec,
  readSpec,
} from './validate.js';
import { readFieldList } from './checks.js';
import { readPredicate } from './predicate.js';
import type { SPEC_FLAGS, StageFlags } from './flags.js';

/**
 * The spec given with --spec (checked whole, before any input is read), or the empty spec.
 * `catalog`: the datasets, for a command that owns the spec's dataset and params.
 */
export function givenSpec(values: Values<typeof SPEC_FLAGS>, catalog?: Catalog): { spec: Spec; source: SpecSource | undefined } {
  if (values.spec === undefined) return { spec: emptySpec(), source: undefined };
  const source = loadSpec(values.spec);
  return { spec: readSpec(source.raw, catalog), source };
}

/** `--by a,b --by c` is [a, b, c]. */
/** A flag's comma-separated names (repeatable); an empty one (`--by ''`, `a,,b`, the flag without its value) is refused. */
export function commaList(values: string[] | undefined, flag: string): string[] | undefined {
  if (values === undefined) return undefined;
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  if (names.includes('')) throw new SpecError(flag, `an empty name in ${JSON.stringify(values.join(','))}; write names between commas (a,b)`);
  return names;
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
        throw new SpecError(
          where,
          `invalid JSON (${error instanceof Error ? error.message : String(error)}); write '{"field":"x","op":"eq","value":1}' or 'x == 1'`,
        );
      }
      const list = Array.isArray(raw) ? raw : [raw];
      for (const [j, item] of list.entries()) predicates.push(readPredicate(item, Array.isArray(raw) ? `${where}[${j}]` : where));
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
  const by = commaList(flags.by, '--by');
  const metrics = flags.metric?.map((text, i) => readMetric(parseMetricFlag(text, `--metric[${i}]`), `--metric[${i}]`));
  if (by === undefined && metrics === undefined) return spec.group;
  const groupBy = by === undefined ? (spec.group?.groupBy ?? []) : readFieldList(by, '--by');
  return readGroup(
    groupBy,
    metrics ?? spec.group?.metrics ?? [],
    by === undefined ? 'spec.group_by' : '--by',
    metrics === undefined ? 'spec.metrics' : '--metric',
  );
}

export function formatSpecOf(spec: Spec, flags: StageFlags, grouped = spec.group !== undefined): FormatSpec {
  const select = commaList(flags.select, '--select');
  const sort = commaList(flags.sort, '--sort');
  let limit = spec.limit;
  if (flags.limit !== undefined) {
    const text = flags.limit.trim();
    // Digits past 2^53 are refused as typed, not as the double they would round to.
    const number = Number(text);
    limit = readLimit(/^\d+$/.test(text) && Number.isSafeInteger(number) ? number : text, '--limit');
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
  const base = flagDataset === undefined || flagDataset === spec.dataset ? spec.params : {};
  // A param's errors name where it was given: the spec, --param, or a flag of its own.
  const places: Record<string, string> = {};
  for (const name of Object.keys(base ?? {})) places[name] = `spec.params.${name}`;
  for (const name of Object.keys(given)) places[name] = `--param.${name}`;
  // --roles, --skills-dir, --prices and --no-cost set the params of the datasets that have them (and only those).
  const has = (name: string): boolean => catalog.params(dataset)?.some((p) => p.name === name) === true;
  const set = (name: string, value: JsonValue, flag: string): void => {
    given[name] = value;
    places[name] = flag;
  };
  const roles = commaList(flags.roles, '--roles');
  if (roles !== undefined && has('roles')) set('roles', roles, '--roles');
  if (flags['skills-dir'] !== undefined && has('skills_dirs')) set('skills_dirs', flags['skills-dir'], '--skills-dir');
  if (flags.prices !== undefined && has('prices')) set('prices', flags.prices, '--prices');
  if (flags.cost === false && has('cost')) set('cost', false, '--no-cost');
  const params = readParams(dataset, { ...base, ...given }, Object.keys(given).length > 0 ? '--param' : 'spec.params', catalog, places);
  const tz = readZone(flags.tz ?? spec.tz, flags.tz === undefined ? 'spec.tz' : '--tz');
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
    project: flags.project === undefined ? spec.project : readProject(flags.project, '--project'),
    window,
    tz,
  };
}
