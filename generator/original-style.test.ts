// The generator's CSV style reproduces the original Olist bytes (the shipped catalogue, and head-1000/complete when an Olist
// folder is at hand), and scale 1 reuses the real catalogue that the repository ships.
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog';
import { formatRecord, headerLine, idField, money, textField, timestamp, zip5 } from './csv-format';
import { FILES, type FileKey } from './files';
import { loadReference, readBytes, SHIPPED_REFERENCE_DIR } from './reference';
import { SHARED_OLIST } from '../test/support/fixtures';

/** An Olist folder with the original files (complete/, head-1000/), when this machine has one. */
const REF = process.env.DW_OLIST_REFERENCE_DIR || SHARED_OLIST;
const byName = new Map(Object.entries(FILES).map(([key, spec]) => [spec.file as string, key as FileKey]));

/** Parses an original file (gzipped or not) and writes it back in the generator's style. */
function rewrite(path: string, key: FileKey): string {
  const records = parse(readBytes(path), { bom: true }) as string[][];
  const spec = FILES[key];
  const body = records
    .slice(1)
    .map((r) => formatRecord(r, spec.styles))
    .join('');
  return key === 'categories' ? `\uFEFF${spec.columns.join(',')}\n${body.replace(/\n$/, '')}` : headerLine(spec.columns) + body;
}

/** The original files byte for byte that the repository ships: the generator's catalogue (data/olist-sample and the shipped
 * geolocation rows come from the linked sample, which is not in the original quoting). */
const shipped = (['products', 'sellers', 'categories'] as const).map((key) => ({
  path: join(SHIPPED_REFERENCE_DIR, `${FILES[key].file}.gz`),
  key,
}));

describe('original quoting style of the shipped files', () => {
  it.each(shipped)('rewrites $path byte for byte', ({ path, key }) => {
    expect(rewrite(path, key)).toBe(readBytes(path).toString('utf8'));
  });
});

const originals = ['head-1000', 'complete'].flatMap((folder) =>
  [...byName].filter(([file]) => existsSync(join(REF, folder, file))).map(([file, key]) => ({ folder, file, key })),
);

describe.skipIf(originals.length === 0)(
  `original quoting style${originals.length === 0 ? ` (skipped: no reference files under ${REF})` : ''}`,
  () => {
    it.each(originals)('rewrites $folder/$file byte for byte', ({ folder, file, key }) => {
      const path = join(REF, folder, file);
      expect(rewrite(path, key)).toBe(readFileSync(path, 'utf8'));
    });
  },
);

describe('field formatting', () => {
  it('formats ids, zips, money and timestamps like the source', () => {
    expect(idField('06b8999e2fba1a1fbc88172c00ba8bc7')).toBe('"06b8999e2fba1a1fbc88172c00ba8bc7"');
    expect(idField('b2b6027bc5c5109e529d4dc6358b12c3')).toBe('b2b6027bc5c5109e529d4dc6358b12c3');
    expect(idField(zip5(1046))).toBe('"01046"');
    expect(textField('bom, mas "demorou"\nok')).toBe('"bom, mas ""demorou""\nok"');
    expect(money(5890)).toBe('58.90');
    expect(money(7)).toBe('0.07');
    expect(money(-1299)).toBe('-12.99');
    expect(timestamp(Date.UTC(2017, 9, 2, 10, 56, 33) / 1000)).toBe('2017-10-02 10:56:33');
  });
});

describe('catalogue at scale 1 (the shipped reference rows)', () => {
  it('reuses the real product and seller rows unchanged, in file order', () => {
    const ref = loadReference(SHIPPED_REFERENCE_DIR);
    const catalog = new Catalog(1234, 1, ref.products, ref.sellers);
    expect(catalog.productCount).toBe(32_951);
    expect(catalog.sellerCount).toBe(3_095);
    const products =
      headerLine(FILES.products.columns) + Array.from({ length: catalog.productCount }, (_, k) => catalog.productLine(k)).join('');
    const sellers =
      headerLine(FILES.sellers.columns) + Array.from({ length: catalog.sellerCount }, (_, s) => catalog.sellerLine(s)).join('');
    expect(products).toBe(readBytes(join(SHIPPED_REFERENCE_DIR, `${FILES.products.file}.gz`)).toString('utf8'));
    expect(sellers).toBe(readBytes(join(SHIPPED_REFERENCE_DIR, `${FILES.sellers.file}.gz`)).toString('utf8'));
  });

  it('prices every product and gives every seller a product', () => {
    const ref = loadReference(SHIPPED_REFERENCE_DIR);
    const catalog = new Catalog(99, 0.1, ref.products, ref.sellers);
    expect(catalog.productCount).toBe(3_295);
    expect(Math.min(...catalog.priceCents)).toBeGreaterThanOrEqual(85);
    const sold = new Set(catalog.sellerOf);
    expect(sold.size).toBe(catalog.sellerCount);
  });
});
