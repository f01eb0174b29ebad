/** How values read as text in the human formats (table, markdown, chart). */
import type { JsonValue } from '../../jsonl/json.js';
import { stringForm } from '../../jsonl/values.js';

/**
 * Human formats (table, markdown, chart): fractions rounded (2 decimals, or 3 significant digits
 * below 1) so that an average reads as 12.35, not 12.345678901; integers stay exact.
 */
export function humanNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const rounded = Math.abs(value) >= 1 ? Number(value.toFixed(2)) : Number(value.toPrecision(3));
  return String(rounded);
}

// Control characters would break a table's lines or drive the terminal: show them escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function escapeControl(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

export function humanText(value: JsonValue | undefined): string {
  if (typeof value === 'number') return humanNumber(value);
  return stringForm(value).replace(CONTROL, escapeControl);
}

export function isNumberColumn(values: Array<JsonValue | undefined>): boolean {
  let numbers = 0;
  for (const value of values) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return false;
    numbers++;
  }
  return numbers > 0;
}
