/** Lengths of time in milliseconds (days of 24 hours: a calendar day's length is the zone's). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
