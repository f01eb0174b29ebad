/** Timestamps as the logs write them: ISO 8601 in UTC with milliseconds (`2026-11-02T08:30:00.000Z`). */
import { DAY_MS } from './units.js';
import { parseTime } from './parse.js';

/** The number written by the `width` digits at `at`, or NaN where one is not a digit. */
function digits(text: string, at: number, width: number): number {
  let n = 0;
  for (let i = at; i < at + width; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Whether the characters at the places of `YYYY-MM-DDTHH:MM:SS.mmmZ`'s separators are those. */
function separated(text: string): boolean {
  return (
    text.length === 24 &&
    text.charCodeAt(4) === 0x2d &&
    text.charCodeAt(7) === 0x2d &&
    text.charCodeAt(10) === 0x54 &&
    text.charCodeAt(13) === 0x3a &&
    text.charCodeAt(16) === 0x3a &&
    text.charCodeAt(19) === 0x2e &&
    text.charCodeAt(23) === 0x5a
  );
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] as number);
}

/**
 * The instant of a timestamp that prints back exactly as written (`new Date(ms).toISOString()`),
 * else NaN. The logs' own form is read from its digits (it is read once per request, so it is
 * worth it); a date or time that rolls over (the 31st of a short month, the hour 24) or a year
 * before 100 (which Date.UTC would take for 19xx) goes the long way, by the round trip.
 */
export function canonicalMs(text: string): number {
  if (separated(text)) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    const milli = digits(text, 20, 3);
    // NaN fails every comparison: a text with a non-digit goes the long way too.
    if (year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59 && milli >= 0)
      return Date.UTC(year, month - 1, day, hour, minute, second, milli);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return NaN;
  return new Date(ms).toISOString() === text ? ms : NaN;
}

/**
 * The instant of a log's timestamp, NaN where it does not read: the logs' own form from its
 * digits, any other as parseTime reads it, in UTC where it names no zone (never in the zone of
 * the machine, as `Date.parse` would).
 */
export function instantMs(text: string): number {
  // canonicalMs's round trip is for the logs' own form alone: any other goes to parseTime at once.
  const ms = separated(text) ? canonicalMs(text) : NaN;
  if (!Number.isNaN(ms)) return ms;
  return parseTime(text, 'UTC')?.startMs ?? NaN;
}

/**
 * A timestamp as a row carries it, given its instant: in the logs' own form, so that rows sort
 * by it in time order (`2026-03-01T08:00:00-05:00` is `2026-03-01T13:00:00.000Z`). Text in that
 * form already, and text that does not read, are kept as written.
 */
export function rowTime(text: string, ms: number): string {
  return Number.isNaN(ms) || separated(text) ? text : isoOfMs(ms);
}

/** The later of two times by their instants; either may be missing. */
export function laterTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return instantMs(b) > instantMs(a) ? b : a;
}

/** The earlier of two times by their instants; either may be missing. */
export function earlierTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return instantMs(b) < instantMs(a) ? b : a;
}

/** A time of a row's other than its timestamp (a session's end), as rowTime writes it. */
export function utcTime(text: string): string {
  return rowTime(text, instantMs(text));
}

let prefixDay = NaN;
let prefix = '';

function pad(n: number, width: number): string {
  return n.toString().padStart(width, '0');
}

/**
 * `new Date(ms).toISOString()`, written from the numbers: the date's part is kept from the last
 * call (a history's requests come day by day), so most calls only write the time of day. Years
 * outside 0..9999 (written with a sign) are left to Date.
 */
export function isoOfMs(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== prefixDay) {
    const iso = new Date(ms).toISOString();
    if (iso.length !== 24) return iso;
    prefixDay = day;
    prefix = iso.slice(0, 11);
  }
  const of = ms - day * DAY_MS;
  const milli = of % 1000;
  const seconds = (of - milli) / 1000;
  return `${prefix}${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(milli, 3)}Z`;
}
