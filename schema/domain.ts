// Domain tables: rows that passed each bounded context's rules, per monthly partition (marketplace: whole tables).
import {
  bigint,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const sales = pgSchema('sales');
export const customer = pgSchema('customer');
export const fulfillment = pgSchema('fulfillment');
export const marketplace = pgSchema('marketplace');
export const events = pgSchema('events');

const ts = (name: string) => timestamp(name, { precision: 0, mode: 'string' });
const money = (name: string) => numeric(name, { precision: 12, scale: 2 });
const provenance = {
  partitionKey: text('partition_key').notNull(),
  sourceSha256: text('_source_sha256').notNull(),
  sourceRow: bigint('_source_row', { mode: 'number' }).notNull(),
};

export const salesOrders = sales.table(
  'orders',
  {
    orderId: text('order_id').primaryKey(),
    customerId: text('customer_id').notNull(),
    orderStatus: text('order_status').notNull(),
    purchasedAt: ts('purchased_at').notNull(),
    approvedAt: ts('approved_at'),
    deliveredCarrierAt: ts('delivered_carrier_at'),
    deliveredCustomerAt: ts('delivered_customer_at'),
    estimatedDeliveryAt: ts('estimated_delivery_at'),
    itemCount: integer('item_count').notNull(),
    itemsTotal: money('items_total').notNull(),
    freightTotal: money('freight_total').notNull(),
    paymentsTotal: money('payments_total').notNull(),
    ...provenance,
  },
  (t) => [index('sales_orders_partition_idx').on(t.partitionKey), index('sales_orders_customer_idx').on(t.customerId)],
);

export const salesOrderItems = sales.table(
  'order_items',
  {
    orderId: text('order_id').notNull(),
    orderItemId: integer('order_item_id').notNull(),
    productId: text('product_id').notNull(),
    sellerId: text('seller_id').notNull(),
    shippingLimitAt: ts('shipping_limit_at'),
    price: money('price').notNull(),
    freightValue: money('freight_value').notNull(),
    ...provenance,
  },
  (t) => [primaryKey({ columns: [t.orderId, t.orderItemId] }), index('sales_items_partition_idx').on(t.partitionKey)],
);

export const salesOrderPayments = sales.table(
  'order_payments',
  {
    orderId: text('order_id').notNull(),
    paymentSequential: integer('payment_sequential').notNull(),
    paymentType: text('payment_type').notNull(),
    paymentInstallments: integer('payment_installments').notNull(),
    paymentValue: money('payment_value').notNull(),
    ...provenance,
  },
  (t) => [primaryKey({ columns: [t.orderId, t.paymentSequential] }), index('sales_payments_partition_idx').on(t.partitionKey)],
);

export const customerCustomers = customer.table(
  'customers',
  {
    customerId: text('customer_id').primaryKey(),
    customerUniqueId: text('customer_unique_id').notNull(),
    zipCodePrefix: char('zip_code_prefix', { length: 5 }).notNull(),
    city: text('city').notNull(),
    state: char('state', { length: 2 }).notNull(),
    ...provenance,
  },
  (t) => [index('customer_customers_partition_idx').on(t.partitionKey), index('customer_customers_unique_idx').on(t.customerUniqueId)],
);

export const customerReviews = customer.table(
  'reviews',
  {
    reviewId: text('review_id').notNull(),
    orderId: text('order_id').notNull(),
    reviewScore: smallint('review_score').notNull(),
    commentTitle: text('comment_title'),
    commentMessage: text('comment_message'),
    createdAt: ts('created_at'),
    answeredAt: ts('answered_at'),
    ...provenance,
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.orderId] }), index('customer_reviews_partition_idx').on(t.partitionKey)],
);

/** One row per person (customer_unique_id): metrics and segment as of the data's last purchase. */
export const customerProfiles = customer.table('profiles', {
  customerUniqueId: text('customer_unique_id').primaryKey(),
  ordersCount: integer('orders_count').notNull(),
  totalSpent: money('total_spent').notNull(),
  firstOrderAt: ts('first_order_at'),
  lastOrderAt: ts('last_order_at'),
  recencyDays: integer('recency_days'),
  segment: text('segment').notNull(),
  asOf: ts('as_of').notNull(),
});

export const fulfillmentShipments = fulfillment.table(
  'shipments',
  {
    orderId: text('order_id').primaryKey(),
    orderStatus: text('order_status').notNull(),
    handedToCarrierAt: ts('handed_to_carrier_at'),
    deliveredAt: ts('delivered_at'),
    estimatedDeliveryDate: date('estimated_delivery_date', { mode: 'string' }).notNull(),
    onTime: boolean('on_time'),
    delayDays: integer('delay_days'),
    ...provenance,
  },
  (t) => [index('fulfillment_shipments_partition_idx').on(t.partitionKey)],
);

export const marketplaceProducts = marketplace.table('products', {
  productId: text('product_id').primaryKey(),
  categoryName: text('category_name').notNull(),
  categoryNameEnglish: text('category_name_english').notNull(),
  categoryKnown: boolean('category_known').notNull(),
  nameLength: integer('name_length'),
  descriptionLength: integer('description_length'),
  photosQty: integer('photos_qty'),
  weightG: integer('weight_g'),
  lengthCm: integer('length_cm'),
  heightCm: integer('height_cm'),
  widthCm: integer('width_cm'),
  sourceSha256: text('_source_sha256').notNull(),
  sourceRow: bigint('_source_row', { mode: 'number' }).notNull(),
});

export const marketplaceSellers = marketplace.table('sellers', {
  sellerId: text('seller_id').primaryKey(),
  zipCodePrefix: char('zip_code_prefix', { length: 5 }).notNull(),
  city: text('city').notNull(),
  state: char('state', { length: 2 }).notNull(),
  sourceSha256: text('_source_sha256').notNull(),
  sourceRow: bigint('_source_row', { mode: 'number' }).notNull(),
});

export const marketplaceCategories = marketplace.table('categories', {
  categoryName: text('category_name').primaryKey(),
  categoryNameEnglish: text('category_name_english').notNull(),
  sourceSha256: text('_source_sha256').notNull(),
  sourceRow: bigint('_source_row', { mode: 'number' }).notNull(),
});

/** The outbox: domain events with deterministic ids, so a re-run never duplicates one. */
export const outbox = events.table(
  'outbox',
  {
    eventId: text('event_id').primaryKey(),
    eventType: text('event_type').notNull(),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    sequence: integer('sequence').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    payload: jsonb('payload').notNull(),
    assetKey: text('asset_key').notNull(),
    partitionKey: text('partition_key').notNull(),
  },
  (t) => [index('outbox_asset_partition_idx').on(t.assetKey, t.partitionKey), index('outbox_type_idx').on(t.eventType)],
);
