/**
 * The day, ISO week and month of a timestamp in a time zone: how rows are bucketed. Offsets are
 * cached per quarter hour (every zone's changes fall on one) and buckets per day, so millions
 * of rows cost a few lookups.
 */
import { utc, zoneOffsetMs } from './zones.js';

export interface Buckets {
  day: string;
  week: string;
  month: string;
}

const QUARTER_HOUR = 15 * 60_000;
const DAY = 86_400_000;
const offsets = new Map<string, number>();
/** Buckets by local day number (days since 1970 in the zone): no date is formatted twice. */
const days = new Map<number, Buckets>();

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A year as ISO 8601 writes it: four digits from 0 to 9999 (0099, not 99). */
function yearText(year: number): string {
  return year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(year: number, month: number, day: number): string {
  const t = new Date(utc(year, month, day));
  const weekday = (t.getUTCDay() + 6) % 7;
  t.setUTCDate(t.getUTCDate() - weekday + 3);
  const weekYear = t.getUTCFullYear();
  const jan4 = new Date(utc(weekYear, 1, 4));
  const firstThursday = utc(weekYear, 1, 4 - ((jan4.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((t.getTime() - firstThursday) / (7 * 86_400_000));
  return `${yearText(weekYear)}-W${pad(week)}`;
}

function offset(ms: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const key = `${zone}|${Math.floor(ms / QUARTER_HOUR)}`;
  let value = offsets.get(key);
  if (value === undefined) {
    value = zoneOffsetMs(Math.floor(ms / QUARTER_HOUR) * QUARTER_HOUR, zone);
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, value);
  }
  return value;
}

/** Buckets of an instant (epoch ms) in `zone`. */
export function bucketsAt(ms: number, zone: string): Buckets {
  const localMs = ms + offset(ms, zone);
  const dayNumber = Math.floor(localMs / DAY);
  let buckets = days.get(dayNumber);
  if (!buckets) {
    const local = new Date(localMs);
    const dayText = `${yearText(local.getUTCFullYear())}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    buckets = { day: dayText, week: isoWeek(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()), month: dayText.slice(0, 7) };
    if (days.size > 100_000) days.clear();
    days.set(dayNumber, buckets);
  }
  return buckets;
}

export type BucketKind = keyof Buckets;

/** The Monday (UTC ms) of an ISO week label `YYYY-Www`. */
function weekStart(label: string): number | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return undefined;
  const year = Number(m[1]);
  const jan4 = new Date(utc(year, 1, 4));
  const week1Monday = utc(year, 1, 4 - ((jan4.getUTCDay() + 6) % 7));
  return week1Monday + (Number(m[2]) - 1) * 7 * 86_400_000;
}

/**
 * The bucket after a bucket label, or undefined for a label that is no bucket of that kind.
 * Labels are already in the report's zone, so this is calendar arithmetic only.
 */
export function nextBucket(kind: BucketKind, label: string): string | undefined {
  if (kind === 'day') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(label);
    if (!m) return undefined;
    const t = new Date(utc(Number(m[1]), Number(m[2]), Number(m[3]) + 1));
    return `${yearText(t.getUTCFullYear())}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  }
  if (kind === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(label);
    if (!m) return undefined;
    const t = new Date(utc(Number(m[1]), Number(m[2]) + 1, 1));
    return `${yearText(t.getUTCFullYear())}-${pad(t.getUTCMonth() + 1)}`;
  }
  const start = weekStart(label);
  if (start === undefined) return undefined;
  const t = new Date(start + 7 * 86_400_000);
  return isoWeek(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
