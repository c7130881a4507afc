// Public API of the customer context: validateCustomerPartition, segmentation, the metrics projection, rule codes, RULES_VERSION.
export {
  validateCustomerPartition,
  type CustomerPartitionInput,
  type CustomerPartitionValidation,
  type CustomerTable,
  type ValidCustomer,
  type ValidReview,
  type ProfileWithVersion,
  type RecordedSegment,
} from './validate-customer-partition.service';
export type { StagedCustomer, StagedReview, CustomerOrder } from './customer-staged.types';
export { CUSTOMER_RULES, type CustomerRuleCode } from './customer.errors';
export { RULES_VERSION } from './customer.rules-version';
export {
  SEGMENTS,
  DEFAULT_SEGMENT_THRESHOLDS,
  resolveThresholds,
  segmentFor,
  type Segment,
  type SegmentThresholds,
  type SegmentInput,
} from './customer-segment.policy';
export { countsAsPurchase, newCustomer, recordPurchase, recencyDays, type Customer, type Purchase } from './customer.aggregate';
export { buildProfile, type CustomerProfile } from './customer-profile.factory';
export { createReview, reviewKey, type Review, type ReviewScore } from './review.entity';
export {
  customerMetricsState,
  customerMetricsDispatcher,
  applyToCustomerMetrics,
  type CustomerMetricsState,
} from './customer-metrics.projection';
export type { ReviewSubmitted, ReviewSubmittedPayload } from './review-submitted.event';
export type { CustomerSegmentChanged, CustomerSegmentChangedPayload } from './customer-segment-changed.event';
