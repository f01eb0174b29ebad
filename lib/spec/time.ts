import { instantMs } from '../time/iso.js';

/** A bound of the time window, as epoch milliseconds: rows with since <= t < until pass. */
export interface TimeWindow {
  sinceMs: number | undefined;
  untilMs: number | undefined;
}

/** Whether an instant is inside the window; with a bound, an instant not known is not. */
export function inWindow(window: TimeWindow, ms: number | undefined): boolean {
  if (window.sinceMs === undefined && window.untilMs === undefined) return true;
  return (
    ms !== undefined && !Number.isNaN(ms) && (window.sinceMs === undefined || ms >= window.sinceMs) && (window.untilMs === undefined || ms < window.untilMs)
  );
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
