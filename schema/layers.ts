// raw.* and staging.* tables, built from the source contracts so the columns are stated once.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  char,
  doublePrecision,
  index,
  integer,
  numeric,
  pgSchema,
  text,
  timestamp,
  type PgColumnBuilderBase,
} from 'drizzle-orm/pg-core';
import type { ColumnSpec } from './contracts/column-types';
import { contract, type SourceContract } from './contracts/olist';

export const rawSchema = pgSchema('raw');
export const stagingSchema = pgSchema('staging');

/** raw.<name>: every field as text, numbered in file order, stamped with the file it came from. */
function rawTable(c: SourceContract) {
  const cols: Record<string, PgColumnBuilderBase> = {};
  for (const col of c.columns) cols[col.name] = text(col.name);
  return rawSchema.table(c.name, {
    ...cols,
    _source_file: text('_source_file')
      .notNull()
      .default(sql`current_setting('dw.source_file')`),
    _source_sha256: text('_source_sha256')
      .notNull()
      .default(sql`current_setting('dw.source_sha256')`),
    _source_row: bigint('_source_row', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
  });
}

function stagedColumn(col: ColumnSpec): PgColumnBuilderBase {
  const b = (() => {
    switch (col.kind) {
      case 'timestamp':
        return timestamp(col.name, { precision: 0, mode: 'string' });
      case 'money':
        return numeric(col.name, { precision: 12, scale: 2 });
      case 'decimal':
        return doublePrecision(col.name);
      case 'integer':
        return integer(col.name);
      case 'zip':
        return char(col.name, { length: 5 });
      case 'state':
        return char(col.name, { length: 2 });
      default:
        return text(col.name);
    }
  })();
  return col.required ? b.notNull() : b;
}

/** staging.<name>: typed columns, each row still carrying its source file hash and record number. */
function stagingTable(c: SourceContract) {
  const cols: Record<string, PgColumnBuilderBase> = {};
  for (const col of c.columns) cols[col.name] = stagedColumn(col);
  // Later layers read staged rows by order and by customer.
  const lookups = ['order_id', 'customer_id'].filter((n) => n in cols);
  return stagingSchema.table(
    c.name,
    {
      ...cols,
      _source_sha256: text('_source_sha256').notNull(),
      _source_row: bigint('_source_row', { mode: 'number' }).primaryKey(),
    },
    (t) => lookups.map((n) => index(`${c.name}_${n}_idx`).on((t as unknown as Record<string, AnyPgColumn>)[n] as AnyPgColumn)),
  );
}

// Exported one by one: drizzle-kit discovers tables among a module's exports.
export const rawOrders = rawTable(contract('orders'));
export const rawOrderItems = rawTable(contract('order_items'));
export const rawOrderPayments = rawTable(contract('order_payments'));
export const rawOrderReviews = rawTable(contract('order_reviews'));
export const rawCustomers = rawTable(contract('customers'));
export const rawProducts = rawTable(contract('products'));
export const rawSellers = rawTable(contract('sellers'));
export const rawGeolocation = rawTable(contract('geolocation'));
export const rawCategoryTranslation = rawTable(contract('category_translation'));

export const stagingOrders = stagingTable(contract('orders'));
export const stagingOrderItems = stagingTable(contract('order_items'));
export const stagingOrderPayments = stagingTable(contract('order_payments'));
export const stagingOrderReviews = stagingTable(contract('order_reviews'));
export const stagingCustomers = stagingTable(contract('customers'));
export const stagingProducts = stagingTable(contract('products'));
export const stagingSellers = stagingTable(contract('sellers'));
export const stagingGeolocation = stagingTable(contract('geolocation'));
export const stagingCategoryTranslation = stagingTable(contract('category_translation'));
