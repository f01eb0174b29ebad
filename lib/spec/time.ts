import { instantMs } from '../time/iso.js';

/** A bound of the time window, as epoch milliseconds: rows with since <= t < until pass. */
export interface TimeWindow {
  sinceMs: number | undefined;
  untilMs: number | undefined;
}

/** Reads a record's timestamp: ISO-8601 text (UTC unless it names a zone) or epoch seconds/ms. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds until the year 5138, milliseconds after: no real log is ambiguous.
    return value < 1e11 ? value * 1000 : value;
  }
  if (typeof value !== 'string') return undefined;
  const ms = instantMs(value);
  return Number.isNaN(ms) ? undefined : ms;
}
