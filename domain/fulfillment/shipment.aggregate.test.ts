// Tests for the Shipment aggregate: stages, on-time by date, and its invariants.
import { describe, it, expect } from 'vitest';
import { createShipment } from './shipment.aggregate';
import type { StagedFulfillmentOrder } from './fulfillment-staged.types';

const row = (over: Partial<StagedFulfillmentOrder> = {}): StagedFulfillmentOrder => ({
  orderId: 'o1',
  orderStatus: 'delivered',
  deliveredCarrierAt: '2018-08-03 16:15:00',
  deliveredCustomerAt: '2018-08-07 18:00:00',
  estimatedDeliveryAt: '2018-08-07 00:00:00',
  sourceRow: 1,
  sourceSha256: 's',
  ...over,
});

describe('Shipment aggregate', () => {
  it('when delivered 18:00 on the estimated day, then the shipment is delivered on time', () => {
    expect(createShipment(row())).toEqual({
      ok: true,
      value: {
        orderId: 'o1',
        orderStatus: 'delivered',
        stage: 'delivered',
        handedOffAt: '2018-08-03 16:15:00',
        deliveredAt: '2018-08-07 18:00:00',
        estimatedDeliveryDate: '2018-08-07',
        onTime: true,
        delayDays: 0,
        sourceRow: 1,
        sourceSha256: 's',
      },
    });
  });
  it('when delivered two days after the estimate, then it is late by 2 days', () => {
    expect(createShipment(row({ deliveredCustomerAt: '2018-08-09 08:00:00' }))).toMatchObject({
      ok: true,
      value: { onTime: false, delayDays: 2 },
    });
  });
  it('when handed off but not delivered, then it is in transit with no verdict yet; without hand-off it awaits hand-off', () => {
    expect(createShipment(row({ deliveredCustomerAt: null, orderStatus: 'shipped' }))).toMatchObject({
      ok: true,
      value: { stage: 'in_transit', onTime: null, delayDays: null },
    });
    expect(createShipment(row({ deliveredCarrierAt: null, deliveredCustomerAt: null, orderStatus: 'invoiced' }))).toMatchObject({
      ok: true,
      value: { stage: 'awaiting_handoff' },
    });
  });
  it('when delivered with no hand-off recorded, then it is delivered and judged on its dates', () => {
    expect(createShipment(row({ deliveredCarrierAt: null }))).toMatchObject({ ok: true, value: { stage: 'delivered', onTime: true } });
  });
  it('when delivered before the carrier hand-off, then FULFILLMENT.DELIVERED_BEFORE_HANDOFF names both timestamps', () => {
    expect(createShipment(row({ deliveredCustomerAt: '2018-08-03 16:14:59' }))).toEqual({
      ok: false,
      error: {
        code: 'FULFILLMENT.DELIVERED_BEFORE_HANDOFF',
        message: 'order o1: delivered 2018-08-03 16:14:59 before carrier hand-off 2018-08-03 16:15:00',
      },
    });
  });
  it('when delivered at the very second of hand-off, then it passes', () => {
    expect(createShipment(row({ deliveredCustomerAt: '2018-08-03 16:15:00' })).ok).toBe(true);
  });
  it('when the estimated date is missing, then FULFILLMENT.MISSING_ESTIMATE', () => {
    expect(createShipment(row({ estimatedDeliveryAt: null }))).toEqual({
      ok: false,
      error: { code: 'FULFILLMENT.MISSING_ESTIMATE', message: 'order o1: the estimated delivery date is missing' },
    });
  });
  it('when a timestamp is malformed, then FULFILLMENT.MALFORMED_VALUE', () => {
    expect(createShipment(row({ estimatedDeliveryAt: '2018-08-07' }))).toMatchObject({
      ok: false,
      error: { code: 'FULFILLMENT.MALFORMED_VALUE' },
    });
  });
});
