// Test helper: reads a generated Olist folder with csv-parse (streaming) and measures it independently of the
// generator: row counts, distributions, money, referential integrity and the platform's rule checks.
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';

export const STATUSES = ['delivered', 'shipped', 'canceled', 'unavailable', 'invoiced', 'processing', 'created', 'approved'];
const TS = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;
const MONEY = /^-?[0-9]{1,10}(\.[0-9]{1,2})?$/;

export interface Violation {
  rule: string;
  file: string;
  sourceRow: number;
  orderId: string;
}

async function* records(dir: string, file: string): AsyncGenerator<{ row: number; r: Record<string, string> }> {
  const parser = createReadStream(join(dir, file)).pipe(parse({ columns: true, bom: true }));
  let row = 0;
  for await (const r of parser as AsyncIterable<Record<string, string>>) yield { row: ++row, r };
}

const seconds = (t: string): number => Date.parse(`${t.replace(' ', 'T')}Z`) / 1000;
const cents = (v: string): number => Math.round(Number(v) * 100);
const validTs = (v: string): boolean => {
  if (!TS.test(v)) return false;
  const [y, m, d] = [Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))];
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};

export interface Metrics {
  rows: Record<string, number>;
  status: Record<string, number>;
  ordersWithoutItems: number;
  itemlessByStatus: Record<string, number>;
  maxItemsPerOrder: number;
  paymentTypes: Record<string, number>;
  installmentsMin: number;
  installmentsMax: number;
  maxPaymentsPerOrder: number;
  ordersWithSeveralPayments: number;
  ordersWithSeveralItems: number;
  money: { payments: number; prices: number; freight: number };
  reviewMean: number;
  reviewIds: number;
  reviewedOrders: number;
  commentsWithNewline: number;
  commentsWithComma: number;
  persons: number;
  repeatPersons: number;
  repeatShare: number;
  maxOrdersPerPerson: number;
  purchaseFirst: string;
  purchaseLast: string;
  months: Record<string, number>;
  onTimeShare: number;
  meanDeliveryDays: number;
  geolocationDuplicates: number;
  geolocationZips: number;
  integrity: {
    itemsWithoutOrder: number;
    itemsWithoutProduct: number;
    itemsWithoutSeller: number;
    paymentsWithoutOrder: number;
    reviewsWithoutOrder: number;
    ordersWithoutCustomer: number;
  };
  violations: Violation[];
}

