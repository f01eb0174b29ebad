/**
 * A spec's field names against the fields a dataset's rows have, where it declares them all (a
 * session dataset): a name no row has is a typo, refused before any file is read, rather than a
 * column of nulls, a sum of 0 or a sort that orders nothing. After grouping, the rows have the
 * group's fields and the metrics' names alone.
 */
import { SpecError } from '../base/errors.js';
import { suggestion } from '../base/suggestion.js';
import type { FilterSpec, FormatSpec, GroupSpec } from './types.js';

export function checkFieldNames(
  dataset: string,
  fields: readonly string[],
  filter: FilterSpec,
  group: GroupSpec | undefined = undefined,
  format: FormatSpec | undefined = undefined,
): void {
  const rowFields = new Set(fields);
  const schema = `seq dataset-schema --dataset ${dataset} lists them`;
  const check = (name: string, path: string, known: Set<string>, what: string, where: string): void => {
    if (!known.has(name)) throw new SpecError(path, `"${name}" is no ${what}${suggestion(name, [...known])} (${where})`);
  };
  const field = (name: string, path: string): void => check(name, path, rowFields, `field of ${dataset}`, schema);
  for (const [i, predicate] of filter.where.entries()) field(predicate.field, `spec.where[${i}].field`);
  for (const [i, name] of (group?.groupBy ?? []).entries()) field(name, `spec.group_by[${i}]`);
  for (const [i, metric] of (group?.metrics ?? []).entries()) if (metric.field !== undefined) field(metric.field, `spec.metrics[${i}].field`);
  const columns = group === undefined ? undefined : [...group.groupBy, ...group.metrics.map((metric) => metric.as)];
  const column = (name: string, path: string): void =>
    columns === undefined ? field(name, path) : check(name, path, new Set(columns), 'column of the grouped rows', `they are ${columns.join(', ')}`);
  for (const [i, name] of (format?.select ?? []).entries()) column(name, `spec.select[${i}]`);
  for (const [i, key] of (format?.sort ?? []).entries()) column(key.field, `spec.sort[${i}]`);
}
