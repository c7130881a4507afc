// The generator's reference rows: shipped in the repository by default, rebuilt byte for byte from the original Olist files.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../infra/config';
import { SAMPLE_DIR, SHARED_OLIST } from '../test/support/fixtures';
import { buildReference } from './build-reference';
import { loadReference, resolveReferenceDir, SHIPPED_REFERENCE_DIR } from './reference';

const tmp = mkdtempSync(join(tmpdir(), 'dw-reference-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the shipped reference rows', () => {
  it.skipIf(process.env.DW_OLIST_REFERENCE_DIR)('when no folder is given, then the folder inside the repository is read', () => {
    const dir = resolveReferenceDir();
    expect(dir).toBe(SHIPPED_REFERENCE_DIR);
    expect(relative(ROOT, dir).startsWith('..')).toBe(false);
  });

  it('holds the complete catalogue, 10,000 geolocation rows and distinct review texts', () => {
    const ref = loadReference(SHIPPED_REFERENCE_DIR);
    expect(ref.products).toHaveLength(32_951);
    expect(ref.products.every((r) => r.length === 9)).toBe(true);
    expect(ref.sellers).toHaveLength(3_095);
    expect(ref.translation.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(ref.translation.toString('utf8').trim().split('\n')).toHaveLength(72);
    expect(ref.geolocation).toHaveLength(10_000);
    expect(ref.reviews).toHaveLength(855);
    expect(ref.reviews.every((r) => r.score >= 1 && r.score <= 5 && r.title + r.message !== '' && !/\r/.test(r.title + r.message))).toBe(
      true,
    );
    expect(new Set(ref.reviews.map((r) => `${r.score}|${r.title}|${r.message}`)).size).toBe(855);
  });

  it('ships only the gzipped files and their notice', () => {
    expect(readdirSync(SHIPPED_REFERENCE_DIR).sort()).toEqual([
      'NOTICE.md',
      'olist_geolocation_dataset.csv.gz',
      'olist_products_dataset.csv.gz',
      'olist_sellers_dataset.csv.gz',
      'product_category_name_translation.csv.gz',
      'review_texts.csv.gz',
    ]);
  });
});

describe('other reference folders (DW_OLIST_REFERENCE_DIR)', () => {
  it('when a flat folder of original files is given, then its rows are read (data/olist-sample)', () => {
    const ref = loadReference(SAMPLE_DIR);
    expect(ref.dir).toBe(SAMPLE_DIR);
    expect(ref.geolocation).toHaveLength(10_000);
    expect(ref.products.length).toBeLessThan(32_951);
    expect(ref.reviews.length).toBeGreaterThan(0);
  });

  it('when a folder lacks a file, then the error names the file and the way back to the shipped rows', () => {
    expect(() => loadReference(tmp)).toThrow(
      /olist_products_dataset\.csv \(or olist_products_dataset\.csv\.gz\) not found under .*unset DW_OLIST_REFERENCE_DIR/,
    );
    expect(() => loadReference(join(tmp, 'missing'))).toThrow(/directory .*missing does not exist/);
  });
});

const olist = process.env.DW_OLIST_REFERENCE_DIR || SHARED_OLIST;
const hasOriginals = ['complete', 'sample-1k', 'head-1000'].every((sub) => readdirOr(join(olist, sub)).length > 0);

function readdirOr(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

describe.skipIf(!hasOriginals)(`provenance${hasOriginals ? '' : ` (skipped: no original Olist folder at ${olist})`}`, () => {
  it('rebuilds the shipped files byte for byte from the original files', () => {
    const out = join(tmp, 'rebuilt');
    const written = buildReference(olist, out);
    expect(written).toHaveLength(5);
    for (const path of written) {
      const name = relative(out, path);
      expect(readFileSync(path).equals(readFileSync(join(SHIPPED_REFERENCE_DIR, name))), name).toBe(true);
    }
  });

  it('reads the same rows as the original folder does', () => {
    expect({ ...loadReference(SHIPPED_REFERENCE_DIR), dir: '' }).toEqual({ ...loadReference(olist), dir: '' });
  });
});
