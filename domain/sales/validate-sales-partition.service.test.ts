// Tests for validateSalesPartition: real sample-1k rows, row conservation, cascading quarantine, duplicates and orphans.
import { describe, it, expect } from 'vitest';
import { SAMPLE_ITEMS, SAMPLE_ORDERS, SAMPLE_PAYMENTS } from '../fixtures/sample-1k-rows.fixture';
import { stagedItem, stagedOrder, stagedPayment } from '../fixtures/sales-rows.fixture';
import { validateSalesPartition, type SalesPartitionInput, type SalesPartitionValidation } from './validate-sales-partition.service';

/** Each input row, as (table, sourceRow), must appear exactly once among the valid and quarantined rows. */
function expectConservation(input: SalesPartitionInput, out: SalesPartitionValidation): void {
  const key = (table: string, row: { sourceRow: number; sourceSha256: string }) => `${table}:${row.sourceSha256}:${row.sourceRow}`;
  const inputs = [
    ...input.orders.map((r) => key('orders', r)),
    ...input.items.map((r) => key('items', r)),
    ...input.payments.map((r) => key('payments', r)),
  ];
  const outputs = [
    ...out.orders.map((r) => key('orders', r)),
    ...out.items.map((r) => key('items', r)),
    ...out.payments.map((r) => key('payments', r)),
    ...out.quarantined.map((q) => key(q.table, q)),
  ];
  expect(outputs.length).toBe(inputs.length);
  expect([...outputs].sort()).toEqual([...inputs].sort());
}

const real: SalesPartitionInput = { orders: SAMPLE_ORDERS, items: SAMPLE_ITEMS, payments: SAMPLE_PAYMENTS };

