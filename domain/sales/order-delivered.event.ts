// OrderDelivered: a delivered order reached its customer; carries what customer metrics need (who, when, how much paid).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import * as Money from '../shared/money.value-object';
import { latestOf } from '../shared/naive-time.util';
import { orderTotals, type Order } from './order.aggregate';

export type OrderDeliveredPayload = {
  readonly orderId: string;
  readonly customerId: string;
  readonly purchaseAt: string;
  /** null when the source has no delivery timestamp; occurredAt then falls back to the latest known timestamp. */
  readonly deliveredAt: string | null;
  readonly estimatedDeliveryAt: string | null;
  readonly itemsTotal: string;
  readonly freightTotal: string;
  readonly paymentsTotal: string;
};
export type OrderDelivered = DomainEvent<'OrderDelivered', OrderDeliveredPayload>;

export function orderDelivered(order: Order): OrderDelivered {
  const totals = orderTotals(order);
  return createDomainEvent({
    eventType: 'OrderDelivered',
    aggregateType: 'Order',
    aggregateId: order.orderId,
    sequence: 1,
    occurredAt: order.deliveredCustomerAt ?? latestOf(order.purchaseAt, order.approvedAt, order.deliveredCarrierAt) ?? order.purchaseAt,
    payload: {
      orderId: order.orderId,
      customerId: order.customerId,
      purchaseAt: order.purchaseAt,
      deliveredAt: order.deliveredCustomerAt,
      estimatedDeliveryAt: order.estimatedDeliveryAt,
      itemsTotal: Money.toDecimalString(totals.items),
      freightTotal: Money.toDecimalString(totals.freight),
      paymentsTotal: Money.toDecimalString(totals.payments),
    },
  });
}
