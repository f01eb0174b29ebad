/** How values read as text in the human formats (table, markdown, chart). */
import type { JsonValue } from '../../jsonl/json.js';
import { stringForm } from '../../jsonl/values.js';
import { escapeControls } from '../../base/control.js';

/**
 * Human formats (table, markdown, chart): fractions rounded (2 decimals, or 3 significant digits
 * below 1) so that an average reads as 12.35, not 12.345678901; integers stay exact.
 */
export function humanNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const rounded = Math.abs(value) >= 1 ? Number(value.toFixed(2)) : Number(value.toPrecision(3));
  return String(rounded);
}

/** Dollars as a bill shows them: to the cent, or two significant figures where that is under a cent. */
export function billDollars(value: number): string {
  return value >= 0.01 || value === 0 ? value.toFixed(2) : value.toPrecision(2);
}

/** A count rounded to a whole number, its thousands set apart: 12,345. */
export function countText(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function humanText(value: JsonValue | undefined): string {
  if (typeof value === 'number') return humanNumber(value);
  return escapeControls(stringForm(value));
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
