// Tests for validateFulfillmentPartition: real rows, conservation, duplicates.
import { describe, it, expect } from 'vitest';
import { SAMPLE_ORDERS } from '../fixtures/sample-1k-rows.fixture';
import type { StagedFulfillmentOrder } from './fulfillment-staged.types';
import { validateFulfillmentPartition } from './validate-fulfillment-partition.service';

describe('validateFulfillmentPartition', () => {
  it('when real sample-1k orders are validated, then each becomes one shipment and none is lost', () => {
    const out = validateFulfillmentPartition({ orders: SAMPLE_ORDERS });
    expect(out.shipments.length + out.quarantined.length).toBe(SAMPLE_ORDERS.length);
    expect(out.quarantined).toEqual([]);
    const byId = new Map(out.shipments.map((s) => [s.orderId, s]));
    // Delivered 18:18:30 on the estimated day 2018-08-07: on time.
    expect(byId.get('02a98752595ee9d94c570ad3e18055b4')).toMatchObject({
      deliveredAt: '2018-08-07 18:18:30',
      estimatedDeliveryDate: '2018-08-07',
      onTime: true,
      delayDays: 0,
    });
    // Delivered 2017-09-25 against 2017-09-22: three days late.
    expect(byId.get('32733fc014b67ef70fa6039dd8c6ba82')).toMatchObject({ onTime: false, delayDays: 3 });
    expect(byId.get('f33aa647f08ec9623c76b6212be92333')).toMatchObject({ stage: 'in_transit', onTime: null });
    expect(byId.get('569d43a54c364df5b367ab33e96eacf0')).toMatchObject({ stage: 'awaiting_handoff', orderStatus: 'unavailable' });
    const delivered = out.shipments.filter((s) => s.stage === 'delivered');
    expect(delivered).toHaveLength(10);
    expect(delivered.filter((s) => s.onTime)).toHaveLength(9);
  });

  it('when rows break rules or repeat an order id, then each row lands in exactly one place with its rule code', () => {
    const base: StagedFulfillmentOrder = {
      orderId: 'o1',
      orderStatus: 'delivered',
      deliveredCarrierAt: '2018-01-02 00:00:00',
      deliveredCustomerAt: '2018-01-05 00:00:00',
      estimatedDeliveryAt: '2018-01-10 00:00:00',
      sourceRow: 1,
      sourceSha256: 's',
    };
    const orders = [
      base,
      { ...base, orderId: 'o2', sourceRow: 2, estimatedDeliveryAt: null },
      { ...base, orderId: 'o3', sourceRow: 3, deliveredCustomerAt: '2018-01-01 00:00:00' },
      { ...base, orderId: 'o4', sourceRow: 4 },
      { ...base, orderId: 'o4', sourceRow: 5 },
    ];
    const out = validateFulfillmentPartition({ orders });
    expect(out.shipments.map((s) => s.sourceRow)).toEqual([1]);
    expect(out.quarantined.map((q) => [q.sourceRow, q.ruleCode])).toEqual([
      [2, 'FULFILLMENT.MISSING_ESTIMATE'],
      [3, 'FULFILLMENT.DELIVERED_BEFORE_HANDOFF'],
      [4, 'FULFILLMENT.DUPLICATE_SHIPMENT'],
      [5, 'FULFILLMENT.DUPLICATE_SHIPMENT'],
    ]);
    expect(out.quarantined[2]!.reason).toBe('order o4 appears 2 times');
  });
});
