/** The checks every spec reader shares: a value described for a message, a near name suggested, a field name read. */
import { SpecError } from '../base/errors.js';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Edits between two words, a swap of neighbours counting as one ("vlaue" is one from "value"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** "; did you mean X?" when one known word is close to what was written, or alone begins with it. */
export function suggestion(written: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const word of known) {
    const distance = editDistance(written.toLowerCase(), word.toLowerCase());
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(written.length / 3))) return `; did you mean ${best}?`;
  // A name cut short (cost for cost_usd), where one name alone begins so.
  const longer = written.length >= 3 ? known.filter((word) => word.toLowerCase().startsWith(written.toLowerCase())) : [];
  return longer.length === 1 ? `; did you mean ${longer[0]}?` : '';
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string, what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `unknown ${what} "${value}"` : `expected a ${what} (a string), got ${describe(value)}`;
  const hint = typeof value === 'string' ? suggestion(value, allowed) : '';
  throw new SpecError(where, `${shown}; expected one of ${allowed.join(', ')}${hint}`);
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
