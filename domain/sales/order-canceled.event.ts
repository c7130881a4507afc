// OrderCanceled: the order ended before delivery (status canceled or unavailable); the data has no cancel time, so it occurs at the latest known timestamp.
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import * as Money from '../shared/money.value-object';
import { latestOf } from '../shared/naive-time.util';
import { orderTotals, type Order } from './order.aggregate';

export type OrderCanceledPayload = {
  readonly orderId: string;
  readonly customerId: string;
  readonly finalStatus: 'canceled' | 'unavailable';
  readonly paymentsTotal: string;
};
export type OrderCanceled = DomainEvent<'OrderCanceled', OrderCanceledPayload>;

export function orderCanceled(order: Order, finalStatus: 'canceled' | 'unavailable'): OrderCanceled {
  return createDomainEvent({
    eventType: 'OrderCanceled',
    aggregateType: 'Order',
    aggregateId: order.orderId,
    sequence: 1,
    occurredAt: latestOf(order.purchaseAt, order.approvedAt, order.deliveredCarrierAt, order.deliveredCustomerAt) ?? order.purchaseAt,
    payload: {
      orderId: order.orderId,
      customerId: order.customerId,
      finalStatus,
      paymentsTotal: Money.toDecimalString(orderTotals(order).payments),
    },
  });
}
