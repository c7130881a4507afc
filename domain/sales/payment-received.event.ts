// PaymentReceived: one payment row of an order; the data has no payment time, so it occurs at approval (or purchase when not approved).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import * as Money from '../shared/money.value-object';
import type { Order } from './order.aggregate';
import type { OrderPayment } from './order-payment.entity';

export type PaymentReceivedPayload = {
  readonly orderId: string;
  readonly paymentSequential: number;
  readonly paymentType: string;
  readonly installments: number;
  readonly amount: string;
};
export type PaymentReceived = DomainEvent<'PaymentReceived', PaymentReceivedPayload>;

export function paymentReceived(order: Order, payment: OrderPayment): PaymentReceived {
  return createDomainEvent({
    eventType: 'PaymentReceived',
    aggregateType: 'Order',
    aggregateId: order.orderId,
    sequence: payment.paymentSequential,
    occurredAt: order.approvedAt ?? order.purchaseAt,
    payload: {
      orderId: order.orderId,
      paymentSequential: payment.paymentSequential,
      paymentType: payment.paymentType,
      installments: payment.paymentInstallments,
      amount: Money.toDecimalString(payment.value),
    },
  });
}
