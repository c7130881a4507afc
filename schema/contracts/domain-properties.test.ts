// Property test: no domain function throws on input the source contracts let through. Seeded generated partitions
// (records checked against the contracts' zod schemas, then typed as staging types them) go through every context.
import { describe, expect, it } from 'vitest';
import {
  applyToCustomerMetrics,
  buildProfile,
  customerMetricsState,
  DEFAULT_SEGMENT_THRESHOLDS,
  validateCustomerPartition,
  type CustomerOrder,
} from '../../domain/customer';
import { validateFulfillmentPartition } from '../../domain/fulfillment';
import { validateMarketplace } from '../../domain/marketplace';
import { DEFAULT_PAYMENT_POLICY, validateSalesPartition, type PaymentPolicy } from '../../domain/sales';
import { contract, recordSchema } from './olist';

const AS_OF = '2026-11-29';
const SHA = 'f'.repeat(64);

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const HEX = '0123456789abcdef';
const id = (r: Rng, pool: string[]) =>
  pool.length && r.chance(0.3) ? r.pick(pool) : Array.from({ length: 32 }, () => r.pick([...HEX])).join('');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A calendar timestamp the contract accepts: from the marketplace's first day to the as-of date, edges included. */
function timestamp(r: Rng): string {
  if (r.chance(0.05)) return r.pick(['2016-01-01 00:00:00', `${AS_OF} 23:59:59`, '2016-02-29 12:00:00', '2024-02-29 00:00:00']);
  const y = r.int(2016, 2026);
  const m = y === 2026 ? r.int(1, 11) : r.int(1, 12);
  const d = r.int(1, [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!);
  return `${y}-${pad(m)}-${pad(Math.min(d, y === 2026 && m === 11 ? 29 : d))} ${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}`;
}
const maybe = <T>(r: Rng, v: () => T, p = 0.2): T | null => (r.chance(p) ? null : v());
/** Any amount the contract's money type accepts: -?[0-9]{1,10}(.[0-9]{1,2})?, typed by numeric(12,2). */
const money = (r: Rng) =>
  r.chance(0.85) ? `${r.int(0, 2000)}.${pad(r.int(0, 99))}` : `${r.chance(0.3) ? '-' : ''}${r.int(0, 9_999_999_999)}.${pad(r.int(0, 99))}`;
/** Any integer the contract accepts: -?[0-9]{1,9}. */
const integer = (r: Rng, usual: () => number) => (r.chance(0.9) ? usual() : r.int(-999_999_999, 999_999_999));
const code = (r: Rng, usual: readonly string[]) => (r.chance(0.9) ? r.pick(usual) : r.pick(['x', '0', 'no_such_status', 'a_b_c']));
const STATUSES = ['delivered', 'shipped', 'canceled', 'unavailable', 'invoiced', 'processing', 'created', 'approved'];
const STATES = ['SP', 'RJ', 'MG', 'RS', 'ZZ', 'AA'];

/** Checks a record against its file's contract (as of AS_OF), so the generator can only produce what the contract lets through. */
const schemas = new Map<string, ReturnType<typeof recordSchema>>();
function admitted(file: string, record: Record<string, string>): boolean {
  if (!schemas.has(file)) schemas.set(file, recordSchema(contract(file), { asOf: AS_OF }));
  const parsed = schemas.get(file)!.safeParse(record);
  if (!parsed.success)
    throw new Error(`generator bug: a ${file} record the contract rejects: ${JSON.stringify(record)} (${parsed.error.message})`);
  return true;
}
const text = (v: string | null) => v ?? '';

/** One generated month: staged rows of every file; `allRejected` gives every order a status the sales rules reject. */
function partition(r: Rng, allRejected: boolean) {
  const orderIds: string[] = [];
  const customerIds: string[] = [];
  let row = 0;
  const prov = () => ({ sourceRow: ++row, sourceSha256: SHA });
  const orders = Array.from({ length: r.int(0, 25) }, () => {
    const o = {
      orderId: id(r, orderIds),
      customerId: id(r, customerIds),
      orderStatus: allRejected ? 'no_such_status' : code(r, STATUSES),
      purchaseAt: timestamp(r),
      approvedAt: maybe(r, () => timestamp(r)),
      deliveredCarrierAt: maybe(r, () => timestamp(r), 0.4),
      deliveredCustomerAt: maybe(r, () => timestamp(r), 0.4),
      estimatedDeliveryAt: maybe(r, () => timestamp(r)),
      ...prov(),
    };
    orderIds.push(o.orderId);
    customerIds.push(o.customerId);
    admitted('orders', {
      order_id: o.orderId,
      customer_id: o.customerId,
      order_status: o.orderStatus,
      order_purchase_timestamp: o.purchaseAt,
      order_approved_at: text(o.approvedAt),
      order_delivered_carrier_date: text(o.deliveredCarrierAt),
      order_delivered_customer_date: text(o.deliveredCustomerAt),
      order_estimated_delivery_date: text(o.estimatedDeliveryAt),
    });
    return o;
  });
  const items = Array.from({ length: r.int(0, 40) }, () => {
    const i = {
      orderId: id(r, orderIds),
      orderItemId: integer(r, () => r.int(1, 4)),
      productId: id(r, []),
      sellerId: id(r, []),
      shippingLimitAt: timestamp(r),
      price: money(r),
      freightValue: money(r),
      ...prov(),
    };
    admitted('order_items', {
      order_id: i.orderId,
      order_item_id: String(i.orderItemId),
      product_id: i.productId,
      seller_id: i.sellerId,
      shipping_limit_date: i.shippingLimitAt,
      price: i.price,
      freight_value: i.freightValue,
    });
    return i;
  });
  const payments = Array.from({ length: r.int(0, 40) }, () => {
    const p = {
      orderId: id(r, orderIds),
      paymentSequential: integer(r, () => r.int(1, 3)),
      paymentType: code(r, ['credit_card', 'boleto', 'voucher']),
      paymentInstallments: integer(r, () => r.int(0, 24)),
      paymentValue: money(r),
      ...prov(),
    };
    admitted('order_payments', {
      order_id: p.orderId,
      payment_sequential: String(p.paymentSequential),
      payment_type: p.paymentType,
      payment_installments: String(p.paymentInstallments),
      payment_value: p.paymentValue,
    });
    return p;
  });
  const customers = Array.from({ length: r.int(0, 25) }, () => {
    const c = {
      customerId: id(r, customerIds),
      customerUniqueId: id(r, []),
      zipCodePrefix: pad(r.int(0, 99_999), 5),
      city: r.pick(['sao paulo', 'x', 'ção', '']),
      state: r.pick(STATES),
      ...prov(),
    };
    if (c.city === '') c.city = 'rio';
    admitted('customers', {
      customer_id: c.customerId,
      customer_unique_id: c.customerUniqueId,
      customer_zip_code_prefix: c.zipCodePrefix,
      customer_city: c.city,
      customer_state: c.state,
    });
    return c;
  });
  const reviews = Array.from({ length: r.int(0, 25) }, () => {
    const v = {
      reviewId: id(r, []),
      orderId: id(r, orderIds),
      reviewScore: integer(r, () => r.int(0, 6)),
      commentTitle: maybe(r, () => 'ok', 0.7),
      commentMessage: maybe(r, () => 'line\nbreak', 0.5),
      creationAt: timestamp(r),
      answerAt: maybe(r, () => timestamp(r)),
      ...prov(),
    };
    admitted('order_reviews', {
      review_id: v.reviewId,
      order_id: v.orderId,
      review_score: String(v.reviewScore),
      review_comment_title: text(v.commentTitle),
      review_comment_message: text(v.commentMessage),
      review_creation_date: v.creationAt,
      review_answer_timestamp: text(v.answerAt),
    });
    return v;
  });
  // numeric(12,2) comes back from PostgreSQL with two decimals.
  const typed = <T extends { price?: string; freightValue?: string; paymentValue?: string }>(x: T): T => ({
    ...x,
    ...Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => ['price', 'freightValue', 'paymentValue'].includes(k))
        .map(([k, v]) => [k, Number(v).toFixed(2)]),
    ),
  });
  return { orders, items: items.map(typed), payments: payments.map(typed), customers, reviews };
}

