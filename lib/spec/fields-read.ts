/**
 * The fields of the scan's rows that the stages after it read: a kept table gives rows with only
 * these (lib/scan/table-scan.ts). Undefined where the output holds whole rows (no grouping and no
 * select), or where a field is read by a path into it.
 */
import type { FilterSpec, FormatSpec, GroupSpec } from './types.js';

export function fieldsRead(filter: FilterSpec, group: GroupSpec | undefined, format: FormatSpec): Set<string> | undefined {
  const names = filter.where.map((predicate) => predicate.field);
  if (group !== undefined) {
    names.push(...group.groupBy);
    for (const metric of group.metrics) if (metric.field !== undefined) names.push(metric.field);
  } else if (format.select !== undefined) {
    names.push(...format.select, ...format.sort.map((key) => key.field));
  } else return undefined;
  // A dotted name reads a nested value, or a field of its own with the dots (stages/fields.ts): both are kept.
  return new Set(names.flatMap((name) => [name, name.split('.')[0] as string]));
}
