// Staged input rows of the customer context, mirroring the Olist customers and order_reviews columns, plus the orders it reads.
import type { SourceProvenance } from '../shared/quarantine-record.type';

/** staging.customers: one row per order's customer_id; the person is customerUniqueId. */
export interface StagedCustomer extends SourceProvenance {
  readonly customerId: string;
  readonly customerUniqueId: string;
  readonly zipCodePrefix: string;
  readonly city: string;
  readonly state: string;
}

/** staging.order_reviews: the key is (reviewId, orderId); timestamps 'YYYY-MM-DD HH:MM:SS' or null. */
export interface StagedReview extends SourceProvenance {
  readonly reviewId: string;
  readonly orderId: string;
  readonly reviewScore: number;
  readonly commentTitle: string | null;
  readonly commentMessage: string | null;
  readonly creationAt: string | null;
  readonly answerAt: string | null;
}

/**
 * An order as the customer context sees it (from the validated sales tables, not quarantined here):
 * who bought, when, in which status, and what was paid ('279.90').
 */
export interface CustomerOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly orderStatus: string;
  readonly purchaseAt: string;
  readonly paymentsTotal: string;
}
