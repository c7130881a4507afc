// Synthetic Olist generator at scale 0.05: sizes, distributions, integrity, style, determinism and fault manifests.
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAULT_KINDS,
  FILE_KEYS,
  FILES,
  FULL,
  generate,
  MANIFEST_FILE,
  MONEY,
  STATUS_COUNTS,
  type FaultEntry,
  type GenerateReport,
} from './index';
import { formatRecord, headerLine } from './csv-format';
import { measure, type Metrics } from '../test/support/olist-metrics';

const SCALE = 0.05;
const SEED = 'unit-a';
const near = (actual: number, expected: number, tolerance: number) => Math.abs(actual - expected) <= tolerance * expected;
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

let root: string;
let clean: string;
let report: GenerateReport;
let m: Metrics;
const progress: Array<[number, number]> = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dw-generator-'));
  clean = join(root, 'clean');
  report = await generate({ scale: SCALE, seed: SEED, outDir: clean, onProgress: (done, total) => progress.push([done, total]) });
  m = await measure(clean);
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generate() at scale 0.05', () => {
  it('writes the nine files with row counts within 1% of 0.05 × the full data set', () => {
    const expected: Record<string, number> = {
      orders: FULL.orders,
      customers: FULL.orders,
      items: FULL.items,
      payments: FULL.payments,
      reviews: FULL.reviews,
      products: FULL.products,
      sellers: FULL.sellers,
      geolocation: FULL.geolocation,
    };
    for (const [key, full] of Object.entries(expected)) {
      expect(near(m.rows[key]!, full * SCALE, 0.01), `${key}: ${m.rows[key]} vs ${full * SCALE}`).toBe(true);
    }
    expect(m.rows.categories).toBe(71);
    expect(near(m.persons, FULL.persons * SCALE, 0.01)).toBe(true);
    expect(near(m.geolocationDuplicates, FULL.geolocationDuplicates * SCALE, 0.01)).toBe(true);
  });

  it('reports rows and sha256 that match the files, and progress up to the total', async () => {
    for (const key of FILE_KEYS) {
      expect(report.files[key].rows).toBe(m.rows[key]);
      expect(report.files[key].sha256).toBe(await sha256(join(clean, FILES[key].file)));
    }
    expect(report.elapsedMs).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    expect(progress.at(-1)).toEqual([report.totalRows, report.totalRows]);
  });

  it('reproduces the order status mix and the orders without items', () => {
    const total = FULL.orders;
    for (const [status, n] of Object.entries(STATUS_COUNTS)) {
      const expected = (n / total) * m.rows.orders!;
      expect(Math.abs((m.status[status] ?? 0) - expected), status).toBeLessThanOrEqual(Math.max(1.5, 0.05 * expected));
    }
    expect(near(m.ordersWithoutItems, FULL.ordersWithoutItems * SCALE, 0.05)).toBe(true);
    expect(Object.keys(m.itemlessByStatus).sort()).toEqual(expect.arrayContaining(['canceled', 'unavailable']));
    expect(m.itemlessByStatus.delivered).toBeUndefined();
  });

  it('has the real payment types, installments, and several payments and items per order', () => {
    const rows = m.rows.payments!;
    expect(Object.keys(m.paymentTypes)).toEqual(expect.arrayContaining(['credit_card', 'boleto', 'voucher', 'debit_card']));
    expect(near(m.paymentTypes.credit_card! / rows, 76_795 / FULL.payments, 0.03)).toBe(true);
    expect(near(m.paymentTypes.boleto! / rows, 19_784 / FULL.payments, 0.06)).toBe(true);
    expect(m.installmentsMin).toBeGreaterThanOrEqual(0);
    expect(m.installmentsMax).toBeLessThanOrEqual(24);
    expect(m.installmentsMax).toBeGreaterThanOrEqual(10);
    expect(m.ordersWithSeveralPayments).toBeGreaterThan(0.02 * m.rows.orders!);
    expect(m.ordersWithSeveralItems).toBeGreaterThan(0.08 * m.rows.orders!);
    expect(m.maxItemsPerOrder).toBeGreaterThan(4);
  });

  it('keeps money totals within 5% of 0.05 × the real totals', () => {
    expect(near(m.money.payments, MONEY.payments * SCALE, 0.05), `payments ${m.money.payments}`).toBe(true);
    expect(near(m.money.prices, MONEY.prices * SCALE, 0.05), `prices ${m.money.prices}`).toBe(true);
    expect(near(m.money.freight, MONEY.freight * SCALE, 0.05), `freight ${m.money.freight}`).toBe(true);
  });

  it('has a review mean near 4.09, comments with newlines and commas, and the reviews grain of the real file', () => {
    expect(Math.abs(m.reviewMean - 4.09)).toBeLessThan(0.07);
    expect(m.commentsWithNewline).toBeGreaterThan(50);
    expect(m.commentsWithComma).toBeGreaterThan(100);
    // several reviews per order and review ids shared by several orders
    expect(m.reviewedOrders).toBeLessThan(m.rows.reviews!);
    expect(m.reviewIds).toBeLessThan(m.rows.reviews!);
    expect(near(m.reviewIds, FULL.reviewIds * SCALE, 0.01)).toBe(true);
    expect(near(m.reviewedOrders, FULL.reviewedOrders * SCALE, 0.01)).toBe(true);
  });

  it('has about 3.12% repeat buyers, the most active with 17 orders', () => {
    expect(Math.abs(m.repeatShare - 0.0312)).toBeLessThan(0.004);
    expect(m.maxOrdersPerPerson).toBe(17);
  });

  it('places purchases between 2016-09-04 and 2018-10-17 with the monthly ramp', () => {
    expect(m.purchaseFirst >= '2016-09-04 21:15:19').toBe(true);
    expect(m.purchaseLast <= '2018-10-17 17:30:18').toBe(true);
    expect(m.months['2017-11']!).toBeGreaterThan(m.months['2017-10']!); // Black Friday
    expect(m.months['2018-05']!).toBeGreaterThan(3 * m.months['2017-02']!);
    expect(m.months['2016-11']).toBeUndefined();
  });

  it('delivers about 92% on time by date, in about 12.5 days on average', () => {
    expect(Math.abs(m.onTimeShare - 0.92)).toBeLessThan(0.02);
    expect(Math.abs(m.meanDeliveryDays - 12.5)).toBeLessThan(1);
  });

  it('is referentially consistent and breaks none of the platform rules', () => {
    expect(m.integrity).toEqual({
      itemsWithoutOrder: 0,
      itemsWithoutProduct: 0,
      itemsWithoutSeller: 0,
      paymentsWithoutOrder: 0,
      reviewsWithoutOrder: 0,
      ordersWithoutCustomer: 0,
    });
    expect(m.violations).toEqual([]);
    expect(report.faults.injected).toBe(0);
  });

  it('writes the original files quoting style', async () => {
    for (const key of FILE_KEYS) {
      const text = await readFile(join(clean, FILES[key].file), 'utf8');
      const header = text.slice(0, text.indexOf('\n'));
      if (key === 'categories') {
        expect(text.startsWith('\uFEFFproduct_category_name,product_category_name_english\n')).toBe(true);
        expect(text.endsWith('\n')).toBe(false);
      } else {
        expect(header).toBe(FILES[key].columns.map((c) => `"${c}"`).join(','));
        expect(text.endsWith('\n')).toBe(true);
        expect(text.includes('\r')).toBe(false);
      }
    }
    const fields = async (file: string) => tokens(await readFile(join(clean, file), 'utf8'));
    // ids and zip codes: quoted exactly when they start with a digit
    for (const rec of (await fields('olist_orders_dataset.csv')).slice(1, 2000)) {
      for (const [value, quoted] of rec.slice(0, 2)) expect(quoted).toBe(/^[0-9]/.test(value));
      expect(rec[2]![1]).toBe(false);
      expect(rec[3]![0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(rec[7]![0]).toMatch(/^\d{4}-\d\d-\d\d 00:00:00$/);
    }
    for (const rec of (await fields('olist_order_items_dataset.csv')).slice(1, 2000)) {
      expect(rec[5]![0]).toMatch(/^\d+\.\d\d$/);
      expect(rec[6]![0]).toMatch(/^\d+\.\d\d$/);
      expect(rec[5]![1]).toBe(false);
    }
    for (const rec of (await fields('olist_customers_dataset.csv')).slice(1, 2000)) {
      expect(rec[2]![0]).toMatch(/^\d{5}$/);
      expect(rec[2]![1]).toBe(true);
    }
    for (const rec of (await fields('olist_geolocation_dataset.csv')).slice(1, 5000)) {
      expect(rec[0]![0]).toMatch(/^\d{5}$/);
      expect(rec[1]![0]).toMatch(/^-?\d{1,3}(\.\d{1,20})?$/);
    }
    let quotedTexts = 0;
    for (const rec of (await fields('olist_order_reviews_dataset.csv')).slice(1)) {
      expect(rec[0]![1] && rec[1]![1]).toBe(true); // review and order ids always quoted in the reviews file
      for (const [value, quoted] of rec.slice(3, 5)) {
        expect(quoted).toBe(/[",\r\n]/.test(value));
        if (quoted) quotedTexts++;
      }
      expect(rec[5]![0]).toMatch(/ 00:00:00$/);
    }
    expect(quotedTexts).toBeGreaterThan(100);
  });

  it('writes every file exactly as the original files style would (parse and rewrite gives the same bytes)', async () => {
    for (const key of FILE_KEYS) {
      if (key === 'categories') continue;
      const text = await readFile(join(clean, FILES[key].file), 'utf8');
      const records = parse(text, { from_line: 2 }) as string[][];
      const rewritten = headerLine(FILES[key].columns) + records.map((r) => formatRecord(r, FILES[key].styles)).join('');
      expect(rewritten === text, key).toBe(true);
    }
  });

  it('is deterministic: the same seed writes the same bytes, another seed other bytes', async () => {
    const again = await generate({ scale: SCALE, seed: SEED, outDir: join(root, 'again') });
    const other = await generate({ scale: SCALE, seed: 'unit-b', outDir: join(root, 'other') });
    for (const key of FILE_KEYS) {
      expect(again.files[key].sha256, key).toBe(report.files[key].sha256);
      expect(await sha256(join(root, 'again', FILES[key].file))).toBe(report.files[key].sha256);
      if (key !== 'categories') expect(other.files[key].sha256, key).not.toBe(report.files[key].sha256);
    }
  }, 60_000);
});

describe('generate() with faults', () => {
  let dir: string;
  let faulty: Metrics;
  let manifest: { injected: number; faults: FaultEntry[] };
  let faultReport: GenerateReport;

  beforeAll(async () => {
    dir = join(root, 'faults');
    faultReport = await generate({ scale: SCALE, seed: SEED, outDir: dir, faults: 0.004 });
    faulty = await measure(dir);
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as typeof manifest;
  }, 60_000);

  it('injects every kind, listed in the manifest', () => {
    expect(manifest.injected).toBe(Math.round(0.004 * m.rows.orders!));
    expect(manifest.faults).toHaveLength(manifest.injected);
    expect(faultReport.faults.injected).toBe(manifest.injected);
    expect(new Set(manifest.faults.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('breaks exactly the rules the manifest names, at the rows it names', () => {
    const key = (rule: string, file: string, row: number) => `${rule} ${file}#${row}`;
    const found = faulty.violations.map((v) => key(v.rule, v.file, v.sourceRow)).sort();
    const listed = manifest.faults.map((f) => key(f.expectedRule, f.file, f.sourceRow)).sort();
    expect(found).toEqual(listed);
  });

  it('holds the listed values at the listed rows, and lists the other rows of each order', async () => {
    const files = new Map<string, Record<string, string>[]>();
    const records = async (file: string) => {
      if (!files.has(file))
        files.set(file, parse(await readFile(join(dir, file)), { columns: true, bom: true }) as Record<string, string>[]);
      return files.get(file)!;
    };
    for (const f of manifest.faults) {
      for (const [file, rows] of Object.entries(f.relatedRows)) {
        const all = await records(file);
        for (const r of rows) expect(all[r - 1]!.order_id, `${f.kind} ${file}#${r}`).toBe(f.orderId);
      }
      if (f.kind === 'orphan_item') expect(f.relatedRows).toEqual({});
      else expect(Object.keys(f.relatedRows).length).toBeGreaterThan(0);
      const row = (await records(f.file))[f.sourceRow - 1]!;
      expect(row.order_id, f.kind).toBe(f.orderId);
      if (f.column !== undefined && f.value !== undefined) expect(row[f.column], f.kind).toBe(f.value);
      if (f.kind === 'duplicate_order') {
        expect(f.firstSourceRow).toBeLessThan(f.sourceRow);
        expect(files.get(f.file)![f.firstSourceRow! - 1]).toEqual(row);
      }
    }
  });

  it('leaves the clean rows alone', () => {
    for (const key of ['customers', 'products', 'sellers', 'geolocation', 'categories'] as const) {
      expect(faultReport.files[key].sha256, key).toBe(report.files[key].sha256);
    }
    const dup = manifest.faults.filter((f) => f.kind === 'duplicate_order').length;
    const orphan = manifest.faults.filter((f) => f.kind === 'orphan_item').length;
    expect(faulty.rows.orders).toBe(m.rows.orders! + dup);
    expect(faulty.rows.payments).toBe(m.rows.payments);
    expect(faulty.rows.reviews).toBe(m.rows.reviews);
    expect(faulty.money.payments - m.money.payments).toBeGreaterThan(0);
    expect(orphan).toBeGreaterThan(0);
  });
});

describe('generate() edge cases', () => {
  it('makes a consistent tiny data set', async () => {
    const out = join(root, 'tiny');
    const r = await generate({ scale: 0.001, seed: 7, outDir: out });
    const t = await measure(out);
    expect(r.files.orders.rows).toBe(99);
    expect(r.files.products.rows).toBeGreaterThanOrEqual(30);
    expect(r.files.sellers.rows).toBeGreaterThanOrEqual(10);
    expect(t.violations).toEqual([]);
    expect(Object.values(t.integrity).every((n) => n === 0)).toBe(true);
  });

  it('treats a numeric seed given as text like the number (the CLI passes text)', async () => {
    const a = await generate({ scale: 0.002, seed: 42, outDir: join(root, 'seed-number') });
    const b = await generate({ scale: 0.002, seed: '42', outDir: join(root, 'seed-text') });
    for (const key of FILE_KEYS) expect(b.files[key].sha256, key).toBe(a.files[key].sha256);
  });

  it('rejects bad options', async () => {
    await expect(generate({ scale: 0, seed: 1, outDir: join(root, 'bad') })).rejects.toThrow(/scale/);
    await expect(generate({ scale: 0.01, seed: 1, outDir: join(root, 'bad'), faults: -1 })).rejects.toThrow(/faults/);
  });
});

/** Splits CSV text into records of [value, wasQuoted] (enough for style checks; csv-parse hides the quoting). */
function tokens(text: string): Array<Array<[string, boolean]>> {
  const out: Array<Array<[string, boolean]>> = [];
  let rec: Array<[string, boolean]> = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        value += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\n') j++;
      value = text.slice(i, j);
      i = j;
    }
    rec.push([value, quoted]);
    if (text[i] === ',') {
      i++;
      continue;
    }
    i++;
    out.push(rec);
    rec = [];
  }
  return out;
}
