/**
 * A spec's field names against the fields a dataset's rows have, where it declares them all (a
 * session dataset): a name no row has is a typo, refused before any file is read, rather than a
 * column of nulls, a sum of 0 or a sort that orders nothing. After grouping, the rows have the
 * group's fields and the metrics' names alone.
 */
import { SpecError } from '../base/errors.js';
import { suggestion } from '../base/suggestion.js';
import { namesRead } from './fields-read.js';
import type { FilterSpec, FormatSpec, GroupSpec } from './types.js';

/** `otherParams`: whether the dataset's rows have a field with other params only (messages' `missing_sections`, with `sections`). */
export function checkFieldNames(
  dataset: string,
  fields: ReadonlyArray<{ name: string; type: string }>,
  filter: FilterSpec,
  group: GroupSpec | undefined = undefined,
  format: FormatSpec | undefined = undefined,
  otherParams: (name: string) => boolean = () => false,
): void {
  const rowFields = new Set(fields.map((field) => field.name));
  // A dotted path into a field of lists or objects (missing_sections.0) is that field's.
  const nested = new Set(fields.filter((field) => field.type === 'array' || field.type === 'object').map((field) => field.name));
  const schema = `seq dataset-schema --dataset ${dataset} lists them`;
  const refuse = (name: string, path: string, known: Set<string>, what: string, where: string): never => {
    throw new SpecError(path, `"${name}" is no ${what}${suggestion(name, [...known])} (${where})`);
  };
  const field = (name: string, path: string): void => {
    const root = name.split('.')[0] as string;
    if (rowFields.has(name) || nested.has(root)) return;
    if (otherParams(root))
      throw new SpecError(path, `"${name}" is a field of ${dataset} only with another param (seq dataset-schema --dataset ${dataset} says which)`);
    refuse(name, path, rowFields, `field of ${dataset}`, schema);
  };
  for (const { name, path } of namesRead(filter.where, group, format)) field(name, path);
  if (group === undefined) return;
  const columns = new Set([...group.groupBy, ...group.metrics.map((metric) => metric.as)]);
  const column = (name: string, path: string): void => {
    if (!columns.has(name)) refuse(name, path, columns, 'column of the grouped rows', `they are ${[...columns].join(', ')}`);
  };
  for (const [i, name] of (format?.select ?? []).entries()) column(name, `spec.select[${i}]`);
  for (const [i, key] of (format?.sort ?? []).entries()) column(key.field, `spec.sort[${i}]`);
}