describe('validateSalesPartition', () => {
  it('when real sample-1k rows are validated, then every row ends in exactly one place', () => {
    const out = validateSalesPartition(real);
    expectConservation(real, out);
    expect(out.orders).toHaveLength(14);
    expect(out.quarantined).toEqual([]);
  });

  it('when a real order was handed to the carrier 48 minutes before its purchase on the same day (coarse hand-off time), then it is valid', () => {
    const out = validateSalesPartition(real);
    expect(out.orders.find((o) => o.orderId === '1227f9af3b2ddb0b95060aab8e5b3dc7')).toMatchObject({
      deliveredCarrierAt: '2018-05-10 14:00:00',
      purchaseAt: '2018-05-10 14:48:29',
    });
  });

  it('when a real order is moved to a hand-off the day before its purchase, then it and its rows are quarantined with reasons naming the values and the parent', () => {
    const orders = real.orders.map((o) =>
      o.orderId === '1227f9af3b2ddb0b95060aab8e5b3dc7' ? { ...o, deliveredCarrierAt: '2018-05-09 14:00:00' } : o,
    );
    const [order, item, payment] = validateSalesPartition({ ...real, orders }).quarantined;
    expect(order!.reason).toBe(
      'order 1227f9af3b2ddb0b95060aab8e5b3dc7: handed to carrier 2018-05-09 14:00:00 before purchase 2018-05-10 14:48:29',
    );
    expect(item!.reason).toBe(`item 1 of order 1227f9af3b2ddb0b95060aab8e5b3dc7 quarantined with its order: ${order!.reason}`);
    expect(payment!.reason).toBe(`payment 1 of order 1227f9af3b2ddb0b95060aab8e5b3dc7 quarantined with its order: ${order!.reason}`);
    expect(order!.sourceSha256).toBe(SAMPLE_ORDERS[0]!.sourceSha256);
  });

  it('when real orders pay 13% installment interest, a centavo less, or a voucher split, then they are valid with exact totals', () => {
    const out = validateSalesPartition(real);
    const byId = new Map(out.orders.map((o) => [o.orderId, o]));
    expect(byId.get('a52e6fa2d7c6ecaf73ff5f7f10438339')).toMatchObject({
      itemsTotal: '189.00',
      freightTotal: '18.00',
      paymentsTotal: '233.97',
    });
    expect(byId.get('407fe646704ea7828e324c8ef7e7e616')).toMatchObject({
      itemCount: 3,
      itemsTotal: '357.13',
      freightTotal: '88.07',
      paymentsTotal: '445.19',
    });
    expect(byId.get('e06ff711ddcab05c3651a9b1bb003950')).toMatchObject({ itemCount: 3, paymentsTotal: '184.32' });
    expect(byId.get('569d43a54c364df5b367ab33e96eacf0')).toMatchObject({
      orderStatus: 'unavailable',
      itemCount: 0,
      paymentsTotal: '61.73',
    });
  });

  it('when real rows are validated, then the events are deterministic and one OrderPlaced per valid order', () => {
    const a = validateSalesPartition(real).events;
    const b = validateSalesPartition(real).events;
    expect(a).toEqual(b);
    expect(a.filter((e) => e.eventType === 'OrderPlaced')).toHaveLength(14);
    expect(a.filter((e) => e.eventType === 'OrderDelivered')).toHaveLength(10);
    expect(a.filter((e) => e.eventType === 'OrderCanceled')).toHaveLength(2);
    expect(new Set(a.map((e) => e.eventId)).size).toBe(a.length);
  });

  it('when an order is rejected for a bad item, then the culprit item gets its own reason and its siblings and payments name the parent', () => {
    const input: SalesPartitionInput = {
      orders: [stagedOrder({ sourceRow: 1 })],
      items: [stagedItem({ orderItemId: 1, sourceRow: 1 }), stagedItem({ orderItemId: 2, price: '0.00', sourceRow: 2 })],
      payments: [stagedPayment({ sourceRow: 1 })],
    };
    const out = validateSalesPartition(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => [q.table, q.sourceRow, q.ruleCode, q.reason])).toEqual([
      ['orders', 1, 'SALES.NON_POSITIVE_PRICE', 'order o1: item 2 has price 0.00, which is not positive'],
      [
        'items',
        1,
        'SALES.NON_POSITIVE_PRICE',
        'item 1 of order o1 quarantined with its order: order o1: item 2 has price 0.00, which is not positive',
      ],
      ['items', 2, 'SALES.NON_POSITIVE_PRICE', 'item 2 of order o1: item 2 has price 0.00, which is not positive'],
      [
        'payments',
        1,
        'SALES.NON_POSITIVE_PRICE',
        'payment 1 of order o1 quarantined with its order: order o1: item 2 has price 0.00, which is not positive',
      ],
    ]);
    expect(out.events).toEqual([]);
  });

  it('when an order id appears twice, then both copies and all its rows are quarantined as SALES.DUPLICATE_ORDER', () => {
    const input: SalesPartitionInput = {
      orders: [stagedOrder({ sourceRow: 3 }), stagedOrder({ orderId: 'o2', sourceRow: 4 }), stagedOrder({ sourceRow: 9 })],
      items: [stagedItem({ sourceRow: 1 }), stagedItem({ orderId: 'o2', sourceRow: 2 })],
      payments: [stagedPayment({ sourceRow: 1 }), stagedPayment({ orderId: 'o2', sourceRow: 2 })],
    };
    const out = validateSalesPartition(input);
    expectConservation(input, out);
    expect(out.orders.map((o) => o.orderId)).toEqual(['o2']);
    expect(out.quarantined.every((q) => q.ruleCode === 'SALES.DUPLICATE_ORDER')).toBe(true);
    expect(out.quarantined).toHaveLength(4);
    expect(out.quarantined[0]!.reason).toBe('order o1 appears 2 times (source rows 3, 9)');
  });

  it('when items or payments refer to an order not in the partition, then they are orphans', () => {
    const input: SalesPartitionInput = {
      orders: [stagedOrder()],
      items: [stagedItem(), stagedItem({ orderId: 'ghost', sourceRow: 2 })],
      payments: [stagedPayment(), stagedPayment({ orderId: 'ghost', paymentSequential: 3, sourceRow: 2 })],
    };
    const out = validateSalesPartition(input);
    expectConservation(input, out);
    expect(out.quarantined).toEqual([
      {
        table: 'items',
        sourceRow: 2,
        sourceSha256: 'a'.repeat(64),
        ruleCode: 'SALES.ORPHAN_ITEM',
        reason: 'item 1 refers to order ghost, which does not exist in this partition',
      },
      {
        table: 'payments',
        sourceRow: 2,
        sourceSha256: 'a'.repeat(64),
        ruleCode: 'SALES.ORPHAN_PAYMENT',
        reason: 'payment 3 refers to order ghost, which does not exist in this partition',
      },
    ]);
  });

  it('when the partition is empty, then nothing is valid, quarantined or emitted', () => {
    expect(validateSalesPartition({ orders: [], items: [], payments: [] })).toEqual({
      orders: [],
      items: [],
      payments: [],
      quarantined: [],
      events: [],
    });
  });

  it('when valid rows pass, then money is printed back as two-decimal strings', () => {
    const out = validateSalesPartition({
      orders: [stagedOrder()],
      items: [stagedItem({ price: '99.9', freightValue: '10.1' })],
      payments: [stagedPayment()],
    });
    expect(out.items[0]).toMatchObject({ price: '99.90', freightValue: '10.10' });
    expect(out.payments[0]).toMatchObject({ paymentValue: '110.00' });
  });

  it('when an order is paid outside the band, then it is kept with its signed difference and flagged', () => {
    const out = validateSalesPartition({
      orders: [stagedOrder(), stagedOrder({ orderId: 'o2', sourceRow: 2 })],
      items: [stagedItem(), stagedItem({ orderId: 'o2', sourceRow: 2 })],
      payments: [stagedPayment({ paymentValue: '104.00' }), stagedPayment({ orderId: 'o2', sourceRow: 2 })],
    });
    expect(out.quarantined).toEqual([]);
    expect(out.orders.map((o) => [o.orderId, o.paymentDifference, o.paymentOutsideTolerance])).toEqual([
      ['o1', '-6.00', true],
      ['o2', '0.00', false],
    ]);
  });
});
