// Builds a person's profile (metrics, recency, segment) as of a moment from the data, never the wall clock.
import * as Money from '../shared/money.value-object';
import { orderCount, recencyDays, type Customer } from './customer.aggregate';
import { segmentFor, type Segment, type SegmentThresholds } from './customer-segment.policy';

export interface CustomerProfile {
  readonly customerUniqueId: string;
  readonly customerIds: readonly string[];
  readonly orders: number;
  readonly totalSpent: string;
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  readonly recencyDays: number | null;
  readonly asOf: string;
  readonly segment: Segment;
}

export function buildProfile(c: Customer, asOf: string, thresholds: SegmentThresholds): CustomerProfile {
  const orders = orderCount(c);
  const recency = recencyDays(c, asOf);
  return {
    customerUniqueId: c.customerUniqueId,
    customerIds: c.customerIds,
    orders,
    totalSpent: Money.toDecimalString(c.totalSpent),
    firstOrderAt: c.firstOrderAt,
    lastOrderAt: c.lastOrderAt,
    recencyDays: recency,
    asOf,
    segment: segmentFor({ orders, totalSpentCentavos: c.totalSpent.centavos, recencyDays: recency }, thresholds),
  };
}
