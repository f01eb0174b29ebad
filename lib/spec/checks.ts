/** The checks every spec reader shares: a value described for a message, a near name suggested, a field name read. */
import { SpecError } from '../base/errors.js';
import { suggestion } from '../base/suggestion.js';

/** A value as a message shows it: a long text cut short. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string, what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `unknown ${what} "${value}"` : `expected a ${what} (a string), got ${describe(value)}`;
  const hint = typeof value === 'string' ? suggestion(value, allowed) : '';
  throw new SpecError(where, `${shown}; expected one of ${allowed.join(', ')}${hint}`);
}

/** An op, in any case (the seed's script lowercases them: "COUNT" is count); an unknown one is named as written. */
export function opOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  return oneOf((allowed as readonly unknown[]).includes(lower) ? lower : value, allowed, where, 'op');
}

export function readFieldName(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SpecError(where, `expected a field name (a non-empty string), got ${describe(value)}`);
  }
  return value;
}

/** A list of field names; a single string is read as a list of one. */
export function readFieldList(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new SpecError(where, `expected a list of field names, got ${describe(value)}`);
  const seen = new Set<string>();
  return list.map((item, i) => {
    const name = readFieldName(item, `${where}[${i}]`);
    if (seen.has(name)) throw new SpecError(`${where}[${i}]`, `"${name}" is listed twice`);
    seen.add(name);
    return name;
  });
}
