// The reviews' phase: how many per order (by quota; a pair's second order repeats its first's review), scores that depend
// on the delivery (not delivered, late, on time), dates after the delivery, and real comment texts of the same score.
import { SECONDS_PER_DAY, startOfDay } from './csv-format';
import {
  FULL,
  MESSAGE_BY_SCORE,
  MULTI_REVIEW_ORDERS,
  REVIEW_SCORES,
  SCORES_LATE,
  SCORES_NOT_DELIVERED,
  STATUS_COUNTS,
  TITLE_BY_SCORE,
} from './figures';
import type { OrderDraft, ReviewDraft } from './order-draft';
import { TWIN_FIRST } from './persons';
import type { ReviewText } from './reference';
import { cumulativeOf, IdMaker, Quota, type Rng } from './rng';

/** Median days from a review's creation to its answer (lognormal). */
const REVIEW_ANSWER_MEDIAN_DAYS = 1.3;

/** Score distribution of on-time deliveries, solved so that the overall mix matches the real one. */
function onTimeScores(notDeliveredShare: number, lateShare: number): Float64Array {
  const total = REVIEW_SCORES.reduce((a, b) => a + b, 0);
  const onTime = REVIEW_SCORES.map((n, s) =>
    Math.max(0.01, n / total - notDeliveredShare * SCORES_NOT_DELIVERED[s]! - lateShare * SCORES_LATE[s]!),
  );
  return cumulativeOf(onTime);
}

export class ReviewWriter {
  private readonly reviewIds: IdMaker;
  private reviewCount = 0;
  private readonly reviewQuota: Quota<number>;
  private readonly scoresOnTime: Float64Array;
  private readonly scoresLate = cumulativeOf(SCORES_LATE);
  private readonly scoresNotDelivered = cumulativeOf(SCORES_NOT_DELIVERED);
  private readonly titles: string[][];
  private readonly messages: string[][];

  /** `reviewable`: the orders that draw their own review count (every order but the pairs'). */
  constructor(seed: number, orders: number, reviewable: number, reviewTexts: readonly ReviewText[]) {
    this.reviewIds = new IdMaker(seed, 'review');
    const share = orders / FULL.orders;
    const none = Math.round((FULL.orders - FULL.reviewedOrders) * share);
    const multi = MULTI_REVIEW_ORDERS.map(([, n]) => Math.round(n * share));
    const one = Math.max(0, reviewable - none - multi.reduce((a, b) => a + b, 0));
    this.reviewQuota = new Quota([0, 1, ...MULTI_REVIEW_ORDERS.map(([k]) => k)], [none, one, ...multi]);

    const notDelivered = 1 - STATUS_COUNTS.delivered / FULL.orders;
    this.scoresOnTime = onTimeScores(notDelivered, 0.08 * (1 - notDelivered));
    this.titles = [1, 2, 3, 4, 5].map((s) => reviewTexts.filter((r) => r.score === s && r.title !== '').map((r) => r.title));
    this.messages = [1, 2, 3, 4, 5].map((s) => reviewTexts.filter((r) => r.score === s && r.message !== '').map((r) => r.message));
  }

  /** The order's reviews (its timeline is set); `prev` is the first order of a pair whose second this is. */
  reviews(rng: Rng, order: OrderDraft, prev: OrderDraft | null): ReviewDraft[] {
    if (prev !== null && prev.reviews.length > 0) return [{ ...prev.reviews[0]! }];
    const count = order.flags & TWIN_FIRST ? 1 : this.reviewQuota.draw(rng, 1);
    const out: ReviewDraft[] = [];
    const late = order.delivered !== null && startOfDay(order.delivered) > order.estimated;
    const scores = order.delivered === null ? this.scoresNotDelivered : late ? this.scoresLate : this.scoresOnTime;
    let created: number;
    if (order.delivered === null) created = order.estimated + rng.between(1, 3) * SECONDS_PER_DAY;
    else if (late && rng.chance(0.5)) created = order.estimated + SECONDS_PER_DAY;
    else created = startOfDay(order.delivered) + SECONDS_PER_DAY;
    for (let j = 0; j < count; j++) {
      if (j > 0) created += rng.between(1, 20) * SECONDS_PER_DAY;
      const score = 1 + rng.pickCumulative(scores);
      const answered = created + Math.round(SECONDS_PER_DAY * (0.1 + rng.lognormal(REVIEW_ANSWER_MEDIAN_DAYS, 1.0)));
      out.push({
        reviewId: this.reviewIds.id(this.reviewCount++),
        score,
        title: rng.chance(TITLE_BY_SCORE[score - 1]!) ? pickText(rng, this.titles, score, false) : '',
        message: rng.chance(MESSAGE_BY_SCORE[score - 1]!) ? pickText(rng, this.messages, score, true) : '',
        created,
        answered,
      });
    }
    return out;
  }
}

/** A real comment of the same score (a neighbouring score when none); messages are sometimes two joined by a line break. */
function pickText(rng: Rng, pools: string[][], score: number, join: boolean): string {
  const pool = [pools[score - 1], pools[score - 2], pools[score], ...pools].find((p) => p !== undefined && p.length > 0);
  if (pool === undefined) return '';
  const first = rng.pick(pool);
  return join && rng.chance(0.12) ? `${first.trimEnd()}\n${rng.pick(pool)}` : first;
}
