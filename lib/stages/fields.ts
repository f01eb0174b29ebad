import type { JsonValue, Row } from '../jsonl/json.js';

/** Reads one field of a record; undefined when the record does not have it. */
export type FieldGetter = (row: Row) => JsonValue | undefined;

const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Compiles a field name into a getter. A dotted name (`metrics.filesChanged`, `issues.0`) walks
 * nested objects and arrays, but a record that has the dotted name as a key of its own wins, so
 * the rows that seq-group writes (whose keys are the dotted names) read back the same way.
 * Only own properties count: `constructor` or `toString` are never found on a plain record.
 */
export function fieldGetter(name: string): FieldGetter {
  const parts = name.split('.');
  if (parts.length === 1) {
    return (row) => (Object.hasOwn(row, name) ? row[name] : undefined);
  }
  return (row) => {
    if (Object.hasOwn(row, name)) return row[name];
    let current: JsonValue | undefined = row;
    for (const part of parts) {
      if (Array.isArray(current)) {
        if (!INDEX.test(part)) return undefined;
        current = current[Number(part)];
      } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, part)) {
        current = current[part];
      } else {
        return undefined;
      }
    }
    return current;
  };
}
