// Loads the real Olist reference rows the generator reuses: products, sellers, category translation, geolocation, review texts.
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, loadConfig } from '../infra/config';

/** The shared reference rows beside the project (../shared/olist); the shipped sample is the fallback. */
export const DEFAULT_REFERENCE_DIR = resolve(ROOT, '..', 'shared', 'olist');

/** Sub-folders searched, in order, for each reference file ('' = the directory itself, e.g. data/olist-sample). */
const LAYOUTS = ['complete', 'sample-1k', 'head-1000', ''];

export interface ReviewText {
  score: number;
  title: string;
  message: string;
}

export interface GeoRow {
  zip: string;
  lat: string;
  lng: string;
  city: string;
  state: string;
}

export interface Reference {
  dir: string;
  /** Product rows as in the file (9 columns), real ids first. */
  products: string[][];
  /** Seller rows (4 columns). */
  sellers: string[][];
  /** The translation file's bytes, BOM and all. */
  translation: Buffer;
  geolocation: GeoRow[];
  reviews: ReviewText[];
}

/** The real sample the project ships (flat layout), used when the full reference folder is absent. */
export const SHIPPED_SAMPLE_DIR = join(__dirname, '..', 'data', 'olist-sample');

export function resolveReferenceDir(dir?: string): string {
  const chosen = dir ?? loadConfig().olistReferenceDir;
  if (chosen !== undefined && chosen !== '') return chosen;
  return existsSync(DEFAULT_REFERENCE_DIR) ? DEFAULT_REFERENCE_DIR : SHIPPED_SAMPLE_DIR;
}

function find(dir: string, file: string, layouts: readonly string[] = LAYOUTS): string | null {
  for (const sub of layouts) {
    const path = join(dir, sub, file);
    if (existsSync(path)) return path;
  }
  return null;
}

function need(dir: string, file: string, layouts?: readonly string[]): string {
  const path = find(dir, file, layouts);
  if (path === null)
    throw new Error(
      `generator reference data: ${file} not found under ${dir} (looked in ${(layouts ?? LAYOUTS).map((l) => l || '.').join(', ')})`,
    );
  return path;
}

function rows(path: string): string[][] {
  const parsed = parse(readFileSync(path), { bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][];
  return parsed.slice(1);
}

/** Review texts of every available real reviews file (head-1000 and sample-1k), line ends normalised to \n. */
function reviewTexts(dir: string): ReviewText[] {
  const seen = new Set<string>();
  const out: ReviewText[] = [];
  for (const sub of ['head-1000', 'sample-1k', '']) {
    const path = join(dir, sub, 'olist_order_reviews_dataset.csv');
    if (!existsSync(path)) continue;
    for (const r of rows(path)) {
      const score = Number(r[2]);
      const title = (r[3] ?? '').replace(/\r\n?/g, '\n');
      const message = (r[4] ?? '').replace(/\r\n?/g, '\n');
      if (!(score >= 1 && score <= 5) || (title === '' && message === '')) continue;
      const key = `${score}\u0000${title}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ score, title, message });
    }
  }
  if (out.length === 0) throw new Error(`generator reference data: no review texts found under ${dir}`);
  return out;
}

export function loadReference(dirOption?: string): Reference {
  const dir = resolveReferenceDir(dirOption);
  if (!existsSync(dir))
    throw new Error(`generator reference data: directory ${dir} does not exist (set DW_OLIST_REFERENCE_DIR or pass referenceDir)`);
  const geoPath = need(dir, 'olist_geolocation_dataset.csv', ['sample-1k', '']);
  return {
    dir,
    products: rows(need(dir, 'olist_products_dataset.csv')),
    sellers: rows(need(dir, 'olist_sellers_dataset.csv')),
    translation: readFileSync(need(dir, 'product_category_name_translation.csv')),
    geolocation: rows(geoPath).map(([zip = '', lat = '', lng = '', city = '', state = '']) => ({ zip, lat, lng, city, state })),
    reviews: reviewTexts(dir),
  };
}
