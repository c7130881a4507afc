// One order as the generator builds it before writing: the order row, its items, payments and reviews (times in epoch seconds).
import type { Location } from './geography';
import { cumulativeOf, type Rng } from './rng';

export interface ItemDraft {
  productIdx: number;
  productId: string;
  sellerId: string;
  shippingLimit: number;
  priceCents: number;
  freightCents: number;
  /** Replaces the formatted price (fault injection). */
  priceText?: string;
}

export interface PaymentDraft {
  type: string;
  installments: number;
  valueCents: number;
}

export interface ReviewDraft {
  reviewId: string;
  score: number;
  title: string;
  message: string;
  created: number;
  answered: number;
}

export interface OrderDraft {
  index: number;
  orderId: string;
  customerId: string;
  personId: string;
  location: Location;
  flags: number;
  status: string;
  purchase: number;
  approved: number | null;
  carrier: number | null;
  delivered: number | null;
  /** Midnight of the estimated delivery date. */
  estimated: number;
  /** Replaces the formatted approval timestamp (fault injection). */
  approvedText?: string;
  items: ItemDraft[];
  payments: PaymentDraft[];
  reviews: ReviewDraft[];
}

/** A discrete distribution over numeric keys, from (key, weight) pairs. */
export interface Distribution {
  keys: number[];
  cum: Float64Array;
}

export function distribution(pairs: ReadonlyArray<readonly [number, number]>): Distribution {
  return { keys: pairs.map(([k]) => k), cum: cumulativeOf(pairs.map(([, w]) => w)) };
}

export function draw(rng: Rng, d: Distribution): number {
  return d.keys[rng.pickCumulative(d.cum)]!;
}
