// Column types of the source contracts: each is one zod schema plus the SQL that checks and casts it set-based.
import { z } from 'zod';

export type ColumnKind = 'id' | 'text' | 'code' | 'timestamp' | 'money' | 'decimal' | 'integer' | 'zip' | 'state';

interface KindSpec {
  /** Postgres type of the staged column. */
  sqlType: string;
  /** Quarantine rule code when a present value does not parse. */
  rule: string;
  /** Readable expectation, used in quarantine reasons. */
  expected: string;
  /** Regex a present value must match, in zod and (unless `sql` is given) in SQL (POSIX-compatible). */
  pattern: string;
  /**
   * The same test as `pattern` (and, for timestamps, the calendar) as plain string functions, which PostgreSQL runs
   * several times faster than a regex. `v` is a non-null text expression. Equivalence is tested on edge cases.
   */
  sql?: (v: string) => string;
  zod: z.ZodString;
}

/** SQL: every character of `v` is in `chars`, and (when given) `v` has `length` characters. */
const onlyChars = (chars: string, length?: number) => (v: string) =>
  `${length ? `length(${v}) = ${length} AND ` : ''}ltrim(${v}, '${chars}') = ''`;

const DIGITS = '0123456789';

/** SQL: a real calendar timestamp 'YYYY-MM-DD HH:MM:SS' (no 2017-02-30), by shape and then by field ranges. */
function timestampSql(v: string): string {
  const n = (from: number, len: number) => `substr(${v}, ${from}, ${len})::int`;
  const leap = `(${n(1, 4)} % 4 = 0 AND (${n(1, 4)} % 100 <> 0 OR ${n(1, 4)} % 400 = 0))`;
  const daysInMonth = `CASE substr(${v}, 6, 2) WHEN '02' THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END`;
  return `CASE WHEN translate(${v}, '123456789', '000000000') = '0000-00-00 00:00:00'
    THEN ${n(6, 2)} BETWEEN 1 AND 12 AND ${n(9, 2)} BETWEEN 1 AND ${daysInMonth} AND ${n(12, 2)} < 24 AND ${n(15, 2)} < 60 AND ${n(18, 2)} < 60
    ELSE false END`;
}

const TS = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$';

export const KINDS: Record<ColumnKind, KindSpec> = {
  id: {
    sqlType: 'text',
    rule: 'CONTRACT.INVALID_ID',
    expected: 'a 32-character hex id',
    pattern: '^[0-9a-f]{32}$',
    sql: onlyChars(`${DIGITS}abcdef`, 32),
    zod: z.string(),
  },
  text: { sqlType: 'text', rule: 'CONTRACT.INVALID_TEXT', expected: 'text', pattern: '', zod: z.string() },
  code: {
    sqlType: 'text',
    rule: 'CONTRACT.INVALID_CODE',
    expected: 'a lower-case code',
    pattern: '^[a-z0-9_]+$',
    sql: onlyChars(`abcdefghijklmnopqrstuvwxyz${DIGITS}_`),
    zod: z.string(),
  },
  timestamp: {
    sqlType: 'timestamp(0)',
    rule: 'CONTRACT.INVALID_TIMESTAMP',
    expected: 'a timestamp YYYY-MM-DD HH:MM:SS',
    pattern: TS,
    sql: timestampSql,
    zod: z.string(),
  },
  money: {
    sqlType: 'numeric(12,2)',
    rule: 'CONTRACT.INVALID_NUMBER',
    expected: 'an amount with at most 2 decimals',
    pattern: '^-?[0-9]{1,10}(\\.[0-9]{1,2})?$',
    zod: z.string(),
  },
  decimal: {
    sqlType: 'double precision',
    rule: 'CONTRACT.INVALID_NUMBER',
    expected: 'a decimal number',
    pattern: '^-?[0-9]{1,3}(\\.[0-9]{1,20})?$',
    zod: z.string(),
  },
  integer: { sqlType: 'integer', rule: 'CONTRACT.INVALID_INTEGER', expected: 'a whole number', pattern: '^-?[0-9]{1,9}$', zod: z.string() },
  zip: {
    sqlType: 'char(5)',
    rule: 'CONTRACT.INVALID_ZIP',
    expected: 'a 5-digit zip prefix',
    pattern: '^[0-9]{5}$',
    sql: onlyChars(DIGITS, 5),
    zod: z.string(),
  },
  state: {
    sqlType: 'char(2)',
    rule: 'CONTRACT.INVALID_STATE',
    expected: 'a 2-letter state code',
    pattern: '^[A-Z]{2}$',
    sql: onlyChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2),
    zod: z.string(),
  },
};