export async function measure(dir: string): Promise<Metrics> {
  const rows: Record<string, number> = {};
  const violations: Violation[] = [];
  const flag = (rule: string, file: string, sourceRow: number, orderId: string) => violations.push({ rule, file, sourceRow, orderId });

  const customers = new Map<string, string>();
  for await (const { row, r } of records(dir, 'olist_customers_dataset.csv')) {
    customers.set(r.customer_id!, r.customer_unique_id!);
    rows.customers = row;
  }
  const products = new Set<string>();
  for await (const { row, r } of records(dir, 'olist_products_dataset.csv')) {
    products.add(r.product_id!);
    rows.products = row;
  }
  const sellers = new Set<string>();
  for await (const { row, r } of records(dir, 'olist_sellers_dataset.csv')) {
    sellers.add(r.seller_id!);
    rows.sellers = row;
  }
  rows.categories = 0;
  for await (const { row } of records(dir, 'product_category_name_translation.csv')) rows.categories = row;

  interface O {
    row: number;
    status: string;
    purchase: string;
    delivered: string;
    estimated: string;
    customer: string;
  }
  const orders = new Map<string, O>();
  const status: Record<string, number> = {};
  const months: Record<string, number> = {};
  const ordersPerPerson = new Map<string, number>();
  let ordersWithoutCustomer = 0;
  let purchaseFirst = '9999';
  let purchaseLast = '0000';
  for await (const { row, r } of records(dir, 'olist_orders_dataset.csv')) {
    rows.orders = row;
    const id = r.order_id!;
    if (orders.has(id)) {
      flag('SALES.DUPLICATE_ORDER', 'olist_orders_dataset.csv', row, id);
      continue;
    }
    const o: O = {
      row,
      status: r.order_status!,
      purchase: r.order_purchase_timestamp!,
      delivered: r.order_delivered_customer_date!,
      estimated: r.order_estimated_delivery_date!,
      customer: r.customer_id!,
    };
    orders.set(id, o);
    status[o.status] = (status[o.status] ?? 0) + 1;
    if (!customers.has(o.customer)) ordersWithoutCustomer++;
    else {
      const person = customers.get(o.customer)!;
      ordersPerPerson.set(person, (ordersPerPerson.get(person) ?? 0) + 1);
    }
    if (!STATUSES.includes(o.status)) flag('SALES.UNKNOWN_STATUS', 'olist_orders_dataset.csv', row, id);
    const chain = [r.order_purchase_timestamp!, r.order_approved_at!, r.order_delivered_carrier_date!, r.order_delivered_customer_date!];
    if ([...chain, o.estimated].some((t) => t !== '' && !validTs(t))) {
      flag('CONTRACT.INVALID_TIMESTAMP', 'olist_orders_dataset.csv', row, id);
      continue;
    }
    months[o.purchase.slice(0, 7)] = (months[o.purchase.slice(0, 7)] ?? 0) + 1;
    if (o.purchase < purchaseFirst) purchaseFirst = o.purchase;
    if (o.purchase > purchaseLast) purchaseLast = o.purchase;
    const present = chain.filter((t) => t !== '');
    const [, , carrier, delivered] = chain;
    if (present.some((t, i) => i > 0 && present.slice(0, i).some((e) => t < e))) {
      // Delivery before hand-off alone is the fulfillment context's rule; anything else out of order is the sales rule.
      const fulfillmentOnly =
        carrier !== '' &&
        delivered !== '' &&
        delivered! < carrier! &&
        [r.order_approved_at!, carrier!, delivered!].every((t) => t === '' || t >= chain[0]!);
      flag(fulfillmentOnly ? 'FULFILLMENT.DELIVERED_BEFORE_HANDOFF' : 'SALES.TIMESTAMPS_OUT_OF_ORDER', 'olist_orders_dataset.csv', row, id);
    }
  }

  interface Basket {
    items: number;
    total: number;
    bad: boolean;
  }
  const baskets = new Map<string, Basket>();
  let prices = 0;
  let freight = 0;
  let itemsWithoutOrder = 0;
  let itemsWithoutProduct = 0;
  let itemsWithoutSeller = 0;
  let maxItemsPerOrder = 0;
  for await (const { row, r } of records(dir, 'olist_order_items_dataset.csv')) {
    rows.items = row;
    const id = r.order_id!;
    if (!products.has(r.product_id!)) itemsWithoutProduct++;
    if (!sellers.has(r.seller_id!)) itemsWithoutSeller++;
    if (!orders.has(id)) {
      itemsWithoutOrder++;
      flag('SALES.ORPHAN_ITEM', 'olist_order_items_dataset.csv', row, id);
      continue;
    }
    const b = baskets.get(id) ?? { items: 0, total: 0, bad: false };
    baskets.set(id, b);
    b.items++;
    maxItemsPerOrder = Math.max(maxItemsPerOrder, b.items);
    if (!MONEY.test(r.price!) || !MONEY.test(r.freight_value!)) {
      flag('CONTRACT.INVALID_NUMBER', 'olist_order_items_dataset.csv', row, id);
      b.bad = true;
      continue;
    }
    if (cents(r.price!) <= 0) {
      flag('SALES.NON_POSITIVE_PRICE', 'olist_order_items_dataset.csv', row, id);
      b.bad = true;
      continue;
    }
    prices += cents(r.price!);
    freight += cents(r.freight_value!);
    b.total += cents(r.price!) + cents(r.freight_value!);
  }
  const itemlessByStatus: Record<string, number> = {};
  for (const [id, o] of orders) {
    if (baskets.has(id)) continue;
    itemlessByStatus[o.status] = (itemlessByStatus[o.status] ?? 0) + 1;
    if (o.status === 'delivered') flag('SALES.DELIVERED_WITHOUT_ITEMS', 'olist_orders_dataset.csv', o.row, id);
  }

  interface Paid {
    firstRow: number;
    total: number;
    count: number;
  }
  const paid = new Map<string, Paid>();
  const paymentTypes: Record<string, number> = {};
  let payments = 0;
  let paymentsWithoutOrder = 0;
  let installmentsMin = Infinity;
  let installmentsMax = -Infinity;
  for await (const { row, r } of records(dir, 'olist_order_payments_dataset.csv')) {
    rows.payments = row;
    const id = r.order_id!;
    if (!orders.has(id)) paymentsWithoutOrder++;
    paymentTypes[r.payment_type!] = (paymentTypes[r.payment_type!] ?? 0) + 1;
    const inst = Number(r.payment_installments);
    installmentsMin = Math.min(installmentsMin, inst);
    installmentsMax = Math.max(installmentsMax, inst);
    payments += cents(r.payment_value!);
    const p = paid.get(id) ?? { firstRow: row, total: 0, count: 0 };
    paid.set(id, p);
    p.total += cents(r.payment_value!);
    p.count++;
  }
  // The platform's rule: differences are kept and flagged; an overpayment of more than 10× items + freight is impossible.
  for (const [id, b] of baskets) {
    if (b.bad || !orders.has(id)) continue;
    const p = paid.get(id);
    const diff = (p?.total ?? 0) - b.total;
    if (diff > 10 * b.total) flag('SALES.PAYMENT_MISMATCH', 'olist_order_payments_dataset.csv', p?.firstRow ?? 0, id);
  }

  let scoreSum = 0;
  let scoreCount = 0;
  const reviewIds = new Set<string>();
  const reviewedOrders = new Set<string>();
  let reviewsWithoutOrder = 0;
  let commentsWithNewline = 0;
  let commentsWithComma = 0;
  for await (const { row, r } of records(dir, 'olist_order_reviews_dataset.csv')) {
    rows.reviews = row;
    const id = r.order_id!;
    if (!orders.has(id)) reviewsWithoutOrder++;
    reviewIds.add(r.review_id!);
    reviewedOrders.add(id);
    const score = Number(r.review_score);
    if (!(score >= 1 && score <= 5)) {
      flag('CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE', 'olist_order_reviews_dataset.csv', row, id);
      continue;
    }
    scoreSum += score;
    scoreCount++;
    if (/\n/.test(r.review_comment_message!)) commentsWithNewline++;
    if (/,/.test(r.review_comment_message!)) commentsWithComma++;
  }

  const geoSeen = new Set<string>();
  const geoZips = new Set<string>();
  let geolocationDuplicates = 0;
  for await (const { row, r } of records(dir, 'olist_geolocation_dataset.csv')) {
    rows.geolocation = row;
    const key = `${r.geolocation_zip_code_prefix}|${r.geolocation_lat}|${r.geolocation_lng}|${r.geolocation_city}|${r.geolocation_state}`;
    if (geoSeen.has(key)) geolocationDuplicates++;
    else geoSeen.add(key);
    geoZips.add(r.geolocation_zip_code_prefix!);
  }

  let delivered = 0;
  let onTime = 0;
  let deliveryDays = 0;
  for (const o of orders.values()) {
    if (o.status !== 'delivered' || o.delivered === '' || !validTs(o.delivered) || !validTs(o.purchase)) continue;
    delivered++;
    if (o.delivered.slice(0, 10) <= o.estimated.slice(0, 10)) onTime++;
    deliveryDays += (seconds(o.delivered) - seconds(o.purchase)) / 86_400;
  }
  const counts = [...ordersPerPerson.values()];
  const repeatPersons = counts.filter((n) => n > 1).length;
  return {
    rows,
    status,
    ordersWithoutItems: [...orders.keys()].filter((id) => !baskets.has(id)).length,
    itemlessByStatus,
    maxItemsPerOrder,
    paymentTypes,
    installmentsMin,
    installmentsMax,
    maxPaymentsPerOrder: Math.max(...[...paid.values()].map((p) => p.count)),
    ordersWithSeveralPayments: [...paid.values()].filter((p) => p.count > 1).length,
    ordersWithSeveralItems: [...baskets.values()].filter((b) => b.items > 1).length,
    money: { payments: payments / 100, prices: prices / 100, freight: freight / 100 },
    reviewMean: scoreSum / scoreCount,
    reviewIds: reviewIds.size,
    reviewedOrders: reviewedOrders.size,
    commentsWithNewline,
    commentsWithComma,
    persons: counts.length,
    repeatPersons,
    repeatShare: repeatPersons / counts.length,
    maxOrdersPerPerson: Math.max(...counts),
    purchaseFirst,
    purchaseLast,
    months,
    onTimeShare: onTime / delivered,
    meanDeliveryDays: deliveryDays / delivered,
    geolocationDuplicates,
    geolocationZips: geoZips.size,
    integrity: {
      itemsWithoutOrder,
      itemsWithoutProduct,
      itemsWithoutSeller,
      paymentsWithoutOrder,
      reviewsWithoutOrder,
      ordersWithoutCustomer,
    },
    violations,
  };
}
