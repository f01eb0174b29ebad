/**
 * How the stages read values: the semantics of the spec language, made total, so that no mix
 * of types can crash a comparison.
 */
import type { JsonValue } from './json.js';

/** Missing and null are the same thing to every stage. */
export function isMissing(value: JsonValue | undefined): value is null | undefined {
  return value === undefined || value === null;
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A number, or a string that spells one a double can hold ("42", " 1.5e3 "); anything else is not a number. */
export function toNumber(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** A value as text: what `contains` and `regex` match, and what CSV writes. Missing is ""; objects are compact JSON; numbers keep every digit. */
export function stringForm(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Equality without type coercion (1 is not "1", true is not 1); objects compare by content. */
export function valuesEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((item, i) => valuesEqual(item, y[i]));
  }
  const xo = x as Record<string, JsonValue>;
  const yo = y as Record<string, JsonValue>;
  const keys = Object.keys(xo);
  if (keys.length !== Object.keys(yo).length) return false;
  return keys.every((key) => Object.hasOwn(yo, key) && valuesEqual(xo[key], yo[key]));
}

/** A key under which equal values (by valuesEqual) meet: for grouping and count_distinct. */
export function valueKey(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number') return `n${String(value)}`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `j${canonicalJson(value)}`;
}

function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function typeRank(value: JsonValue): number {
  switch (typeof value) {
    case 'boolean':
      return 0;
    case 'number':
      return 1;
    case 'string':
      return 2;
    default:
      return Array.isArray(value) ? 3 : 4;
  }
}

/**
 * A total order over present values: booleans, then numbers (numerically), then strings (by
 * UTF-16 code units, as `sort` does), then arrays and objects (by their JSON text). Mixed
 * types sort by kind, so no comparison fails.
 */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ja = canonicalJson(a);
  const jb = canonicalJson(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}
