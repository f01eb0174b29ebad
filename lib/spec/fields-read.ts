/**
 * The fields of the scan's rows that the stages after it read: a kept table gives rows with only
 * these (lib/scan/table-scan.ts). Undefined where the output holds whole rows (no grouping and no
 * select).
 */
import type { GroupSpec, Predicate, SortKey } from './types.js';

export function fieldsRead(
  where: Predicate[],
  group: GroupSpec | undefined,
  shape: { select: string[] | undefined; sort: SortKey[] },
): Set<string> | undefined {
  const names = where.map((predicate) => predicate.field);
  if (group !== undefined) {
    names.push(...group.groupBy);
    for (const metric of group.metrics) if (metric.field !== undefined) names.push(metric.field);
  } else if (shape.select !== undefined) {
    names.push(...shape.select, ...shape.sort.map((key) => key.field));
  } else return undefined;
  // A dotted name reads a nested value, or a field of its own with the dots (stages/fields.ts): both are kept.
  return new Set(names.flatMap((name) => [name, name.split('.')[0] as string]));
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
