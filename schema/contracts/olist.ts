// The nine Olist source files: one contract each, the single statement of their columns and types.
import { z } from 'zod';
import { repairsOffFrom } from './repairs';
import { type ColumnKind, type ColumnSpec, type DateWindow, type LoadContext, fieldSchema } from './column-types';

export interface SourceContract {
  /** Short name used in asset keys and table names: raw.<name>, staging.<name>. */
  name: string;
  /** File name inside the source directory. */
  file: string;
  columns: ColumnSpec[];
  /** Business key of a staged row, when the file has one (used by later layers, not enforced here). */
  key?: string[];
  /** Exact duplicate rows are removed and counted (geolocation repeats itself). */
  dedupe?: boolean;
  /** Bumped when the contract's meaning changes without its columns changing. */
  version: number;
  /** The switch of this source's repairs (schema/contracts/repairs.ts) before the contract; on unless false. */
  repairs?: boolean;
}

type Cols = Record<string, `${ColumnKind}` | `${ColumnKind}?`>;

/**
 * Most characters of each free-text column (the longest real values: cities 32, review titles 26, messages 208).
 * A 1 MiB city is a broken export, not a city: it is rejected, never truncated.
 */
const TEXT_LIMITS: Record<string, number> = {
  customer_city: 100,
  seller_city: 100,
  geolocation_city: 100,
  review_comment_title: 500,
  review_comment_message: 5_000,
};

/**
 * The marketplace's first day, as far as this warehouse is concerned: Olist's first orders are from September 2016
 * (the sample's first purchase is 2016-09-04). A purchase before 2016-01-01 is a broken date, not history.
 */
export const MARKETPLACE_START = '2016-01-01';

/** Rule codes of a purchase date outside [MARKETPLACE_START, the load's as-of date]: the order is quarantined in staging. */
export const PURCHASE_DATE_RULES = {
  IN_FUTURE: 'SALES.PURCHASE_DATE_IN_FUTURE',
  BEFORE_MARKETPLACE: 'SALES.PURCHASE_DATE_BEFORE_MARKETPLACE',
} as const;

/**
 * A purchase date after the load's as-of date (DW_AS_OF, else the run's start date, UTC) or before the marketplace
 * existed makes no month of sales: the order is rejected by the contract, so no partition is ever created for it.
 */
const PURCHASE_WINDOW: DateWindow = {
  notBefore: MARKETPLACE_START,
  beforeRule: PURCHASE_DATE_RULES.BEFORE_MARKETPLACE,
  notBeforeIs: "the marketplace's first day",
  afterAsOfRule: PURCHASE_DATE_RULES.IN_FUTURE,
};

const DATE_WINDOWS: Record<string, DateWindow> = { order_purchase_timestamp: PURCHASE_WINDOW };

function columns(cols: Cols): ColumnSpec[] {
  return Object.entries(cols).map(([name, t]) => ({
    name,
    kind: t.replace('?', '') as ColumnKind,
    required: !t.endsWith('?'),
    ...(TEXT_LIMITS[name] === undefined ? {} : { maxLength: TEXT_LIMITS[name] }),
    ...(DATE_WINDOWS[name] === undefined ? {} : { dateWindow: DATE_WINDOWS[name] }),
  }));
}

