// Shipment aggregate: an order's way from carrier hand-off to the customer, judged against the estimated delivery date.
import { domainError, type DomainError } from '../shared/domain-error.type';
import { datePart, isNaiveTimestamp } from '../shared/naive-time.util';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { deliveryPerformance } from './delivery-performance.value-object';
import { FULFILLMENT_RULES } from './fulfillment.errors';
import type { StagedFulfillmentOrder } from './fulfillment-staged.types';

/** Where the parcel is, by the timestamps present (the order status is kept alongside, not trusted for this). */
export type ShipmentStage = 'awaiting_handoff' | 'in_transit' | 'delivered';

export interface Shipment extends SourceProvenance {
  readonly orderId: string;
  readonly orderStatus: string;
  readonly stage: ShipmentStage;
  readonly handedOffAt: string | null;
  readonly deliveredAt: string | null;
  readonly estimatedDeliveryDate: string;
  /** null until delivered. */
  readonly onTime: boolean | null;
  /** null until delivered; 0 when on time. */
  readonly delayDays: number | null;
}

const FIELDS = ['deliveredCarrierAt', 'deliveredCustomerAt', 'estimatedDeliveryAt'] as const;

export function createShipment(row: StagedFulfillmentOrder): Result<Shipment, DomainError> {
  const fail = (code: (typeof FULFILLMENT_RULES)[keyof typeof FULFILLMENT_RULES], what: string) =>
    err(domainError(code, `order ${row.orderId}: ${what}`));
  for (const field of FIELDS) {
    const value = row[field];
    if (value !== null && !isNaiveTimestamp(value))
      return fail(FULFILLMENT_RULES.MALFORMED_VALUE, `${field} '${value}' is not a 'YYYY-MM-DD HH:MM:SS' timestamp`);
  }
  const { deliveredCarrierAt: handedOffAt, deliveredCustomerAt: deliveredAt, estimatedDeliveryAt } = row;
  if (estimatedDeliveryAt === null) return fail(FULFILLMENT_RULES.MISSING_ESTIMATE, 'the estimated delivery date is missing');
  if (handedOffAt !== null && deliveredAt !== null && deliveredAt < handedOffAt) {
    return fail(FULFILLMENT_RULES.DELIVERED_BEFORE_HANDOFF, `delivered ${deliveredAt} before carrier hand-off ${handedOffAt}`);
  }
  const performance = deliveredAt === null ? null : deliveryPerformance(deliveredAt, estimatedDeliveryAt);
  return ok({
    orderId: row.orderId,
    orderStatus: row.orderStatus,
    stage: deliveredAt !== null ? 'delivered' : handedOffAt !== null ? 'in_transit' : 'awaiting_handoff',
    handedOffAt,
    deliveredAt,
    estimatedDeliveryDate: datePart(estimatedDeliveryAt),
    onTime: performance?.onTime ?? null,
    delayDays: performance?.delayDays ?? null,
    sourceRow: row.sourceRow,
    sourceSha256: row.sourceSha256,
  });
}
