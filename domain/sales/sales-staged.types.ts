// Staged input rows of the sales context, mirroring the Olist orders, order_items and order_payments columns.
import type { SourceProvenance } from '../shared/quarantine-record.type';

/** staging.orders: timestamps are 'YYYY-MM-DD HH:MM:SS' strings or null. */
export interface StagedOrder extends SourceProvenance {
  readonly orderId: string;
  readonly customerId: string;
  readonly orderStatus: string;
  readonly purchaseAt: string | null;
  readonly approvedAt: string | null;
  readonly deliveredCarrierAt: string | null;
  readonly deliveredCustomerAt: string | null;
  readonly estimatedDeliveryAt: string | null;
}

/** staging.order_items: money as decimal strings ('279.90'). */
export interface StagedItem extends SourceProvenance {
  readonly orderId: string;
  readonly orderItemId: number;
  readonly productId: string;
  readonly sellerId: string;
  readonly shippingLimitAt: string | null;
  readonly price: string;
  readonly freightValue: string;
}

/** staging.order_payments. */
export interface StagedPayment extends SourceProvenance {
  readonly orderId: string;
  readonly paymentSequential: number;
  readonly paymentType: string;
  readonly paymentInstallments: number;
  readonly paymentValue: string;
}
