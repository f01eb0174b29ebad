/** A near name offered for a name not known: a command, an option, a value, a field. */
import { UsageError } from './errors.js';

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

/**
 * "; did you mean X?" when one known word is close to what was written, or alone begins with it;
 * `prefix` is how the name is written where it is given (`--` before an option's).
 */
export function suggestion(written: string, known: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const word of known) {
    const distance = editDistance(written.toLowerCase(), word.toLowerCase());
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(written.length / 3))) return `; did you mean ${prefix}${best}?`;
  // A name cut short (cost for cost_usd), where one name alone begins so.
  const longer = written.length >= 3 ? known.filter((word) => word.toLowerCase().startsWith(written.toLowerCase())) : [];
  return longer.length === 1 ? `; did you mean ${prefix}${longer[0]}?` : '';
}

/** A flag's value that is none of its choices, with the near one; `command`: whose --help to point to. */
export function notOneOf(flag: string, given: string, allowed: readonly string[], command?: string): UsageError {
  return new UsageError(`${flag}: "${given}" is not one of ${allowed.join(', ')}${suggestion(given, allowed)}`, undefined, command);
}
