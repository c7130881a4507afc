// Source folders for tests: a copy of the shipped sample (or head-1000) that a test may alter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROOT } from '../../infra/config';

/** The warehouse's named models (README): every test of a real export expects them built. */
export const NAMED_MODELS = [
  'dbt/fact_orders',
  'dbt/fact_deliveries',
  'dbt/dim_customer',
  'dbt/dim_product',
  'dbt/dim_seller',
  'dbt/dim_date',
  'dbt/mart_executive_dashboard',
  'dbt/mart_customer_analytics',
  'dbt/mart_seller_performance',
];
export const SAMPLE_DIR = path.join(ROOT, 'data', 'olist-sample');
export const SHARED_OLIST = path.resolve(ROOT, '..', 'shared', 'olist');
export const HEAD_1000_DIR = path.join(SHARED_OLIST, 'head-1000');

export function copySource(from = SAMPLE_DIR): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-src-'));
  for (const f of fs.readdirSync(from)) if (f.endsWith('.csv')) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  return dir;
}

/** The records of a CSV file as the reference parser (csv-parse) reads them, header excluded. */
export function parseRecords(file: string): string[][] {
  return parse(fs.readFileSync(file), { bom: true, relax_column_count: false }).slice(1) as string[][];
}

export function replaceInFile(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit found nothing to replace in ${file}`);
  fs.writeFileSync(file, next);
}

/**
 * Sets every payment of the month's orders to 99,999.99, so that the sales payment rule quarantines each of those
 * orders (more than half of the month: the partition fails its quarantine limit). Returns the payments changed.
 */
export function corruptPaymentsOfMonth(dir: string, month: string): number {
  const ids = new Set(
    parseRecords(path.join(dir, 'olist_orders_dataset.csv'))
      .filter((r) => (r[3] as string).startsWith(month))
      .map((r) => r[0]),
  );
  const file = path.join(dir, 'olist_order_payments_dataset.csv');
  let changed = 0;
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => {
      if (!ids.has(line.split(',')[0] as string)) return line;
      changed++;
      return line.replace(/,[^,]*$/, ',99999.99');
    });
  fs.writeFileSync(file, lines.join('\n'));
  return changed;
}
