// OrderApproved: the order's payment was approved (occurs at order_approved_at).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import type { Order } from './order.aggregate';

export type OrderApprovedPayload = { readonly orderId: string; readonly customerId: string };
export type OrderApproved = DomainEvent<'OrderApproved', OrderApprovedPayload>;

export function orderApproved(order: Order, approvedAt: string): OrderApproved {
  return createDomainEvent({
    eventType: 'OrderApproved',
    aggregateType: 'Order',
    aggregateId: order.orderId,
    sequence: 1,
    occurredAt: approvedAt,
    payload: { orderId: order.orderId, customerId: order.customerId },
  });
}
