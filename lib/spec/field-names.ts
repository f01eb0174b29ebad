/**
 * A spec's field names against the fields a dataset's rows have, where it declares them all (a
 * session dataset): a name no row has is a typo, refused before any file is read, rather than a
 * column of nulls, a sum of 0 or a sort that orders nothing. After grouping, the rows have the
 * group's fields and the metrics' names alone.
 */
import { SpecError } from '../base/errors.js';
import { suggestion } from './checks.js';
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
  filter.where.forEach((predicate, i) => field(predicate.field, `spec.where[${i}].field`));
  group?.groupBy.forEach((name, i) => field(name, `spec.group_by[${i}]`));
  group?.metrics.forEach((metric, i) => {
    if (metric.field !== undefined) field(metric.field, `spec.metrics[${i}].field`);
  });
  const columns = group === undefined ? undefined : [...group.groupBy, ...group.metrics.map((metric) => metric.as)];
  const column = (name: string, path: string): void =>
    columns === undefined ? field(name, path) : check(name, path, new Set(columns), 'column of the grouped rows', `they are ${columns.join(', ')}`);
  format?.select?.forEach((name, i) => column(name, `spec.select[${i}]`));
  format?.sort.forEach((key, i) => column(key.field, `spec.sort[${i}]`));
}
