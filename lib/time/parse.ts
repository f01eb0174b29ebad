/**
 * Times as people and logs write them: a date (`2026-01-31`), or a date and time
 * (`2026-01-31T10:00`, `2026-01-31 10:00:05.123`) with or without a zone (`Z`, `+02`, `+0200`,
 * `+02:00`). The one reader of both a --since and a log's timestamp, so that a row labelled with
 * a day is always inside that day's window.
 */
import { utc, wallTimeToUtc } from './zones.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface ParsedTime {
  /** The instant the text names; for a date alone, the start of that day in the zone. */
  startMs: number;
  /** The first instant after what the text names: the next day for a date, +1 ms otherwise. */
  endMs: number;
}

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(utc(y, m, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * Reads a date or a date and time. A time without a zone is wall-clock time in `zone`; a date
 * alone is that whole day in `zone`. Digits of a second past the millisecond are dropped.
 * Returns undefined for text that is none of these, or names a day or time that does not exist.
 */
export function parseTime(text: string, zone: string): ParsedTime | undefined {
  const trimmed = text.trim();
  const date = DATE.exec(trimmed);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDay(y, m, d)) return undefined;
    return {
      startMs: wallTimeToUtc(utc(y, m, d), zone),
      endMs: wallTimeToUtc(utc(y, m, d + 1), zone),
    };
  }
  const dt = DATETIME.exec(trimmed);
  if (!dt) return undefined;
  const [y, m, d, hh, mm] = [Number(dt[1]), Number(dt[2]), Number(dt[3]), Number(dt[4]), Number(dt[5])];
  const ss = dt[6] === undefined ? 0 : Number(dt[6]);
  const ms = dt[7] === undefined ? 0 : Number(dt[7].slice(0, 3).padEnd(3, '0'));
  if (!validDay(y, m, d) || hh > 23 || mm > 59 || ss > 59) return undefined;
  const wall = utc(y, m, d, hh, mm, ss, ms);
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