export const MISSING_RULE = 'CONTRACT.REQUIRED_MISSING';

/**
 * PostgreSQL text cannot hold a NUL byte (0x00): the extract writes each one as this noncharacter (U+FFFF, which no
 * text exchanges), and staging quarantines the record under NUL_BYTE_RULE instead of the whole file failing.
 */
export const NUL_MARKER = '\uFFFF';
export const NUL_BYTE_RULE = 'CONTRACT.NUL_BYTE';

export interface ColumnSpec {
  /** Column name as in the source header (and in raw/staging tables). */
  name: string;
  kind: ColumnKind;
  required: boolean;
  /** Most characters of a text value; longer is a contract failure (TEXT_TOO_LONG_RULE), never a truncation. */
  maxLength?: number;
  /** A timestamp that must fall on a date from `notBefore` to the load's as-of date (both included), each with its rule. */
  dateWindow?: DateWindow;
}

/** The dates a timestamp column may hold: not before a fixed first day, not after the load's as-of date. */
export interface DateWindow {
  /** 'YYYY-MM-DD': the first day such a date can have. */
  notBefore: string;
  beforeRule: string;
  /** What `notBefore` is, for reasons ('the marketplace's first day'). */
  notBeforeIs: string;
  afterAsOfRule: string;
}

/** Options of a contract check that depend on the load, not on the file: the as-of date ('YYYY-MM-DD'). */
export interface LoadContext {
  asOf: string;
}

/** The window's rule a present, well-formed timestamp breaks, or null (dates compare as 'YYYY-MM-DD' text). */
export function dateWindowRule(w: DateWindow, timestamp: string, load: LoadContext | undefined): string | null {
  const date = timestamp.slice(0, 10);
  if (date < w.notBefore) return w.beforeRule;
  if (load !== undefined && date > load.asOf) return w.afterAsOfRule;
  return null;
}

export const TEXT_TOO_LONG_RULE = 'CONTRACT.TEXT_TOO_LONG';

/**
 * The zod schema of one raw field: '' is "absent"; a present value must match the kind's pattern (and, with a date
 * window, fall inside it: the as-of bound only when `load` is given).
 */
export function fieldSchema(col: ColumnSpec, load?: LoadContext): z.ZodType<string | null> {
  const spec = KINDS[col.kind];
  const present = spec.pattern ? spec.zod.regex(new RegExp(spec.pattern), { message: `${col.name}: expected ${spec.expected}` }) : spec.zod;
  const bounded =
    col.maxLength === undefined ? present : present.max(col.maxLength, { message: `${col.name}: longer than ${col.maxLength} characters` });
  const calendar = col.kind === 'timestamp' ? bounded.refine(isRealTimestamp, { message: `${col.name}: not a calendar date` }) : bounded;
  const window = col.dateWindow;
  const refined =
    window === undefined
      ? calendar
      : calendar.refine((v) => dateWindowRule(window, v, load) === null, {
          message: `${col.name}: outside ${window.notBefore} … the load's as-of date`,
        });
  return z.preprocess((v) => (v === '' || v === undefined ? null : v), col.required ? refined : refined.nullable()) as z.ZodType<
    string | null
  >;
}

function isRealTimestamp(v: string): boolean {
  const [y, m, d] = [Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))];
  return d <= daysInMonth(y, m);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
