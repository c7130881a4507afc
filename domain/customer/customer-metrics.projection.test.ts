// Tests for the customer metrics projection fed by sales events through the dispatcher.
import { describe, it, expect } from 'vitest';
import { SAMPLE_CUSTOMERS, SAMPLE_ITEMS, SAMPLE_ORDERS, SAMPLE_PAYMENTS } from '../fixtures/sample-1k-rows.fixture';
import { validateSalesPartition } from '../sales/validate-sales-partition.service';
import { createDomainEvent } from '../shared/domain-event.base';
import { orderCount } from './customer.aggregate';
import { applyToCustomerMetrics, customerMetricsState } from './customer-metrics.projection';

const sales = validateSalesPartition({ orders: SAMPLE_ORDERS, items: SAMPLE_ITEMS, payments: SAMPLE_PAYMENTS });
const REPEAT = 'fde381fe79993303957d1fcf9cd6bf4a';

describe('customer metrics projection', () => {
  it('when the real sales events are dispatched, then OrderDelivered updates the person behind each customer_id', () => {
    const out = applyToCustomerMetrics(customerMetricsState(SAMPLE_CUSTOMERS), sales.events);
    const repeat = out.state.customers.get(REPEAT)!;
    expect(orderCount(repeat)).toBe(2);
    expect(repeat.totalSpent.centavos).toBe(11142);
    expect(repeat.lastOrderAt).toBe('2018-05-03 22:43:17');
    const delivered = sales.events.filter((e) => e.eventType === 'OrderDelivered').length;
    expect([...out.state.customers.values()].reduce((n, c) => n + orderCount(c), 0)).toBe(delivered);
  });

  it('when the same events are replayed with the handled ids, then nothing is counted twice', () => {
    const first = applyToCustomerMetrics(customerMetricsState(SAMPLE_CUSTOMERS), sales.events);
    const replay = applyToCustomerMetrics(first.state, sales.events, first.handledEventIds);
    expect(replay.applied).toBe(0);
    expect(orderCount(replay.state.customers.get(REPEAT)!)).toBe(2);
  });

  it('when an OrderDelivered names an unknown customer, then it is ignored; with a malformed amount, then it throws', () => {
    const event = (customerId: string, paymentsTotal: string) =>
      createDomainEvent({
        eventType: 'OrderDelivered',
        aggregateType: 'Order',
        aggregateId: `o-${customerId}`,
        sequence: 1,
        occurredAt: '2018-01-02 00:00:00',
        payload: {
          orderId: `o-${customerId}`,
          customerId,
          purchaseAt: '2018-01-01 00:00:00',
          deliveredAt: null,
          estimatedDeliveryAt: null,
          itemsTotal: '0.00',
          freightTotal: '0.00',
          paymentsTotal,
        },
      });
    const state = customerMetricsState([{ customerId: 'c1', customerUniqueId: 'u1' }]);
    expect(applyToCustomerMetrics(state, [event('nobody', '1.00')]).state.customers.get('u1')!.orderIds).toEqual([]);
    expect(() => applyToCustomerMetrics(state, [event('c1', 'x')])).toThrow(RangeError);
  });
});
