// Writes the shipped sample as a pandas/spreadsheet round trip would (zips without leading zeros, integers as x.0, prices as 199.0).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Per file: the columns a spreadsheet turns into numbers, and how it writes them back. */
const NUMERIC: Record<string, Record<string, 'int' | 'float'>> = {
  'olist_customers_dataset.csv': { customer_zip_code_prefix: 'int' },
  'olist_sellers_dataset.csv': { seller_zip_code_prefix: 'int' },
  'olist_geolocation_dataset.csv': { geolocation_zip_code_prefix: 'int' },
  'olist_products_dataset.csv': {
    product_name_lenght: 'float',
    product_description_lenght: 'float',
    product_photos_qty: 'float',
    product_weight_g: 'float',
    product_length_cm: 'float',
    product_height_cm: 'float',
    product_width_cm: 'float',
  },
  'olist_order_items_dataset.csv': { price: 'float', freight_value: 'float' },
};

/** An integer-valued column read as float (pandas, when a column has blanks) prints as 44.0; a zip read as int loses its zeros. */
function write(value: string, as: 'int' | 'float'): string {
  if (value === '') return value;
  const n = Number(value);
  return as === 'int' ? String(n) : Number.isInteger(n) ? n.toFixed(1) : String(n);
}

export function spreadsheetRoundTrip(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.csv'))) {
    const numeric = NUMERIC[file];
    if (!numeric) {
      fs.copyFileSync(path.join(from, file), path.join(to, file));
      continue;
    }
    const [header, ...rows] = parse(fs.readFileSync(path.join(from, file)), { bom: true }) as string[][];
    const kinds = header!.map((h) => numeric[h]);
    const out = rows.map((r) => r.map((v, i) => (kinds[i] ? write(v, kinds[i]!) : v)));
    fs.writeFileSync(path.join(to, file), stringify([header!, ...out]));
  }
}

if (require.main === module) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) {
    console.error('usage: tsx scripts/spreadsheet-round-trip.ts <sample dir> <out dir>');
    process.exit(2);
  }
  spreadsheetRoundTrip(from, to);
}
