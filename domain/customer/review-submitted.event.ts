// ReviewSubmitted: a customer reviewed an order (occurs at the review's creation date).
import { createDomainEvent, type DomainEvent } from '../shared/domain-event.base';
import { reviewKey, type Review } from './review.entity';

export type ReviewSubmittedPayload = {
  readonly reviewId: string;
  readonly orderId: string;
  readonly score: number;
  readonly hasComment: boolean;
};
export type ReviewSubmitted = DomainEvent<'ReviewSubmitted', ReviewSubmittedPayload>;

export function reviewSubmitted(review: Review): ReviewSubmitted {
  return createDomainEvent({
    eventType: 'ReviewSubmitted',
    aggregateType: 'Review',
    aggregateId: reviewKey(review),
    sequence: 1,
    occurredAt: review.creationAt,
    payload: {
      reviewId: review.reviewId,
      orderId: review.orderId,
      score: review.reviewScore,
      hasComment: (review.commentTitle ?? '').trim() !== '' || (review.commentMessage ?? '').trim() !== '',
    },
  });
}
