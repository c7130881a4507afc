// The delivery timeline's phase: approval, carrier hand-off, delivery and the estimated date by status, and the items'
// shipping limit. Fitted to sample-1k and calibrated on scale-1 runs.
import { SECONDS_PER_DAY, startOfDay } from './csv-format';
import type { OrderStatus } from './figures';
import { distribution, draw } from './order-draft';
import type { Rng } from './rng';

/** Delivery-time model (days unless noted), fitted to sample-1k and calibrated on scale-1 runs. */
const TIMING = {
  quickApprovalMeanMinutes: 18,
  slowApprovalShare: 0.22,
  slowApprovalMedianHours: 13,
  boletoApprovalMedianHours: 30,
  handlingMedian: 1.7,
  handlingSigma: 0.85,
  transitSameStateMedian: 3.7,
  transitOtherStateMedian: 9.3,
  transitSigma: 0.55,
  transitTailShare: 0.025,
  promiseSameState: { mean: 14, sd: 3.5 },
  promiseOtherState: { mean: 29, sd: 6.5 },
};

/** Days from approval (or purchase) to the items' shipping limit, with their weights. */
const SHIPPING_LIMIT_DAYS = distribution([
  [1, 2],
  [2, 6],
  [3, 10],
  [4, 10],
  [5, 12],
  [6, 25],
  [7, 20],
  [8, 4],
  [9, 3],
  [10, 3],
  [12, 3],
  [14, 1],
  [20, 1],
]);

const NOT_DELIVERED_CANCELED_PATTERN = { none: 0.22, approvedOnly: 0.67 };

export interface Timeline {
  approved: number | null;
  carrier: number | null;
  delivered: number | null;
  /** Midnight of the estimated delivery date. */
  estimated: number;
}

/** The order's timestamps for its status (boleto approves slower; inter-state transit is longer and promised later). */
export function timeline(rng: Rng, status: OrderStatus, purchase: number, paymentType: string, sameState: boolean): Timeline {
  const approvalDelay = (): number => {
    if (paymentType === 'boleto') return Math.round(3600 * rng.lognormal(TIMING.boletoApprovalMedianHours, 0.5));
    if (rng.chance(TIMING.slowApprovalShare)) return Math.round(3600 * rng.lognormal(TIMING.slowApprovalMedianHours, 0.8));
    return 30 + Math.round(60 * rng.exponential(TIMING.quickApprovalMeanMinutes));
  };
  const handling = (from: number): number => {
    const at = from + Math.round(SECONDS_PER_DAY * rng.lognormal(TIMING.handlingMedian, TIMING.handlingSigma));
    return rng.chance(0.33) ? at - (at % 60) + 60 : at; // carriers often record whole minutes
  };
  const promise = sameState ? TIMING.promiseSameState : TIMING.promiseOtherState;
  const estimated = startOfDay(purchase) + SECONDS_PER_DAY * Math.max(3, Math.round(promise.mean + promise.sd * rng.normal()));

  let approved: number | null = null;
  let carrier: number | null = null;
  let delivered: number | null = null;
  switch (status) {
    case 'created':
      break;
    case 'canceled': {
      const r = rng.next();
      if (r >= NOT_DELIVERED_CANCELED_PATTERN.none) approved = purchase + approvalDelay();
      if (r >= NOT_DELIVERED_CANCELED_PATTERN.none + NOT_DELIVERED_CANCELED_PATTERN.approvedOnly) carrier = handling(approved!);
      break;
    }
    case 'shipped':
      approved = purchase + approvalDelay();
      carrier = handling(approved);
      break;
    case 'delivered': {
      approved = purchase + approvalDelay();
      carrier = handling(approved);
      let transit = rng.lognormal(sameState ? TIMING.transitSameStateMedian : TIMING.transitOtherStateMedian, TIMING.transitSigma);
      if (rng.chance(TIMING.transitTailShare)) transit += rng.uniform(8, 40);
      delivered = carrier + Math.max(3600, Math.round(SECONDS_PER_DAY * transit));
      break;
    }
    default:
      approved = purchase + approvalDelay();
  }
  return { approved, carrier, delivered, estimated };
}

/** The items' shipping limit: whole days after `from` (the approval, else the purchase). */
export function shippingLimit(rng: Rng, from: number): number {
  return from + draw(rng, SHIPPING_LIMIT_DAYS) * SECONDS_PER_DAY;
}
