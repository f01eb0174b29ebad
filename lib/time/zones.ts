import { DAY_MS } from './units.js';
import { realpathSync } from 'node:fs';

/**
 * Time zones without a library: Intl knows every IANA zone, so offsets come from it.
 * Formatters are cached per zone because creating one costs far more than using it.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's name if Intl knows it ("local" is the machine's zone); undefined otherwise. */
export function resolveZone(zone: string): string | undefined {
  // Asked for every file a scan opens; Intl builds a formatter each time it is asked.
  if (resolved.has(zone)) return resolved.get(zone);
  let name: string | undefined;
  if (zone === 'local') name = machineZone();
  else if (zone.toUpperCase() === 'UTC' || zone === 'Z') name = 'UTC';
  else name = ianaName(zone);
  resolved.set(zone, name);
  return name;
}

function ianaName(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The machine's zone by its IANA name, as the C library reads TZ: a name (`Asia/Tokyo`, with or
 * without a leading colon), a path to a zone file (`:/etc/localtime`), or a POSIX rule without
 * daylight saving in whole hours (`JST-9`). TZ unset is /etc/localtime, which Intl names; TZ set
 * empty is UTC. Any other rule (a half hour, daylight saving) has no IANA name: undefined, where
 * Intl would say UTC.
 */
function machineZone(): string | undefined {
  const tz = process.env.TZ;
  if (tz === '') return 'UTC';
  if (tz === undefined) {
    const named = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
    if (named !== undefined && named !== 'Etc/Unknown' && ianaName(named) !== undefined) return named;
  }
  let text = tz === undefined ? '/etc/localtime' : tz.replace(/^:/, '');
  if (text.startsWith('/')) {
    try {
      text = realpathSync(text);
    } catch {
      return undefined;
    }
    const at = text.lastIndexOf('/zoneinfo/');
    if (at < 0) return undefined;
    text = text.slice(at + '/zoneinfo/'.length).replace(/^(posix|right)\//, '');
  }
  const fixed = /^(?:[A-Za-z]{3,}|<[^>]*>)([+-]?)(\d{1,2})$/.exec(text);
  // POSIX counts hours west of Greenwich, as Etc/GMT+N does: JST-9 is Etc/GMT-9, UTC+9.
  if (fixed !== null) text = Number(fixed[2]) === 0 ? 'UTC' : `Etc/GMT${fixed[1] === '-' ? '-' : '+'}${Number(fixed[2])}`;
  // A rule of any other form (IST-5:30, CET-1CEST,M3.5.0,M10.5.0/3) is no name Intl knows.
  return ianaName(text);
}

const resolved = new Map<string, string | undefined>();

/** Date.UTC with a month from 1, but a year before 100 is that year (Date.UTC takes 50 for 1950). A day past the month's rolls over. */
export function utc(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0, ms = 0): number {
  const t = new Date(Date.UTC(y, m - 1, d, hh, mm, ss, ms));
  if (y < 100) t.setUTCFullYear(y, m - 1, d);
  return t.getTime();
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `zone` at that instant. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = utc(parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant at which the wall clock in `zone` shows the given time. A zone's offset the
 * day before and the day after are the only two it can have then (no zone changes twice in two
 * days): each gives an instant, and those at which the clock does show the time are the answers.
 * Where the clock shows it twice (it was turned back) the earlier wins; where it never does (it
 * jumped forward over it), the time moves forward by the jump, as a clock read before it would.
 */
export function wallTimeToUtc(wallMs: number, zone: string): number {
  if (zone === 'UTC') return wallMs;
  const before = wallMs - zoneOffsetMs(wallMs - DAY_MS, zone);
  const after = wallMs - zoneOffsetMs(wallMs + DAY_MS, zone);
  const shows = (instant: number): boolean => instant + zoneOffsetMs(instant, zone) === wallMs;
  const answers = [before, after].filter(shows);
  if (answers.length > 0) return Math.min(...answers);
  return before;
}