function catalog(r: Rng) {
  let row = 0;
  const prov = () => ({ sourceRow: ++row, sourceSha256: SHA });
  const n = () => (r.chance(0.2) ? null : integer(r, () => r.int(0, 5000)));
  return {
    products: Array.from({ length: r.int(0, 10) }, () => ({
      productId: id(r, []),
      categoryName: maybe(r, () => code(r, ['perfumaria', 'pcs'])),
      nameLength: n(),
      descriptionLength: n(),
      photosQty: n(),
      weightG: n(),
      lengthCm: n(),
      heightCm: n(),
      widthCm: n(),
      ...prov(),
    })),
    sellers: Array.from({ length: r.int(0, 10) }, () => ({
      sellerId: id(r, []),
      zipCodePrefix: pad(r.int(0, 99_999), 5),
      city: 'curitiba',
      state: r.pick(STATES),
      ...prov(),
    })),
    categoryTranslations: Array.from({ length: r.int(0, 4) }, () => ({
      categoryName: code(r, ['perfumaria', 'pcs']),
      categoryNameEnglish: code(r, ['perfumery', 'computers']),
      ...prov(),
    })),
  };
}

const POLICIES: PaymentPolicy[] = [
  DEFAULT_PAYMENT_POLICY,
  {
    tolerance: { underpaymentCentavos: 0, overpaymentCentavos: 0, overpaymentBasisPointsPerInstallment: 10_000 },
    impossibleOverpaymentFactor: 0.5,
  },
];

