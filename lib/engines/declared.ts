/**
 * Rows as their dataset declares them: its fields, in its order, each value of the field's type.
 * What other tools read (an export) must hold what the schema says, so a value of another type
 * is written as null, and counted: the count is told at the end, never lost silently.
 */
import type { Transform } from 'node:stream';
import type { FieldInfo, FieldType } from '../datasets/types.js';
import { emptyRow, type JsonValue, type Row } from '../jsonl/json.js';
import { stage } from '../base/transform.js';

/** Whether a present value is of a declared type; integers are the safe ones (a double holds them exactly). */
export function ofType(value: JsonValue, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'any':
      return true;
  }
}

/** The rows with exactly the declared fields; `mismatched` counts, per field, the values set to null. */
export function declaredStage(fields: readonly FieldInfo[], mismatched: Map<string, number>): Transform {
  return stage<Row, Row>({
    record(row, push) {
      const out = emptyRow();
      for (const field of fields) {
        const value = Object.hasOwn(row, field.name) ? row[field.name] : undefined;
        if (value === undefined || value === null) out[field.name] = null;
        else if (ofType(value, field.type)) out[field.name] = value;
        else {
          out[field.name] = null;
          mismatched.set(field.name, (mismatched.get(field.name) ?? 0) + 1);
        }
      }
      push(out);
    },
  });
}

/** One warning per field whose values were not all of its type; `done`: what became of them (written, read as null). */
export function mismatchWarnings(
  fields: readonly FieldInfo[],
  mismatched: ReadonlyMap<string, number>,
  done: 'written' | 'read' | 'sent' = 'written',
): string[] {
  return fields
    .filter((field) => mismatched.has(field.name))
    .map((field) => {
      const n = mismatched.get(field.name) as number;
      return `${n} value${n === 1 ? '' : 's'} of "${field.name}" ${n === 1 ? 'was' : 'were'} not of its declared type (${field.type}) and ${n === 1 ? 'was' : 'were'} ${done} as null`;
    });
}
