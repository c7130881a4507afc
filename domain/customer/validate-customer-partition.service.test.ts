// Tests for validateCustomerPartition: real rows, conservation, customer and review rules, segments, as-of and events.
import { describe, it, expect } from 'vitest';
import { SAMPLE_CUSTOMERS, SAMPLE_ITEMS, SAMPLE_ORDERS, SAMPLE_PAYMENTS, SAMPLE_REVIEWS } from '../fixtures/sample-1k-rows.fixture';
import { validateSalesPartition } from '../sales/validate-sales-partition.service';
import { deterministicEventId } from '../shared/domain-event.base';
import type { CustomerOrder, StagedCustomer, StagedReview } from './customer-staged.types';
import {
  validateCustomerPartition,
  type CustomerPartitionInput,
  type CustomerPartitionValidation,
} from './validate-customer-partition.service';

const SHA = 'c'.repeat(64);
let row = 0;
const customer = (customerId: string, customerUniqueId: string, over: Partial<StagedCustomer> = {}): StagedCustomer => ({
  customerId,
  customerUniqueId,
  zipCodePrefix: '01046',
  city: 'sao paulo',
  state: 'SP',
  sourceRow: ++row,
  sourceSha256: SHA,
  ...over,
});
const order = (
  orderId: string,
  customerId: string,
  purchaseAt: string,
  paymentsTotal = '10.00',
  orderStatus = 'delivered',
): CustomerOrder => ({ orderId, customerId, orderStatus, purchaseAt, paymentsTotal });
const review = (reviewId: string, orderId: string, over: Partial<StagedReview> = {}): StagedReview => ({
  reviewId,
  orderId,
  reviewScore: 4,
  commentTitle: null,
  commentMessage: 'bom',
  creationAt: '2018-08-10 00:00:00',
  answerAt: null,
  sourceRow: ++row,
  sourceSha256: SHA,
  ...over,
});

function expectConservation(input: CustomerPartitionInput, out: CustomerPartitionValidation): void {
  const key = (table: string, r: { sourceRow: number; sourceSha256: string }) => `${table}:${r.sourceSha256}:${r.sourceRow}`;
  const inputs = [...input.customers.map((r) => key('customers', r)), ...input.reviews.map((r) => key('reviews', r))].sort();
  const outputs = [
    ...out.customers.map((r) => key('customers', r)),
    ...out.reviews.map((r) => key('reviews', r)),
    ...out.quarantined.map((q) => key(q.table, q)),
  ].sort();
  expect(outputs).toEqual(inputs);
}

/** A person with n delivered orders of `each` reais, the last on `last`, one customer_id per order as in Olist. */
function person(id: string, n: number, each: string, last: string): { customers: StagedCustomer[]; orders: CustomerOrder[] } {
  const customers: StagedCustomer[] = [];
  const orders: CustomerOrder[] = [];
  for (let i = 1; i <= n; i++) {
    customers.push(customer(`${id}-c${i}`, id));
    orders.push(order(`${id}-o${i}`, `${id}-c${i}`, i === n ? last : `2018-0${i}-01 10:00:00`, each));
  }
  return { customers, orders };
}