/** Runs one month through every context as the activities chain them; returns the row counts it checks. */
function runMonth(seed: number): void {
  const r = rng(seed);
  const p = partition(r, seed % 5 === 0);
  const sales = validateSalesPartition(p, POLICIES[seed % POLICIES.length]);
  const count = (t: string) => sales.quarantined.filter((q) => q.table === t).length;
  expect(sales.orders.length + count('orders')).toBe(p.orders.length);
  expect(sales.items.length + count('items')).toBe(p.items.length);
  expect(sales.payments.length + count('payments')).toBe(p.payments.length);
  if (seed % 5 === 0) expect(sales.orders).toEqual([]);

  const orders: CustomerOrder[] = sales.orders.map((o) => ({
    orderId: o.orderId,
    customerId: o.customerId,
    orderStatus: o.orderStatus,
    purchaseAt: o.purchaseAt,
    paymentsTotal: o.paymentsTotal,
  }));
  const customers = validateCustomerPartition({ customers: p.customers, reviews: p.reviews, orders });
  expect(customers.customers.length + customers.quarantined.filter((q) => q.table === 'customers').length).toBe(p.customers.length);
  expect(customers.reviews.length + customers.quarantined.filter((q) => q.table === 'reviews').length).toBe(p.reviews.length);

  validateFulfillmentPartition({
    orders: sales.orders.map((o) => ({
      orderId: o.orderId,
      orderStatus: o.orderStatus,
      deliveredCarrierAt: o.deliveredCarrierAt,
      deliveredCustomerAt: o.deliveredCustomerAt,
      estimatedDeliveryAt: o.estimatedDeliveryAt,
      sourceRow: o.sourceRow,
      sourceSha256: o.sourceSha256,
    })),
  });
  const metrics = applyToCustomerMetrics(customerMetricsState(customers.customers), sales.events);
  const asOf = orders.reduce<string | null>((m, o) => (m === null || o.purchaseAt > m ? o.purchaseAt : m), null);
  if (asOf !== null) for (const c of metrics.state.customers.values()) buildProfile(c, asOf, DEFAULT_SEGMENT_THRESHOLDS);
  validateMarketplace(catalog(r));
}

describe('domain functions over generated partitions the contracts let through', () => {
  it('when 300 seeded months (every fifth with every order rejected) go through sales, customer, fulfillment, profiles and the catalog, then nothing throws and every row is kept or quarantined once', () => {
    for (let seed = 1; seed <= 300; seed++) {
      try {
        runMonth(seed);
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).stack}`);
      }
    }
  }, 120_000);

  it('when an order carries 9-digit installments and an impossible overpayment, then it is rejected by its rule, not by a RangeError', () => {
    const order = {
      orderId: 'a'.repeat(32),
      customerId: 'b'.repeat(32),
      orderStatus: 'delivered',
      purchaseAt: '2018-01-01 10:00:00',
      approvedAt: null,
      deliveredCarrierAt: null,
      deliveredCustomerAt: null,
      estimatedDeliveryAt: null,
      sourceRow: 1,
      sourceSha256: SHA,
    };
    const item = {
      orderId: order.orderId,
      orderItemId: 1,
      productId: 'c'.repeat(32),
      sellerId: 'd'.repeat(32),
      shippingLimitAt: null,
      price: '10.00',
      freightValue: '0.00',
      sourceRow: 1,
      sourceSha256: SHA,
    };
    const pay = (value: string, paymentInstallments = 999_999_999) => ({
      orderId: order.orderId,
      paymentSequential: 1,
      paymentType: 'credit_card',
      paymentInstallments,
      paymentValue: value,
      sourceRow: 1,
      sourceSha256: SHA,
    });
    const huge = validateSalesPartition({ orders: [order], items: [item], payments: [pay('9999999999.99')] });
    expect(huge.quarantined.map((q) => [q.table, q.ruleCode])).toEqual([
      ['orders', 'SALES.MALFORMED_VALUE'],
      ['items', 'SALES.MALFORMED_VALUE'],
      ['payments', 'SALES.MALFORMED_VALUE'],
    ]);
    expect(huge.quarantined[0]!.reason).toMatch(/payments add up to more than 1000000000\.00/);
    const impossible = validateSalesPartition({ orders: [order], items: [item], payments: [pay('999999.99')] });
    expect(impossible.quarantined[0]!.ruleCode).toBe('SALES.PAYMENT_MISMATCH');
  });
});
