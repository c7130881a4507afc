// OrderShipped: the order was handed to the carrier (occurs at order_delivered_carrier_date).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import type { Order } from './order.aggregate';

export type OrderShippedPayload = { readonly orderId: string; readonly customerId: string; readonly estimatedDeliveryAt: string | null };
export type OrderShipped = DomainEvent<'OrderShipped', OrderShippedPayload>;

export function orderShipped(order: Order, handedOffAt: string): OrderShipped {
  return createDomainEvent({
    eventType: 'OrderShipped',
    aggregateType: 'Order',
    aggregateId: order.orderId,
    sequence: 1,
    occurredAt: handedOffAt,
    payload: { orderId: order.orderId, customerId: order.customerId, estimatedDeliveryAt: order.estimatedDeliveryAt },
  });
}
