// OrderPlaced: a customer placed an order (occurs at the purchase timestamp).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import * as Money from '../shared/money.value-object';
import { orderTotals, type Order } from './order.aggregate';

export type OrderPlacedPayload = {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly itemCount: number;
  readonly itemsTotal: string;
  readonly freightTotal: string;
};
export type OrderPlaced = DomainEvent<'OrderPlaced', OrderPlacedPayload>;

export function orderPlaced(order: Order): OrderPlaced {
  const totals = orderTotals(order);
  return createDomainEvent({
    eventType: 'OrderPlaced',
    aggregateType: 'Order',
    aggregateId: order.orderId,
    sequence: 1,
    occurredAt: order.purchaseAt,
    payload: {
      orderId: order.orderId,
      customerId: order.customerId,
      status: order.status,
      itemCount: order.items.length,
      itemsTotal: Money.toDecimalString(totals.items),
      freightTotal: Money.toDecimalString(totals.freight),
    },
  });
}
