// Entry point of the customer context: validates customers and reviews, builds profiles and segments as of a data date.
import type { DomainEvent } from '../shared/domain-event.base';
import { parseBrazilianState, parseZipPrefix, type BrazilianState } from '../shared/brazil-address.value-object';
import * as Money from '../shared/money.value-object';
import { isNaiveTimestamp, parseNaiveDate } from '../shared/naive-time.util';
import { quarantine, type QuarantineRecord, type SourceProvenance } from '../shared/quarantine-record.type';
import { countsAsPurchase, linkCustomerId, newCustomer, recordPurchase, type Customer } from './customer.aggregate';
import { CUSTOMER_RULES } from './customer.errors';
import { buildProfile, type CustomerProfile } from './customer-profile.factory';
import { resolveThresholds, type Segment, type SegmentThresholds } from './customer-segment.policy';
import { customerSegmentChanged } from './customer-segment-changed.event';
import type { CustomerOrder, StagedCustomer, StagedReview } from './customer-staged.types';
import { createReview, reviewKey, type Review } from './review.entity';
import { reviewSubmitted } from './review-submitted.event';

export type CustomerTable = 'customers' | 'reviews';

/** The segment recorded for a person by a previous run, and how many segment changes it has seen. */
export interface RecordedSegment {
  readonly segment: Segment;
  readonly version: number;
}

export interface CustomerPartitionInput {
  readonly customers: readonly StagedCustomer[];
  readonly reviews: readonly StagedReview[];
  /** Orders that exist (validated by sales); used for orphan reviews and, with full history, for metrics. */
  readonly orders: readonly CustomerOrder[];
  /** 'YYYY-MM-DD HH:MM:SS', or 'YYYY-MM-DD' meaning the end of that day. Default: the latest purchase among `orders`. */
  readonly asOf?: string;
  readonly thresholds?: Partial<SegmentThresholds>;
  /** Segments recorded before, by customer_unique_id; a CustomerSegmentChanged event is emitted where they differ. */
  readonly previousSegments?: Readonly<Record<string, RecordedSegment>>;
}

export interface ValidCustomer extends SourceProvenance {
  readonly customerId: string;
  readonly customerUniqueId: string;
  readonly zipCodePrefix: string;
  readonly city: string;
  readonly state: BrazilianState;
}

export type ValidReview = Review;

export interface ProfileWithVersion extends CustomerProfile {
  readonly segmentVersion: number;
}

export interface CustomerPartitionValidation {
  readonly customers: ValidCustomer[];
  readonly reviews: ValidReview[];
  readonly profiles: ProfileWithVersion[];
  readonly quarantined: QuarantineRecord<CustomerTable>[];
  readonly events: DomainEvent[];
  /** The as-of moment used for recency and segments, or null when there were no orders and none was given (then no profiles). */
  readonly asOf: string | null;
  /** Ids of orders whose customer_id matched no valid customer row (not counted in any profile). */
  readonly ordersWithoutCustomer: string[];
}

function resolveAsOf(asOf: string | undefined, orders: readonly CustomerOrder[]): string | null {
  if (asOf !== undefined) {
    if (isNaiveTimestamp(asOf)) return asOf;
    if (parseNaiveDate(asOf).ok) return `${asOf} 23:59:59`;
    throw new RangeError(`asOf must be 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD', got '${asOf}'`);
  }
  return orders.reduce<string | null>((max, o) => (max === null || o.purchaseAt > max ? o.purchaseAt : max), null);
}

function countBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

function validateCustomers(rows: readonly StagedCustomer[], out: CustomerPartitionValidation): void {
  const copies = countBy(rows, (r) => r.customerId);
  for (const row of rows) {
    const fail = (code: (typeof CUSTOMER_RULES)[keyof typeof CUSTOMER_RULES], what: string) =>
      out.quarantined.push(quarantine('customers', row, code, `customer ${row.customerId}: ${what}`));
    const zip = parseZipPrefix(row.zipCodePrefix);
    const state = parseBrazilianState(row.state);
    if ((copies.get(row.customerId) ?? 0) > 1) fail(CUSTOMER_RULES.DUPLICATE_CUSTOMER, `appears ${copies.get(row.customerId)} times`);
    else if (row.customerUniqueId.trim() === '') fail(CUSTOMER_RULES.MALFORMED_VALUE, 'customer_unique_id is empty');
    else if (!zip.ok) fail(CUSTOMER_RULES.INVALID_ZIP, zip.error);
    else if (!state.ok) fail(CUSTOMER_RULES.INVALID_STATE, state.error);
    else
      out.customers.push({
        customerId: row.customerId,
        customerUniqueId: row.customerUniqueId,
        zipCodePrefix: zip.value,
        city: row.city,
        state: state.value,
        sourceRow: row.sourceRow,
        sourceSha256: row.sourceSha256,
      });
  }
}

