// Tests for the events a valid order emits: which ones, when they occur, and their stable ids.
import { describe, it, expect } from 'vitest';
import { stagedItem, stagedOrder, stagedPayment } from '../fixtures/sales-rows.fixture';
import { deterministicEventId } from '../shared/domain-event.base';
import { createOrder, type Order } from './order.aggregate';
import { orderEvents } from './order-events.factory';
import type { StagedOrder } from './sales-staged.types';

const order = (over: Partial<StagedOrder> = {}, withItems = true): Order => {
  const r = createOrder(stagedOrder(over), withItems ? [stagedItem()] : [], [
    stagedPayment(),
    stagedPayment({ paymentSequential: 2, paymentValue: '0.00' }),
  ]);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('order events', () => {
  it('when an order is delivered, then it emits Placed, a PaymentReceived per payment, Approved, Shipped and Delivered at the data timestamps', () => {
    const events = orderEvents(order());
    expect(events.map((e) => [e.eventType, e.sequence, e.occurredAt])).toEqual([
      ['OrderPlaced', 1, '2017-01-05 09:00:00'],
      ['PaymentReceived', 1, '2017-01-05 09:30:00'],
      ['PaymentReceived', 2, '2017-01-05 09:30:00'],
      ['OrderApproved', 1, '2017-01-05 09:30:00'],
      ['OrderShipped', 1, '2017-01-06 12:00:00'],
      ['OrderDelivered', 1, '2017-01-10 18:00:00'],
    ]);
    const delivered = events.at(-1)!;
    expect(delivered.payload).toEqual({
      orderId: 'o1',
      customerId: 'c1',
      purchaseAt: '2017-01-05 09:00:00',
      deliveredAt: '2017-01-10 18:00:00',
      estimatedDeliveryAt: '2017-01-20 00:00:00',
      itemsTotal: '100.00',
      freightTotal: '10.00',
      paymentsTotal: '110.00',
    });
    expect(delivered.eventId).toBe(deterministicEventId('o1', 'OrderDelivered', 1));
    expect(events.every((e) => e.aggregateType === 'Order' && e.aggregateId === 'o1')).toBe(true);
  });

  it('when the same order is validated twice, then the events and their ids are identical', () => {
    expect(orderEvents(order())).toEqual(orderEvents(order()));
  });

  it('when an order is canceled or unavailable, then OrderCanceled occurs at its latest known timestamp', () => {
    const canceled = orderEvents(order({ orderStatus: 'canceled', deliveredCustomerAt: null }, false));
    expect(canceled.at(-1)).toMatchObject({
      eventType: 'OrderCanceled',
      occurredAt: '2017-01-06 12:00:00',
      payload: { finalStatus: 'canceled', paymentsTotal: '110.00' },
    });
    const unavailable = orderEvents(
      order({ orderStatus: 'unavailable', approvedAt: null, deliveredCarrierAt: null, deliveredCustomerAt: null }, false),
    );
    expect(unavailable.map((e) => e.eventType)).toEqual(['OrderPlaced', 'PaymentReceived', 'PaymentReceived', 'OrderCanceled']);
    expect(unavailable[1]!.occurredAt).toBe('2017-01-05 09:00:00'); // no approval: payments occur at purchase
    expect(unavailable.at(-1)!.occurredAt).toBe('2017-01-05 09:00:00');
  });

  it('when a delivered order has no delivery timestamp, then OrderDelivered occurs at the latest known timestamp', () => {
    const e = orderEvents(order({ deliveredCustomerAt: null })).at(-1)!;
    expect(e).toMatchObject({ eventType: 'OrderDelivered', occurredAt: '2017-01-06 12:00:00', payload: { deliveredAt: null } });
  });

  it('when an order is only invoiced, then no Shipped, Delivered or Canceled event is emitted', () => {
    const types = orderEvents(order({ orderStatus: 'invoiced', deliveredCarrierAt: null, deliveredCustomerAt: null })).map(
      (e) => e.eventType,
    );
    expect(types).toEqual(['OrderPlaced', 'PaymentReceived', 'PaymentReceived', 'OrderApproved']);
  });
});
