import type { Row } from '../../jsonl/json.js';
import type { FormatContext, Formatter } from './types.js';

/** A name JavaScript puts before every other key of an object (an array index: `"2024"`). */
const INDEX_LIKE = /^(?:0|[1-9]\d{0,8})$/;

/**
 * How a row is written with the `select` order kept, where JavaScript's own order would not keep
 * it (a selected name that is an array index comes first in any object); undefined where it does.
 */
export function inSelectOrder(columns: string[] | undefined, indent?: number): ((row: Row) => string) | undefined {
  if (columns === undefined || !columns.some((name) => INDEX_LIKE.test(name))) return undefined;
  const keys = columns.map((name) => JSON.stringify(name));
  if (indent === undefined) return (row) => `{${columns.map((name, i) => `${keys[i]}:${JSON.stringify(row[name] ?? null)}`).join(',')}}`;
  const pad = ' '.repeat(indent);
  return (row) =>
    `{\n${columns.map((name, i) => `${pad}${keys[i]}: ${JSON.stringify(row[name] ?? null, null, indent).replace(/\n/g, `\n${pad}`)}`).join(',\n')}\n}`;
}

/** One JSON object per line: what every stage reads. */
export function jsonlFormatter(context: FormatContext): Formatter {
  const ordered = inSelectOrder(context.columns);
  return { row: ordered === undefined ? (row) => `${JSON.stringify(row)}\n` : (row) => `${ordered(row)}\n`, end: () => '' };
}
