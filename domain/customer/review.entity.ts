// Review entity: keyed by (review_id, order_id) because the source has several reviews per order and one review id on several orders.
import { domainError, type DomainError } from '../shared/domain-error.type';
import { isNaiveTimestamp } from '../shared/naive-time.util';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { CUSTOMER_RULES } from './customer.errors';
import type { StagedReview } from './customer-staged.types';

export type ReviewScore = 1 | 2 | 3 | 4 | 5;

export interface Review extends SourceProvenance {
  readonly reviewId: string;
  readonly orderId: string;
  readonly reviewScore: ReviewScore;
  readonly commentTitle: string | null;
  readonly commentMessage: string | null;
  readonly creationAt: string;
  readonly answerAt: string | null;
}

export const reviewKey = (r: { reviewId: string; orderId: string }): string => `${r.reviewId}/${r.orderId}`;

export function createReview(row: StagedReview): Result<Review, DomainError> {
  const label = `review ${row.reviewId} of order ${row.orderId}`;
  if (!Number.isInteger(row.reviewScore) || row.reviewScore < 1 || row.reviewScore > 5) {
    return err(domainError(CUSTOMER_RULES.REVIEW_SCORE_OUT_OF_RANGE, `${label}: score ${row.reviewScore} is not an integer from 1 to 5`));
  }
  if (row.creationAt === null) return err(domainError(CUSTOMER_RULES.MALFORMED_VALUE, `${label}: creation date is missing`));
  for (const [name, value] of [
    ['creation date', row.creationAt],
    ['answer timestamp', row.answerAt],
  ] as const) {
    if (value !== null && !isNaiveTimestamp(value))
      return err(domainError(CUSTOMER_RULES.MALFORMED_VALUE, `${label}: ${name} '${value}' is not a 'YYYY-MM-DD HH:MM:SS' timestamp`));
  }
  return ok({
    reviewId: row.reviewId,
    orderId: row.orderId,
    reviewScore: row.reviewScore as ReviewScore,
    commentTitle: row.commentTitle,
    commentMessage: row.commentMessage,
    creationAt: row.creationAt,
    answerAt: row.answerAt,
    sourceRow: row.sourceRow,
    sourceSha256: row.sourceSha256,
  });
}
