// Derives the domain events of a valid order from its status and timestamps, in lifecycle order.
import { orderApproved, type OrderApproved } from './order-approved.event';
import { orderCanceled, type OrderCanceled } from './order-canceled.event';
import { orderDelivered, type OrderDelivered } from './order-delivered.event';
import { orderPlaced, type OrderPlaced } from './order-placed.event';
import { orderShipped, type OrderShipped } from './order-shipped.event';
import { paymentReceived, type PaymentReceived } from './payment-received.event';
import type { Order } from './order.aggregate';

export type SalesEvent = OrderPlaced | PaymentReceived | OrderApproved | OrderShipped | OrderDelivered | OrderCanceled;

/**
 * OrderPlaced always; one PaymentReceived per payment; OrderApproved / OrderShipped when their timestamp exists;
 * OrderDelivered when the status is delivered; OrderCanceled when it is canceled or unavailable.
 */
export function orderEvents(order: Order): SalesEvent[] {
  const events: SalesEvent[] = [orderPlaced(order), ...order.payments.map((p) => paymentReceived(order, p))];
  if (order.approvedAt !== null) events.push(orderApproved(order, order.approvedAt));
  if (order.deliveredCarrierAt !== null) events.push(orderShipped(order, order.deliveredCarrierAt));
  if (order.status === 'delivered') events.push(orderDelivered(order));
  if (order.status === 'canceled' || order.status === 'unavailable') events.push(orderCanceled(order, order.status));
  return events;
}