describe('validateCustomerPartition', () => {
  it('when a data set is built for each segment and the as-of date is 2018-09-01, then every segment is reached', () => {
    const people = [
      person('u-vip', 6, '200.00', '2018-08-20 10:00:00'),
      person('u-loyal', 6, '10.00', '2018-08-20 10:00:00'),
      person('u-regular', 3, '10.00', '2018-08-20 10:00:00'),
      person('u-one', 1, '10.00', '2018-08-20 10:00:00'),
      person('u-churned', 1, '10.00', '2017-12-01 10:00:00'),
    ];
    const newcomer = {
      customers: [customer('u-new-c1', 'u-new')],
      orders: [order('u-new-o1', 'u-new-c1', '2018-08-30 10:00:00', '99.00', 'shipped')],
    };
    const all = [...people, newcomer];
    const out = validateCustomerPartition({
      customers: all.flatMap((p) => p.customers),
      orders: all.flatMap((p) => p.orders),
      reviews: [],
      asOf: '2018-09-01',
    });
    const segmentOf = Object.fromEntries(out.profiles.map((p) => [p.customerUniqueId, p.segment]));
    expect(segmentOf).toEqual({
      'u-vip': 'VIP',
      'u-loyal': 'LOYAL',
      'u-regular': 'REGULAR',
      'u-one': 'ONE_TIME',
      'u-churned': 'CHURNED',
      'u-new': 'NEW',
    });
    expect(new Set(Object.values(segmentOf)).size).toBe(6);
    const vip = out.profiles.find((p) => p.customerUniqueId === 'u-vip')!;
    expect(vip).toMatchObject({
      orders: 6,
      totalSpent: '1200.00',
      firstOrderAt: '2018-01-01 10:00:00',
      lastOrderAt: '2018-08-20 10:00:00',
      recencyDays: 12,
      asOf: '2018-09-01 23:59:59',
    });
    expect(vip.customerIds).toHaveLength(6);
    expect(out.profiles.find((p) => p.customerUniqueId === 'u-churned')!.recencyDays).toBe(274);
  });

  it('when real sample-1k rows are validated after sales, then every row ends in one place and the repeat buyer is one REGULAR person', () => {
    const sales = validateSalesPartition({ orders: SAMPLE_ORDERS, items: SAMPLE_ITEMS, payments: SAMPLE_PAYMENTS });
    const orders: CustomerOrder[] = sales.orders.map((o) => ({
      orderId: o.orderId,
      customerId: o.customerId,
      orderStatus: o.orderStatus,
      purchaseAt: o.purchaseAt,
      paymentsTotal: o.paymentsTotal,
    }));
    const input: CustomerPartitionInput = { customers: SAMPLE_CUSTOMERS, reviews: SAMPLE_REVIEWS, orders };
    const out = validateCustomerPartition(input);
    expectConservation(input, out);
    expect(out.asOf).toBe('2018-08-02 12:05:59'); // the latest purchase in the data, not the clock
    expect(out.customers).toHaveLength(14);
    expect(out.profiles).toHaveLength(13);
    const repeat = out.profiles.find((p) => p.customerUniqueId === 'fde381fe79993303957d1fcf9cd6bf4a')!;
    expect(repeat).toMatchObject({ orders: 2, totalSpent: '111.42', segment: 'REGULAR', recencyDays: 91 });
    // Every real review's order passed the sales rules, so none is an orphan.
    expect(out.quarantined).toEqual([]);
    expect(out.ordersWithoutCustomer).toEqual([]);
    // Two real reviews on the same order are both kept: the grain is (review_id, order_id).
    expect(out.reviews.filter((r) => r.orderId === '38b80ac02e3ce34b306483fc57a33bc5')).toHaveLength(2);
    expect(out.events.filter((e) => e.eventType === 'ReviewSubmitted')).toHaveLength(out.reviews.length);
    expect(out.events.filter((e) => e.eventType === 'CustomerSegmentChanged')).toHaveLength(13);
  });

  it('when a zip prefix is not 5 digits or a state is not a UF, then CUSTOMER.INVALID_ZIP / CUSTOMER.INVALID_STATE', () => {
    const input: CustomerPartitionInput = {
      customers: [
        customer('c1', 'u1', { zipCodePrefix: '1046' }),
        customer('c2', 'u2', { state: 'XX' }),
        customer('c3', 'u3'),
        customer('c4', ' '),
      ],
      reviews: [],
      orders: [],
      asOf: '2018-09-01 00:00:00',
    };
    const out = validateCustomerPartition(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => [q.ruleCode, q.reason])).toEqual([
      ['CUSTOMER.INVALID_ZIP', "customer c1: zip code prefix '1046' is not a 5-digit string"],
      ['CUSTOMER.INVALID_STATE', "customer c2: state 'XX' is not one of the 27 Brazilian UF codes"],
      ['CUSTOMER.MALFORMED_VALUE', 'customer c4: customer_unique_id is empty'],
    ]);
    expect(out.customers.map((c) => c.customerId)).toEqual(['c3']);
  });

  it('when a customer_id appears twice, then both rows are CUSTOMER.DUPLICATE_CUSTOMER', () => {
    const input: CustomerPartitionInput = {
      customers: [customer('c1', 'u1'), customer('c1', 'u1')],
      reviews: [],
      orders: [order('o1', 'c1', '2018-01-01 00:00:00')],
    };
    const out = validateCustomerPartition(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => q.ruleCode)).toEqual(['CUSTOMER.DUPLICATE_CUSTOMER', 'CUSTOMER.DUPLICATE_CUSTOMER']);
    expect(out.ordersWithoutCustomer).toEqual(['o1']);
  });

  it('when reviews repeat a (review_id, order_id) pair, point to a missing order or score 6, then each is quarantined with its rule; a review id on two orders is fine', () => {
    const input: CustomerPartitionInput = {
      customers: [customer('c1', 'u1')],
      orders: [order('o1', 'c1', '2018-08-01 00:00:00'), order('o2', 'c1', '2018-08-02 00:00:00')],
      reviews: [
        review('r1', 'o1'),
        review('r1', 'o1'),
        review('r1', 'o2'),
        review('r2', 'ghost'),
        review('r3', 'o1', { reviewScore: 6 }),
        review('r4', 'o2', { commentMessage: null }),
      ],
    };
    const out = validateCustomerPartition(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => q.ruleCode)).toEqual([
      'CUSTOMER.DUPLICATE_REVIEW',
      'CUSTOMER.DUPLICATE_REVIEW',
      'CUSTOMER.ORPHAN_REVIEW',
      'CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE',
    ]);
    expect(out.quarantined[0]!.reason).toBe('review r1 of order o1: the pair (review_id, order_id) appears 2 times');
    expect(out.reviews.map((r) => `${r.reviewId}/${r.orderId}`)).toEqual(['r1/o2', 'r4/o2']);
    const submitted = out.events.filter((e) => e.eventType === 'ReviewSubmitted');
    expect(submitted.map((e) => e.payload)).toEqual([
      { reviewId: 'r1', orderId: 'o2', score: 4, hasComment: true },
      { reviewId: 'r4', orderId: 'o2', score: 4, hasComment: false },
    ]);
    expect(submitted[0]!.eventId).toBe(deterministicEventId('r1/o2', 'ReviewSubmitted', 1));
  });

  it('when orders come after the as-of moment, then they are not counted yet', () => {
    const input = {
      customers: [customer('c1', 'u1'), customer('c2', 'u1')],
      reviews: [],
      orders: [order('o1', 'c1', '2018-01-01 00:00:00'), order('o2', 'c2', '2018-06-01 00:00:00')],
    };
    expect(validateCustomerPartition({ ...input, asOf: '2018-03-01 00:00:00' }).profiles[0]).toMatchObject({
      orders: 1,
      recencyDays: 59,
      segment: 'ONE_TIME',
    });
    expect(validateCustomerPartition(input).profiles[0]).toMatchObject({
      orders: 2,
      recencyDays: 0,
      segment: 'REGULAR',
      asOf: '2018-06-01 00:00:00',
    });
  });

  it('when the previous segment is unchanged, then no event; when it changed, then one event with the next version', () => {
    const input = {
      customers: [customer('c1', 'u1')],
      reviews: [],
      orders: [order('o1', 'c1', '2018-01-01 00:00:00')],
      asOf: '2018-09-01 00:00:00',
    };
    const first = validateCustomerPartition(input);
    expect(first.profiles[0]).toMatchObject({ segment: 'CHURNED', segmentVersion: 1 });
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({
      eventType: 'CustomerSegmentChanged',
      aggregateId: 'u1',
      sequence: 1,
      occurredAt: '2018-09-01 00:00:00',
      payload: { from: null, to: 'CHURNED' },
    });

    const same = validateCustomerPartition({ ...input, previousSegments: { u1: { segment: 'CHURNED', version: 1 } } });
    expect(same.events).toEqual([]);
    expect(same.profiles[0]!.segmentVersion).toBe(1);

    const changed = validateCustomerPartition({ ...input, previousSegments: { u1: { segment: 'ONE_TIME', version: 1 } } });
    expect(changed.events[0]).toMatchObject({ sequence: 2, payload: { from: 'ONE_TIME', to: 'CHURNED' } });
    expect(changed.events[0]!.eventId).not.toBe(first.events[0]!.eventId);
  });

  it('when thresholds are passed, then they override the defaults', () => {
    const input = {
      customers: [customer('c1', 'u1')],
      reviews: [],
      orders: [order('o1', 'c1', '2018-01-01 00:00:00')],
      asOf: '2018-09-01 00:00:00',
    };
    expect(validateCustomerPartition({ ...input, thresholds: { churnAfterDays: 365 } }).profiles[0]!.segment).toBe('ONE_TIME');
  });

  it("when the as-of value is malformed, then it throws instead of reading the clock (a caller's bug, not data)", () => {
    expect(() => validateCustomerPartition({ customers: [], reviews: [], orders: [], asOf: 'today' })).toThrow(/asOf/);
    expect(validateCustomerPartition({ customers: [], reviews: [], orders: [] })).toMatchObject({ asOf: null, profiles: [], events: [] });
  });

  it('when a month has customers but every order was rejected (no orders, no asOf), then customers and reviews are validated and no profile is built', () => {
    const bad = { ...customer('c2', 'u2'), state: 'XX' };
    const out = validateCustomerPartition({ customers: [customer('c1', 'u1'), bad], reviews: [], orders: [] });
    expect(out).toMatchObject({ asOf: null, profiles: [], events: [] });
    expect(out.customers.map((c) => c.customerId)).toEqual(['c1']);
    expect(out.quarantined.map((q) => q.ruleCode)).toEqual(['CUSTOMER.INVALID_STATE']);
  });

  it('when a validated order carries a malformed amount, then it throws (a bug upstream, not bad data)', () => {
    expect(() =>
      validateCustomerPartition({
        customers: [customer('c1', 'u1')],
        reviews: [],
        orders: [order('o1', 'c1', '2018-01-01 00:00:00', 'abc')],
      }),
    ).toThrow(RangeError);
  });
});
