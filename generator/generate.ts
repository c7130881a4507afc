// The generator's entry point: writes the nine Olist files (and fault-manifest.json) for a scale and a seed, streaming in chunks.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Catalog } from './catalog';
import { headerLine } from './csv-format';
import { CsvSink, type SinkSummary } from './csv-sink';
import { FAULT_KINDS, FaultInjector, type AppliedFault, type FaultEntry, type FaultKind } from './faults';
import { FILE_KEYS, FILES, type FileKey } from './files';
import { FULL } from './figures';
import { Geography } from './geography';
import { OrderFactory } from './order-factory';
import { planPersons } from './persons';
import { loadReference } from './reference';
import { seedToU32 } from './rng';
import { customerLine, itemLine, orderLine, paymentLine, reviewLine } from './serialize';

export interface GenerateOptions {
  /** 1 = the size of the full Olist data set (99,441 orders); any positive number. */
  scale: number;
  /** Same seed (and scale, faults, reference data) → byte-identical files. */
  seed: number | string;
  outDir: string;
  /** Rate of injected bad rows per order (e.g. 0.001); at least one fault of each kind when > 0. */
  faults?: number;
  /** Only these fault kinds (default: every kind), e.g. one kind to test its rule alone. */
  faultKinds?: readonly FaultKind[];
  /** Called after each chunk with records written so far and the expected total. */
  onProgress?: (rowsWritten: number, totalExpected: number) => void;
  /** Folder with the real reference rows (default: $DW_OLIST_REFERENCE_DIR, else the rows shipped in generator/reference-data). */
  referenceDir?: string;
  /** Orders per chunk (default 5,000). */
  chunkSize?: number;
}

export type GeneratedFile = Omit<SinkSummary, 'path'>;

export interface GenerateReport {
  scale: number;
  seed: number | string;
  outDir: string;
  files: Record<FileKey, GeneratedFile>;
  totalRows: number;
  elapsedMs: number;
  persons: number;
  repeatPersons: number;
  zipPrefixes: number;
  /** Products never sold (every product should sell at least once; a handful may not at the end of a run). */
  unsoldProducts: number;
  faults: { rate: number; injected: number; kinds: Record<string, number>; manifest: string | null };
}

export const MANIFEST_FILE = 'fault-manifest.json';
export const NOTICE_FILE = 'NOTICE.md';

const NOTICE = `# Synthetic Olist data: attribution

These files were written by the project's synthetic generator (\`dw generate\`). Orders, customers, items,
payments, reviews and geolocation points are synthetic, but the product and seller rows, the category
translation, the city names, zip code prefixes and review comment texts are taken from the
**Brazilian E-Commerce Public Dataset by Olist** (published on Kaggle by Olist), licensed under
[CC BY-NC-SA 4.0](https://creativecommons.org/licenses/by-nc-sa/4.0/): attribution, non-commercial use,
share-alike. These data files are distributed under the same licence.
`;

function validate(o: GenerateOptions): void {
  if (!(typeof o.scale === 'number' && Number.isFinite(o.scale) && o.scale > 0))
    throw new Error(`scale must be a positive number, got ${o.scale}`);
  if (o.scale > 1_000) throw new Error(`scale ${o.scale} is too large (at most 1000)`);
  if (o.faults !== undefined && !(Number.isFinite(o.faults) && o.faults >= 0 && o.faults <= 0.2))
    throw new Error(`faults must be a rate between 0 and 0.2, got ${o.faults}`);
  if (o.faultKinds !== undefined && (o.faultKinds.length === 0 || o.faultKinds.some((k) => !FAULT_KINDS.includes(k))))
    throw new Error(`faultKinds must name known kinds (${FAULT_KINDS.join(', ')})`);
  if (!o.outDir) throw new Error('outDir is required');
  if (o.chunkSize !== undefined && !(Number.isInteger(o.chunkSize) && o.chunkSize > 0))
    throw new Error(`chunkSize must be a positive integer, got ${o.chunkSize}`);
}

