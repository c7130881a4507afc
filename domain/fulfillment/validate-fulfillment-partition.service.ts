// Entry point of the fulfillment context: one shipment per order row of the partition, or a quarantine record.
import { quarantine, type QuarantineRecord } from '../shared/quarantine-record.type';
import { FULFILLMENT_RULES } from './fulfillment.errors';
import type { StagedFulfillmentOrder } from './fulfillment-staged.types';
import { createShipment, type Shipment } from './shipment.aggregate';

export type FulfillmentTable = 'orders';

export interface FulfillmentPartitionInput {
  readonly orders: readonly StagedFulfillmentOrder[];
}

export interface FulfillmentPartitionValidation {
  /** Every valid order row, whatever its stage: awaiting hand-off, in transit or delivered (with on-time and delay). */
  readonly shipments: Shipment[];
  readonly quarantined: QuarantineRecord<FulfillmentTable>[];
}

/** Validates each order's delivery timestamps; an order id seen twice is quarantined in every copy. */
export function validateFulfillmentPartition(input: FulfillmentPartitionInput): FulfillmentPartitionValidation {
  const out: FulfillmentPartitionValidation = { shipments: [], quarantined: [] };
  const copies = new Map<string, number>();
  for (const row of input.orders) copies.set(row.orderId, (copies.get(row.orderId) ?? 0) + 1);
  for (const row of input.orders) {
    const n = copies.get(row.orderId) ?? 0;
    if (n > 1) {
      out.quarantined.push(quarantine('orders', row, FULFILLMENT_RULES.DUPLICATE_SHIPMENT, `order ${row.orderId} appears ${n} times`));
      continue;
    }
    const shipment = createShipment(row);
    if (shipment.ok) out.shipments.push(shipment.value);
    else out.quarantined.push(quarantine('orders', row, shipment.error.code, shipment.error.message));
  }
  return out;
}
