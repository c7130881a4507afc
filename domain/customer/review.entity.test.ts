// Tests for the Review entity: score range, required creation date and timestamp format.
import { describe, it, expect } from 'vitest';
import { createReview, reviewKey } from './review.entity';
import type { StagedReview } from './customer-staged.types';

const row = (over: Partial<StagedReview> = {}): StagedReview => ({
  reviewId: 'r1',
  orderId: 'o1',
  reviewScore: 5,
  commentTitle: null,
  commentMessage: null,
  creationAt: '2018-01-10 00:00:00',
  answerAt: '2018-01-11 08:00:00',
  sourceRow: 1,
  sourceSha256: 'x',
  ...over,
});

describe('Review entity', () => {
  it('when the score is 1 to 5, then the review is valid', () => {
    for (const s of [1, 2, 3, 4, 5]) expect(createReview(row({ reviewScore: s })).ok).toBe(true);
  });
  it('when the score is 0, 6 or fractional, then CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE', () => {
    for (const s of [0, 6, 4.5, Number.NaN])
      expect(createReview(row({ reviewScore: s }))).toMatchObject({ ok: false, error: { code: 'CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE' } });
    expect(createReview(row({ reviewScore: 6 }))).toEqual({
      ok: false,
      error: { code: 'CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE', message: 'review r1 of order o1: score 6 is not an integer from 1 to 5' },
    });
  });
  it('when the creation date is missing or a timestamp is malformed, then CUSTOMER.MALFORMED_VALUE', () => {
    expect(createReview(row({ creationAt: null }))).toMatchObject({
      ok: false,
      error: { code: 'CUSTOMER.MALFORMED_VALUE', message: 'review r1 of order o1: creation date is missing' },
    });
    expect(createReview(row({ answerAt: '2018-01-11' }))).toMatchObject({ ok: false, error: { code: 'CUSTOMER.MALFORMED_VALUE' } });
    expect(createReview(row({ answerAt: null })).ok).toBe(true);
  });
  it('when keyed, then the key is (review_id, order_id)', () => {
    expect(reviewKey({ reviewId: 'r1', orderId: 'o9' })).toBe('r1/o9');
  });
});