export async function generate(options: GenerateOptions): Promise<GenerateReport> {
  validate(options);
  const started = performance.now();
  const { scale, outDir } = options;
  const seed = seedToU32(options.seed);
  const rate = options.faults ?? 0;
  const chunk = options.chunkSize ?? 5_000;

  const ref = loadReference(options.referenceDir);
  const orders = Math.max(20, Math.round(FULL.orders * scale));
  const catalog = new Catalog(seed, scale, ref.products, ref.sellers);
  const geography = new Geography(seed, scale, ref.geolocation, catalog.sellers);
  const persons = planPersons(seed, scale, orders);
  const factory = new OrderFactory(seed, orders, persons, catalog, geography, ref.reviews);
  const injector = rate > 0 ? new FaultInjector(seed, orders, rate, options.faultKinds ?? FAULT_KINDS) : null;
  const geoRows = Math.max(geography.zipCount, Math.round(FULL.geolocation * scale));
  const geoDuplicates = Math.round(FULL.geolocationDuplicates * scale);

  await mkdir(outDir, { recursive: true });
  if (injector === null) await rm(join(outDir, MANIFEST_FILE), { force: true });
  const sinks = {} as Record<FileKey, CsvSink>;
  try {
    for (const key of FILE_KEYS) sinks[key] = await CsvSink.open(FILES[key].file, join(outDir, FILES[key].file));
  } catch (e) {
    await Promise.all(Object.values(sinks).map((s) => s.abort()));
    throw e;
  }

  const share = orders / FULL.orders;
  const translationText = ref.translation.toString('utf8');
  const translationRows = translationText.split('\n').filter((l) => l.trim() !== '').length - 1;
  const expected =
    2 * orders +
    Math.round((FULL.items + FULL.payments + FULL.reviews) * share) +
    catalog.productCount +
    catalog.sellerCount +
    geoRows +
    translationRows;
  const written = (): number => FILE_KEYS.reduce((a, k) => a + sinks[k].rows, 0);
  const progress = (): void => options.onProgress?.(written(), Math.max(expected, written()));
  const flushFull = async (): Promise<void> => {
    for (const key of FILE_KEYS) await sinks[key].flushIfFull();
  };
  const manifest: FaultEntry[] = [];

  try {
    for (const key of FILE_KEYS) if (key !== 'categories') sinks[key].raw(headerLine(FILES[key].columns));
    sinks.categories.records(translationText, translationRows);
    for (let k = 0; k < catalog.productCount; k++) {
      sinks.products.record(catalog.productLine(k));
      if ((k & 4095) === 0) await flushFull();
    }
    for (let s = 0; s < catalog.sellerCount; s++) sinks.sellers.record(catalog.sellerLine(s));
    await flushFull();
    progress();

    for (let start = 0; start < orders; start += chunk) {
      const duplicates: Array<{ line: string; applied: AppliedFault; rows: OrderRows }> = [];
      for (let i = start; i < Math.min(orders, start + chunk); i++) {
        const d = factory.next(i);
        const applied = injector?.inject(d) ?? null;
        const line = orderLine(d);
        const rows: OrderRows = { orders: [sinks.orders.record(line)], items: [], payments: [], reviews: [] };
        sinks.customers.record(customerLine(d));
        d.items.forEach((it, j) => rows.items.push(sinks.items.record(itemLine(d.orderId, j + 1, it))));
        const orphanRow = applied?.orphan === undefined ? 0 : sinks.items.record(itemLine(applied.orphan.orderId, 1, applied.orphan.item));
        d.payments.forEach((p, j) => rows.payments.push(sinks.payments.record(paymentLine(d.orderId, j + 1, p))));
        d.reviews.forEach((r) => rows.reviews.push(sinks.reviews.record(reviewLine(d.orderId, r))));
        if (applied === null) continue;
        const site = applied.site;
        if (site.table === 'orders' && site.copy === 'duplicate') duplicates.push({ line, applied, rows });
        else if (site.table === 'items' && site.item === 'orphan') manifest.push(entry(applied, orphanRow, emptyRows()));
        else {
          const at =
            site.table === 'orders' ? 0 : site.table === 'items' ? site.item : site.table === 'payments' ? site.payment : site.review;
          manifest.push(entry(applied, rows[site.table][at as number]!, rows));
        }
      }
      for (const dup of duplicates) {
        const row = sinks.orders.record(dup.line);
        manifest.push({ ...entry(dup.applied, row, dup.rows), firstSourceRow: dup.rows.orders[0]! });
      }
      await flushFull();
      progress();
    }

    await geography.write(sinks.geolocation, seed, geoRows, geoDuplicates, async () => {
      await sinks.geolocation.flush();
      progress();
    });
  } catch (e) {
    await Promise.all(FILE_KEYS.map((k) => sinks[k].abort()));
    throw e;
  }

  const files = {} as Record<FileKey, GeneratedFile>;
  for (const key of FILE_KEYS) {
    const { path: _path, ...summary } = await sinks[key].close();
    files[key] = summary;
  }
  const totalRows = FILE_KEYS.reduce((a, k) => a + files[k].rows, 0);
  options.onProgress?.(totalRows, totalRows);

  let manifestPath: string | null = null;
  const kinds: Record<string, number> = {};
  if (injector !== null) {
    for (const f of manifest) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    manifestPath = join(outDir, MANIFEST_FILE);
    const body = {
      generator: 'dw synthetic olist generator',
      scale,
      seed: options.seed,
      rate,
      planned: injector.planned,
      injected: manifest.length,
      kinds: options.faultKinds ?? FAULT_KINDS,
      faults: manifest.sort((a, b) => a.file.localeCompare(b.file) || a.sourceRow - b.sourceRow),
    };
    await writeFile(manifestPath, `${JSON.stringify(body, null, 2)}\n`);
  }
  await writeFile(join(outDir, NOTICE_FILE), NOTICE);

  return {
    scale,
    seed: options.seed,
    outDir,
    files,
    totalRows,
    elapsedMs: Math.round(performance.now() - started),
    persons: persons.persons,
    repeatPersons: persons.repeatPersons,
    zipPrefixes: geography.zipCount,
    unsoldProducts: factory.stats().unsoldProducts,
    faults: { rate, injected: manifest.length, kinds, manifest: manifestPath },
  };
}

/** Record numbers of one order's rows in each file. */
interface OrderRows {
  orders: number[];
  items: number[];
  payments: number[];
  reviews: number[];
}

const emptyRows = (): OrderRows => ({ orders: [], items: [], payments: [], reviews: [] });

/** A manifest entry: the fault's row, plus the other rows of its order (what a rejected order takes with it). */
function entry(applied: AppliedFault, sourceRow: number, rows: OrderRows): FaultEntry {
  const { kind, orderId, expectedRule, ...rest } = applied.entry;
  const file = FILES[applied.fileKey].file;
  const related: FaultEntry['relatedRows'] = {};
  for (const key of ['orders', 'items', 'payments', 'reviews'] as const) {
    const others = rows[key].filter((r) => !(FILES[key].file === file && r === sourceRow));
    if (others.length > 0) related[FILES[key].file] = others;
  }
  return { kind, file, orderId, sourceRow, expectedRule, ...rest, relatedRows: related };
}
