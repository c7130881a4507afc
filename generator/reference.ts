// Loads the real Olist reference rows the generator reuses: products, sellers, category translation, geolocation, review texts.
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../infra/config';

/** The reference rows shipped in the repository (gzipped, see its NOTICE.md); DW_OLIST_REFERENCE_DIR overrides it. */
export const SHIPPED_REFERENCE_DIR = join(__dirname, 'reference-data');

/** Sub-folders searched, in order, for each reference file ('' = the directory itself, e.g. data/olist-sample). */
const LAYOUTS = ['complete', 'sample-1k', 'head-1000', ''];

/** The shipped folder's digest of the review texts (score, title, message), made by generator/build-reference.ts. */
export const REVIEW_TEXTS_FILE = 'review_texts.csv';
export const REVIEW_TEXTS_COLUMNS = ['review_score', 'review_comment_title', 'review_comment_message'] as const;

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

/** An explicit folder, else DW_OLIST_REFERENCE_DIR, else the shipped rows: never a folder outside the repository by default. */
export function resolveReferenceDir(dir?: string): string {
  const chosen = dir ?? loadConfig().olistReferenceDir;
  return chosen !== undefined && chosen !== '' ? chosen : SHIPPED_REFERENCE_DIR;
}

/** `file`, or its gzipped copy `file.gz`, in the first layout that has either. */
function find(dir: string, file: string, layouts: readonly string[] = LAYOUTS): string | null {
  for (const sub of layouts) {
    for (const name of [file, `${file}.gz`]) {
      const path = join(dir, sub, name);
      if (existsSync(path)) return path;
    }
  }
  return null;
}

function need(dir: string, file: string, layouts?: readonly string[]): string {
  const path = find(dir, file, layouts);
  if (path === null)
    throw new Error(
      `generator reference data: ${file} (or ${file}.gz) not found under ${dir} (looked in ${(layouts ?? LAYOUTS).map((l) => l || '.').join(', ')}); ` +
        'unset DW_OLIST_REFERENCE_DIR to use the rows shipped in generator/reference-data',
    );
  return path;
}

/** A file's bytes, gunzipped when its name ends in .gz. */
export function readBytes(path: string): Buffer {
  const bytes = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

function rows(path: string): string[][] {
  const parsed = parse(readBytes(path), { bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][];
  return parsed.slice(1);
}

/** Keeps the first of each distinct text with a valid score and some words, line ends normalised to \n. */
function addText(out: ReviewText[], seen: Set<string>, [score, title = '', message = '']: [number, string?, string?]): void {
  const t = title.replace(/\r\n?/g, '\n');
  const m = message.replace(/\r\n?/g, '\n');
  if (!(score >= 1 && score <= 5) || (t === '' && m === '')) return;
  const key = `${score}\u0000${t}\u0000${m}`;
  if (seen.has(key)) return;
  seen.add(key);
  out.push({ score, title: t, message: m });
}

/** Review texts: the shipped digest when the folder has one, else every real reviews file (head-1000, sample-1k, flat). */
export function reviewTexts(dir: string): ReviewText[] {
  const seen = new Set<string>();
  const out: ReviewText[] = [];
  const digest = find(dir, REVIEW_TEXTS_FILE, ['']);
  if (digest !== null) for (const r of rows(digest)) addText(out, seen, [Number(r[0]), r[1], r[2]]);
  else
    for (const sub of ['head-1000', 'sample-1k', '']) {
      const path = find(dir, 'olist_order_reviews_dataset.csv', [sub]);
      if (path !== null) for (const r of rows(path)) addText(out, seen, [Number(r[2]), r[3], r[4]]);
    }
  if (out.length === 0) throw new Error(`generator reference data: no review texts found under ${dir}`);
  return out;
}

/** The geolocation rows: sample-1k's (or a flat folder's), never head-1000's. */
export const geolocationPath = (dir: string): string => need(dir, 'olist_geolocation_dataset.csv', ['sample-1k', '']);
/** Where a reference file (products, sellers, translation) is found under dir. */
export const referencePath = (dir: string, file: string): string => need(dir, file);

export function loadReference(dirOption?: string): Reference {
  const dir = resolveReferenceDir(dirOption);
  if (!existsSync(dir))
    throw new Error(`generator reference data: directory ${dir} does not exist (set DW_OLIST_REFERENCE_DIR or pass referenceDir)`);
  return {
    dir,
    products: rows(need(dir, 'olist_products_dataset.csv')),
    sellers: rows(need(dir, 'olist_sellers_dataset.csv')),
    translation: readBytes(need(dir, 'product_category_name_translation.csv')),
    geolocation: rows(geolocationPath(dir)).map(([zip = '', lat = '', lng = '', city = '', state = '']) => ({
      zip,
      lat,
      lng,
      city,
      state,
    })),
    reviews: reviewTexts(dir),
  };
}
