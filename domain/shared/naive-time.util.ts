// Naive timestamps 'YYYY-MM-DD HH:MM:SS' (no time zone): parsing, date parts and day counts without the machine's clock or zone.
import { err, ok, type Result } from './result.type';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECONDS_PER_DAY = 86_400;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number): number => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;

/** Days since 1970-01-01 of a proleptic Gregorian civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function checkDate(y: number, mo: number, d: number, text: string): Result<number, string> {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return err(`'${text}' is not a calendar date`);
  return ok(daysFromCivil(y, mo, d));
}

/** 'YYYY-MM-DD HH:MM:SS' → seconds since 1970-01-01 00:00:00 of the same naive clock. */
export function parseNaiveTimestamp(text: string): Result<number, string> {
  const m = TIMESTAMP.exec(text);
  if (m === null) return err(`'${text}' is not a 'YYYY-MM-DD HH:MM:SS' timestamp`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const day = checkDate(y, mo, d, text);
  if (!day.ok) return day;
  if (h > 23 || mi > 59 || s > 59) return err(`'${text}' is not a time of day`);
  return ok(day.value * SECONDS_PER_DAY + h * 3600 + mi * 60 + s);
}

/** 'YYYY-MM-DD' → days since 1970-01-01. */
export function parseNaiveDate(text: string): Result<number, string> {
  const m = DATE.exec(text);
  if (m === null) return err(`'${text}' is not a 'YYYY-MM-DD' date`);
  const [y, mo, d] = m.slice(1).map(Number) as [number, number, number];
  return checkDate(y, mo, d, text);
}

export const isNaiveTimestamp = (text: string): boolean => parseNaiveTimestamp(text).ok;

/** The calendar date of a timestamp: '2018-06-19 12:44:08' → '2018-06-19'. Assumes a valid timestamp. */
export const datePart = (timestamp: string): string => timestamp.slice(0, 10);

function epochDay(dateOrTimestamp: string): number {
  const parsed = parseNaiveDate(datePart(dateOrTimestamp));
  if (!parsed.ok) throw new RangeError(parsed.error);
  return parsed.value;
}

/** Calendar days from `from` to `to` (dates or timestamps; times ignored): 2018-01-30 23:59 → 2018-02-01 00:01 is 2. */
export const daysBetweenDates = (from: string, to: string): number => epochDay(to) - epochDay(from);

/** Orders two valid naive timestamps; the fixed-width format makes string order equal time order. */
export const compareNaive = (a: string, b: string): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0);

/** The latest of several timestamps (nulls ignored), or null when none. */
export function latestOf(...timestamps: ReadonlyArray<string | null>): string | null {
  return timestamps.reduce<string | null>((best, t) => (t !== null && (best === null || t > best) ? t : best), null);
}
