/**
 * The fields of the scan's rows that the stages after it read: a kept table gives rows with only
 * these (lib/scan/table-scan.ts). Undefined where the output holds whole rows (no grouping and no
 * select).
 */
import type { GroupSpec, Predicate, SortKey } from './types.js';

/**
 * Each name a spec reads from the scan's rows, with its place in the spec: the predicates', the
 * grouping's and the metrics'; the select's and the sort's where there is no grouping (after
 * one, they name the group's own columns).
 */
export function namesRead(
  where: readonly Predicate[],
  group: GroupSpec | undefined,
  shape: { select: readonly string[] | undefined; sort: readonly SortKey[] } | undefined,
): Array<{ name: string; path: string }> {
  const names = where.map((predicate, i) => ({ name: predicate.field, path: `spec.where[${i}].field` }));
  if (group !== undefined) {
    names.push(...group.groupBy.map((name, i) => ({ name, path: `spec.group_by[${i}]` })));
    for (const [i, metric] of group.metrics.entries()) if (metric.field !== undefined) names.push({ name: metric.field, path: `spec.metrics[${i}].field` });
  } else if (shape !== undefined) {
    names.push(...(shape.select ?? []).map((name, i) => ({ name, path: `spec.select[${i}]` })));
    names.push(...shape.sort.map((key, i) => ({ name: key.field, path: `spec.sort[${i}]` })));
  }
  return names;
}

export function fieldsRead(
  where: Predicate[],
  group: GroupSpec | undefined,
  shape: { select: string[] | undefined; sort: SortKey[] },
): Set<string> | undefined {
  if (group === undefined && shape.select === undefined) return undefined;
  // A dotted name reads a nested value, or a field of its own with the dots (stages/fields.ts): both are kept.
  return new Set(namesRead(where, group, shape).flatMap(({ name }) => [name, name.split('.')[0] as string]));
}

/** The fields several readers of the same rows read together; undefined when one of them reads whole rows. */
export function fieldsReadByAll(each: Array<Set<string> | undefined>): Set<string> | undefined {
  const all = new Set<string>();
  for (const fields of each) {
    if (fields === undefined) return undefined;
    for (const field of fields) all.add(field);
  }
  return all;
}
