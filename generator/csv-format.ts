// Field formatting in the original Olist files' style: which fields are quoted, timestamps, money, zip codes.
//
// Measured on head-1000 and complete/ (the original bytes):
// - headers: every name quoted, except the category translation (unquoted, UTF-8 BOM, no trailing newline);
// - ids, zip codes and city names: quoted when they start with a digit (or need quoting), else bare;
// - review ids and order ids in the reviews file: always quoted;
// - review titles/messages: quoted only when they hold a comma, quote or line break;
// - numbers and timestamps: never quoted; line ends are \n.

const NEEDS_QUOTES = /[",\r\n]/;

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Ids, zip codes, cities, categories: quoted when starting with a digit or when CSV needs it. */
export function idField(value: string): string {
  if (value === '') return '';
  const c = value.charCodeAt(0);
  return (c >= 48 && c <= 57) || NEEDS_QUOTES.test(value) ? quote(value) : value;
}

/** Free text: quoted only when CSV needs it. */
export function textField(value: string): string {
  return NEEDS_QUOTES.test(value) ? quote(value) : value;
}

/** Always quoted (review_id and order_id in the reviews file). */
export function quotedField(value: string): string {
  return quote(value);
}

/**
 * How a column is written: `id` quoted when starting with a digit (ids, zip codes, cities), `quoted` always,
 * `text` only when CSV needs it (numbers, timestamps, codes, review texts).
 */
export type FieldStyle = 'id' | 'text' | 'quoted';

const STYLE: Record<FieldStyle, (v: string) => string> = { id: idField, text: textField, quoted: quotedField };

/** One record in the given column styles, with its line end. */
export function formatRecord(values: readonly string[], styles: readonly FieldStyle[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i > 0 ? ',' : '') + STYLE[styles[i] ?? 'text'](values[i]!);
  return `${line}\n`;
}

export function headerLine(columns: readonly string[]): string {
  return columns.map(quote).join(',') + '\n';
}

/** Centavos as a decimal with 2 places ("58.90", "-3.05"). */
export function money(centavos: number): string {
  const sign = centavos < 0 ? '-' : '';
  const abs = Math.abs(Math.round(centavos));
  const cents = abs % 100;
  return `${sign}${Math.floor(abs / 100)}.${cents < 10 ? '0' : ''}${cents}`;
}

export const zip5 = (prefix: number): string => String(prefix).padStart(5, '0');

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAY = 86_400;
const dayCache = new Map<number, string>();

function dayString(day: number): string {
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY * 1000).toISOString().slice(0, 10);
    dayCache.set(day, s);
  }
  return s;
}

/** Epoch seconds (naive time, treated as UTC) as 'YYYY-MM-DD HH:MM:SS'. */
export function timestamp(seconds: number): string {
  const s = Math.floor(seconds);
  const day = Math.floor(s / DAY);
  let rest = s - day * DAY;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  return `${dayString(day)} ${TWO[h]}:${TWO[m]}:${TWO[rest - m * 60]}`;
}

/** 'YYYY-MM-DD HH:MM:SS' (naive) as epoch seconds. */
export function parseTimestamp(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`) / 1000;
}

export const startOfDay = (seconds: number): number => Math.floor(seconds / DAY) * DAY;
export const SECONDS_PER_DAY = DAY;
