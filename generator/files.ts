// The nine Olist files the generator writes: names and columns from the source contracts, and each column's quoting style.
import { contract } from '../schema/contracts/olist';
import type { FieldStyle } from './csv-format';

/** Each file the generator writes: the source contract it follows (schema/contracts/olist.ts) and each column's quoting style, in the contract's column order. */
const STYLES = {
  orders: { source: 'orders', styles: ['id', 'id', 'text', 'text', 'text', 'text', 'text', 'text'] },
  items: { source: 'order_items', styles: ['id', 'text', 'id', 'id', 'text', 'text', 'text'] },
  payments: { source: 'order_payments', styles: ['id', 'text', 'text', 'text', 'text'] },
  reviews: { source: 'order_reviews', styles: ['quoted', 'quoted', 'text', 'text', 'text', 'text', 'text'] },
  customers: { source: 'customers', styles: ['id', 'id', 'id', 'id', 'text'] },
  products: { source: 'products', styles: ['id', 'id', 'text', 'text', 'text', 'text', 'text', 'text', 'text'] },
  sellers: { source: 'sellers', styles: ['id', 'id', 'id', 'text'] },
  geolocation: { source: 'geolocation', styles: ['id', 'text', 'text', 'id', 'text'] },
  categories: { source: 'category_translation', styles: ['text', 'text'] },
} as const satisfies Record<string, { source: string; styles: readonly FieldStyle[] }>;

export interface FileSpec {
  file: string;
  columns: readonly string[];
  styles: readonly FieldStyle[];
}

function specOf(source: string, styles: readonly FieldStyle[]): FileSpec {
  const c = contract(source);
  if (c.columns.length !== styles.length) {
    throw new Error(
      `generator/files.ts: ${c.file} has ${c.columns.length} columns in its contract but ${styles.length} styles: give each column one style`,
    );
  }
  return { file: c.file, columns: c.columns.map((col) => col.name), styles };
}

/** The nine files: names and columns (in the original order) from the contracts, styles from STYLES. */
export const FILES = Object.fromEntries(
  (Object.keys(STYLES) as (keyof typeof STYLES)[]).map((key) => [key, specOf(STYLES[key].source, STYLES[key].styles)]),
) as Record<keyof typeof STYLES, FileSpec>;

export type FileKey = keyof typeof FILES;
export const FILE_KEYS = Object.keys(FILES) as FileKey[];
