// CustomerSegmentChanged: a person's segment differs from the one recorded before (occurs at the as-of moment of the data).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import type { Segment } from './customer-segment.policy';

export type CustomerSegmentChangedPayload = {
  readonly customerUniqueId: string;
  readonly from: Segment | null;
  readonly to: Segment;
  readonly orders: number;
  readonly totalSpent: string;
  readonly recencyDays: number | null;
};
export type CustomerSegmentChanged = DomainEvent<'CustomerSegmentChanged', CustomerSegmentChangedPayload>;

/** `version` is the segment's new version for this person (1 for the first segment ever recorded). */
export function customerSegmentChanged(payload: CustomerSegmentChangedPayload, version: number, asOf: string): CustomerSegmentChanged {
  return createDomainEvent({
    eventType: 'CustomerSegmentChanged',
    aggregateType: 'Customer',
    aggregateId: payload.customerUniqueId,
    sequence: version,
    occurredAt: asOf,
    payload,
  });
}
