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
  if (zone === 'local') name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  else if (zone.toUpperCase() === 'UTC' || zone === 'Z') name = 'UTC';
  else {
    try {
      name = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      name = undefined;
    }
  }
  resolved.set(zone, name);
  return name;
}

const resolved = new Map<string, string | undefined>();

/** Milliseconds to add to a UTC instant to get the wall-clock time in `zone` at that instant. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;

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
