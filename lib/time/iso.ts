/** Timestamps as the logs write them: ISO 8601 in UTC with milliseconds (`2026-11-02T08:30:00.000Z`). */

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The instant of a timestamp that prints back exactly as written (`new Date(ms).toISOString()`),
 * else NaN. Date.parse takes days up to 31 in any month and the hour 24 (rolling them over), so
 * only those need the round trip; other canonical text is its own printed form.
 */
export function canonicalMs(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return NaN;
  if (text.length === 24 && CANONICAL.test(text) && text.slice(8, 10) <= '28' && text.slice(11, 13) <= '23') return ms;
  return new Date(ms).toISOString() === text ? ms : NaN;
}
