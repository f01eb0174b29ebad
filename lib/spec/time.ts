import { wallTimeToUtc } from '../time/zones.js';

/** A bound of the time window, as epoch milliseconds: rows with since <= t < until pass. */
export interface TimeWindow {
  sinceMs: number | undefined;
  untilMs: number | undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface ParsedTime {
  /** The instant the text names; for a date alone, the start of that day in the zone. */
  startMs: number;
  /** The first instant after what the text names: the next day for a date, +1 ms otherwise. */
  endMs: number;
}

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * Reads `2026-01-31`, `2026-01-31T10:00`, `2026-01-31 10:00:05.123`, with or without a zone
 * (`Z`, `+02:00`). A time without a zone is wall-clock time in `zone`; a date alone is that
 * whole day in `zone`. Returns undefined for text that is none of these.
 */
export function parseTime(text: string, zone: string): ParsedTime | undefined {
  const trimmed = text.trim();
  const date = DATE.exec(trimmed);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDay(y, m, d)) return undefined;
    return {
      startMs: wallTimeToUtc(Date.UTC(y, m - 1, d), zone),
      endMs: wallTimeToUtc(Date.UTC(y, m - 1, d + 1), zone),
    };
  }
  const dt = DATETIME.exec(trimmed);
  if (!dt) return undefined;
  const [y, m, d, hh, mm] = [Number(dt[1]), Number(dt[2]), Number(dt[3]), Number(dt[4]), Number(dt[5])];
  const ss = dt[6] === undefined ? 0 : Number(dt[6]);
  const ms = dt[7] === undefined ? 0 : Math.floor(Number(`0.${dt[7]}`) * 1000);
  if (!validDay(y, m, d) || hh > 23 || mm > 59 || ss > 59) return undefined;
  const wall = Date.UTC(y, m - 1, d, hh, mm, ss, ms);
  const offsetText = dt[8];
  let instant: number;
  if (offsetText === undefined) {
    instant = wallTimeToUtc(wall, zone);
  } else if (offsetText === 'Z' || offsetText === 'z') {
    instant = wall;
  } else {
    const sign = offsetText.startsWith('-') ? -1 : 1;
    const digits = offsetText.slice(1).replace(':', '');
    const [offsetHours, offsetMinutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || '0')];
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    const offsetMin = offsetHours * 60 + offsetMinutes;
    instant = wall - sign * offsetMin * 60_000;
  }
  return { startMs: instant, endMs: instant + 1 };
}

/** Reads a record's timestamp: ISO-8601 text (UTC unless it names a zone) or epoch seconds/ms. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds until the year 5138, milliseconds after: no real log is ambiguous.
    return value < 1e11 ? value * 1000 : value;
  }
  if (typeof value !== 'string' || value.length < 10) return undefined;
  const parsed = parseTime(value, 'UTC');
  return parsed?.startMs;
}
