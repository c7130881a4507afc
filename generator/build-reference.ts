// Writes generator/reference-data/ from a folder of the original Olist files (the ../shared/olist layout: complete/,
// sample-1k/, head-1000/): the exact rows and columns the generator reads, gzipped. Run: npx tsx generator/build-reference.ts DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatRecord, headerLine } from './csv-format';
import {
  geolocationPath,
  readBytes,
  referencePath,
  REVIEW_TEXTS_COLUMNS,
  REVIEW_TEXTS_FILE,
  reviewTexts,
  SHIPPED_REFERENCE_DIR,
} from './reference';

/** gzip without a file name or time stamp (Node writes neither), so the same input gives the same bytes. */
const gz = (bytes: Buffer | string): Buffer => gzipSync(bytes, { level: 9 });

export function buildReference(sourceDir: string, outDir = SHIPPED_REFERENCE_DIR): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: Array<[string, Buffer | string]> = [
    ['olist_products_dataset.csv', readBytes(referencePath(sourceDir, 'olist_products_dataset.csv'))],
    ['olist_sellers_dataset.csv', readBytes(referencePath(sourceDir, 'olist_sellers_dataset.csv'))],
    ['product_category_name_translation.csv', readBytes(referencePath(sourceDir, 'product_category_name_translation.csv'))],
    ['olist_geolocation_dataset.csv', readBytes(geolocationPath(sourceDir))],
    [
      REVIEW_TEXTS_FILE,
      headerLine(REVIEW_TEXTS_COLUMNS) +
        reviewTexts(sourceDir)
          .map((r) => formatRecord([String(r.score), r.title, r.message], ['text', 'text', 'text']))
          .join(''),
    ],
  ];
  return files.map(([name, bytes]) => {
    const path = join(outDir, `${name}.gz`);
    writeFileSync(path, gz(bytes));
    return path;
  });
}

if (require.main === module) {
  const source = process.argv[2];
  if (source === undefined || source === '--help') {
    process.stderr.write('usage: npx tsx generator/build-reference.ts OLIST_DIR   (e.g. ../shared/olist)\n');
    process.exit(source === undefined ? 2 : 0);
  }
  for (const path of buildReference(resolve(source))) process.stdout.write(`${path}\n`);
}
