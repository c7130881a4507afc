// Staged input of the fulfillment context: the delivery columns of an Olist order row.
import type { SourceProvenance } from '../shared/quarantine-record.type';

/** From staging.orders; timestamps are 'YYYY-MM-DD HH:MM:SS' strings or null. */
export interface StagedFulfillmentOrder extends SourceProvenance {
  readonly orderId: string;
  readonly orderStatus: string;
  readonly deliveredCarrierAt: string | null;
  readonly deliveredCustomerAt: string | null;
  readonly estimatedDeliveryAt: string | null;
}