function validateReviews(rows: readonly StagedReview[], orderIds: ReadonlySet<string>, out: CustomerPartitionValidation): void {
  const copies = countBy(rows, reviewKey);
  for (const row of rows) {
    const label = `review ${row.reviewId} of order ${row.orderId}`;
    if ((copies.get(reviewKey(row)) ?? 0) > 1) {
      out.quarantined.push(
        quarantine(
          'reviews',
          row,
          CUSTOMER_RULES.DUPLICATE_REVIEW,
          `${label}: the pair (review_id, order_id) appears ${copies.get(reviewKey(row))} times`,
        ),
      );
    } else if (!orderIds.has(row.orderId)) {
      out.quarantined.push(
        quarantine('reviews', row, CUSTOMER_RULES.ORPHAN_REVIEW, `${label}: order ${row.orderId} does not exist among the valid orders`),
      );
    } else {
      const review = createReview(row);
      if (!review.ok) out.quarantined.push(quarantine('reviews', row, review.error.code, review.error.message));
      else {
        out.reviews.push(review.value);
        out.events.push(reviewSubmitted(review.value));
      }
    }
  }
}

function buildPeople(
  customers: readonly ValidCustomer[],
  orders: readonly CustomerOrder[],
  asOf: string | null,
  out: CustomerPartitionValidation,
): Map<string, Customer> {
  const people = new Map<string, Customer>();
  const personOf = new Map<string, string>();
  for (const c of customers) {
    personOf.set(c.customerId, c.customerUniqueId);
    people.set(c.customerUniqueId, linkCustomerId(people.get(c.customerUniqueId) ?? newCustomer(c.customerUniqueId), c.customerId));
  }
  for (const o of orders) {
    const person = personOf.get(o.customerId);
    if (person === undefined) {
      out.ordersWithoutCustomer.push(o.orderId);
      continue;
    }
    if (!countsAsPurchase(o.orderStatus) || asOf === null || o.purchaseAt > asOf) continue;
    const amount = Money.fromDecimalString(o.paymentsTotal);
    if (!amount.ok) throw new RangeError(`order ${o.orderId} (from the validated sales tables): ${amount.error}`);
    people.set(
      person,
      recordPurchase(people.get(person)!, { orderId: o.orderId, customerId: o.customerId, purchaseAt: o.purchaseAt, amount: amount.value }),
    );
  }
  return people;
}

/**
 * Validates a partition's customers (zip, state, unique customer_id) and reviews (score 1–5, unique
 * (review_id, order_id), order exists), then profiles every person of the valid customers: delivered orders
 * up to `asOf`, total paid, first/last order, recency and segment, emitting CustomerSegmentChanged where the
 * segment differs from `previousSegments`. Metrics see only the orders passed in: pass a person's whole history.
 */
export function validateCustomerPartition(input: CustomerPartitionInput): CustomerPartitionValidation {
  const thresholds = resolveThresholds(input.thresholds);
  const asOf = resolveAsOf(input.asOf, input.orders);
  const out: CustomerPartitionValidation = {
    customers: [],
    reviews: [],
    profiles: [],
    quarantined: [],
    events: [],
    asOf,
    ordersWithoutCustomer: [],
  };

  validateCustomers(input.customers, out);
  validateReviews(input.reviews, new Set(input.orders.map((o) => o.orderId)), out);
  // No orders and no asOf (a month whose every order the sales rules rejected): customers and reviews are still
  // validated, but there is no moment from the data to measure profiles at (never the clock), so none are built.
  if (asOf === null) return out;

  for (const person of buildPeople(out.customers, input.orders, asOf, out).values()) {
    const profile = buildProfile(person, asOf, thresholds);
    const previous = input.previousSegments?.[person.customerUniqueId];
    const changed = previous?.segment !== profile.segment;
    const segmentVersion = changed ? (previous?.version ?? 0) + 1 : previous.version;
    out.profiles.push({ ...profile, segmentVersion });
    if (changed) {
      out.events.push(
        customerSegmentChanged(
          {
            customerUniqueId: profile.customerUniqueId,
            from: previous?.segment ?? null,
            to: profile.segment,
            orders: profile.orders,
            totalSpent: profile.totalSpent,
            recencyDays: profile.recencyDays,
          },
          segmentVersion,
          asOf,
        ),
      );
    }
  }
  return out;
}