const CONTRACT_LIST: readonly SourceContract[] = [
  {
    name: 'orders',
    file: 'olist_orders_dataset.csv',
    // 2: the purchase date window (SALES.PURCHASE_DATE_IN_FUTURE / _BEFORE_MARKETPLACE).
    version: 2,
    key: ['order_id'],
    columns: columns({
      order_id: 'id',
      customer_id: 'id',
      order_status: 'code',
      order_purchase_timestamp: 'timestamp',
      order_approved_at: 'timestamp?',
      order_delivered_carrier_date: 'timestamp?',
      order_delivered_customer_date: 'timestamp?',
      order_estimated_delivery_date: 'timestamp?',
    }),
  },
  {
    name: 'order_items',
    file: 'olist_order_items_dataset.csv',
    version: 1,
    key: ['order_id', 'order_item_id'],
    columns: columns({
      order_id: 'id',
      order_item_id: 'integer',
      product_id: 'id',
      seller_id: 'id',
      shipping_limit_date: 'timestamp',
      price: 'money',
      freight_value: 'money',
    }),
  },
  {
    name: 'order_payments',
    file: 'olist_order_payments_dataset.csv',
    version: 1,
    key: ['order_id', 'payment_sequential'],
    columns: columns({
      order_id: 'id',
      payment_sequential: 'integer',
      payment_type: 'code',
      payment_installments: 'integer',
      payment_value: 'money',
    }),
  },
  {
    name: 'order_reviews',
    file: 'olist_order_reviews_dataset.csv',
    version: 1,
    key: ['review_id', 'order_id'],
    columns: columns({
      review_id: 'id',
      order_id: 'id',
      review_score: 'integer',
      review_comment_title: 'text?',
      review_comment_message: 'text?',
      review_creation_date: 'timestamp',
      review_answer_timestamp: 'timestamp?',
    }),
  },
  {
    name: 'customers',
    file: 'olist_customers_dataset.csv',
    version: 1,
    key: ['customer_id'],
    columns: columns({
      customer_id: 'id',
      customer_unique_id: 'id',
      customer_zip_code_prefix: 'zip',
      customer_city: 'text',
      customer_state: 'state',
    }),
  },
  {
    name: 'products',
    file: 'olist_products_dataset.csv',
    version: 1,
    key: ['product_id'],
    columns: columns({
      product_id: 'id',
      product_category_name: 'code?',
      product_name_lenght: 'integer?',
      product_description_lenght: 'integer?',
      product_photos_qty: 'integer?',
      product_weight_g: 'integer?',
      product_length_cm: 'integer?',
      product_height_cm: 'integer?',
      product_width_cm: 'integer?',
    }),
  },
  {
    name: 'sellers',
    file: 'olist_sellers_dataset.csv',
    version: 1,
    key: ['seller_id'],
    columns: columns({
      seller_id: 'id',
      seller_zip_code_prefix: 'zip',
      seller_city: 'text',
      seller_state: 'state',
    }),
  },
  {
    name: 'geolocation',
    file: 'olist_geolocation_dataset.csv',
    version: 1,
    dedupe: true,
    columns: columns({
      geolocation_zip_code_prefix: 'zip',
      geolocation_lat: 'decimal',
      geolocation_lng: 'decimal',
      geolocation_city: 'text',
      geolocation_state: 'state',
    }),
  },
  {
    name: 'category_translation',
    file: 'product_category_name_translation.csv',
    version: 1,
    key: ['product_category_name'],
    columns: columns({
      product_category_name: 'code',
      product_category_name_english: 'code',
    }),
  },
];

/**
 * The contracts, with the repairs switch applied: DW_REPAIRS_OFF (schema/contracts/repairs.ts) is read once, here,
 * because the switch is part of each staging asset's code version, which the worker and the CLI compute from these objects.
 */
export const CONTRACTS: readonly SourceContract[] = (() => {
  // Workflow code imports the contracts too (through the asset graph) and has no process: there the switch reads as
  // unset, which is harmless because only activities use code versions and stage rows.
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  const off = repairsOffFrom(
    env?.DW_REPAIRS_OFF,
    CONTRACT_LIST.map((c) => c.name),
  );
  return CONTRACT_LIST.map((c) => (off.has(c.name) ? { ...c, repairs: false } : c));
})();

export function contract(name: string): SourceContract {
  const c = CONTRACTS.find((x) => x.name === name);
  if (!c) throw new Error(`unknown source '${name}': expected one of ${CONTRACTS.map((x) => x.name).join(', ')}`);
  return c;
}

/** The zod object of a file's raw record (all fields as text; '' means absent); date windows end at `load.asOf` when given. */
export function recordSchema(c: SourceContract, load?: LoadContext) {
  return z.object(Object.fromEntries(c.columns.map((col) => [col.name, fieldSchema(col, load)])));
}
