/** The values a JSON document can hold; records are JSON objects. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A record as it travels between stages: one JSON object. */
export type Row = JsonObject;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A new, empty record for keys that come from input: it has no prototype, so a field named
 * `__proto__` is a field like any other (on `{}` it would set the prototype and vanish).
 */
export function emptyRow(): Row {
  return Object.create(null) as Row;
}
