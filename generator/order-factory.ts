// Builds one order at a time with its customer, items, payments and reviews: quotas keep the status mix, item and
// payment counts exact at any scale; per-order randomness comes from one seeded stream, so a seed fixes every byte.
import { FIRST, LAST, PurchaseCalendar } from './calendar';
import type { Catalog } from './catalog';
import { SECONDS_PER_DAY, startOfDay } from './csv-format';
import {
  CANCELED_ONLY_FROM_MONTH,
  CARD_INSTALLMENTS,
  FULL,
  ITEMLESS_BY_STATUS,
  ITEMS_PER_ORDER,
  MESSAGE_BY_SCORE,
  MONTH_COUNTS,
  MULTI_ITEM_SAME_PRODUCT,
  MULTI_PRODUCT_SAME_SELLER,
  MULTI_REVIEW_ORDERS,
  NOT_DEFINED_PAYMENTS,
  PAYMENTS_PER_ORDER,
  REVIEW_SCORES,
  SCORES_LATE,
  SCORES_NOT_DELIVERED,
  SINGLE_PAYMENT_TYPES,
  STATUS_COUNTS,
  STATUSES,
  TITLE_BY_SCORE,
  type OrderStatus,
} from './figures';
import type { Geography, Location } from './geography';
import { TWIN_FIRST, TWIN_SECOND, type PersonPlan } from './persons';
import type { ReviewText } from './reference';
import { apportion, cumulativeOf, hash32, IdMaker, Quota, Rng } from './rng';

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
  reviewAnswerMedian: 1.3,
};

const SHIPPING_LIMIT_DAYS: ReadonlyArray<readonly [number, number]> = [
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
];

const NOT_DELIVERED_CANCELED_PATTERN = { none: 0.22, approvedOnly: 0.67 };

interface Distribution {
  keys: number[];
  cum: Float64Array;
}

function distribution(pairs: ReadonlyArray<readonly [number, number]>): Distribution {
  return { keys: pairs.map(([k]) => k), cum: cumulativeOf(pairs.map(([, w]) => w)) };
}

function draw(rng: Rng, d: Distribution): number {
  return d.keys[rng.pickCumulative(d.cum)]!;
}

/** Score distribution of on-time deliveries, solved so that the overall mix matches the real one. */
function onTimeScores(notDeliveredShare: number, lateShare: number): Float64Array {
  const total = REVIEW_SCORES.reduce((a, b) => a + b, 0);
  const onTime = REVIEW_SCORES.map((n, s) =>
    Math.max(0.01, n / total - notDeliveredShare * SCORES_NOT_DELIVERED[s]! - lateShare * SCORES_LATE[s]!),
  );
  return cumulativeOf(onTime);
}

export interface FactoryStats {
  unsoldProducts: number;
}

export class OrderFactory {
  private readonly rng: Rng;
  private readonly calendar = new PurchaseCalendar();
  private readonly orderIds: IdMaker;
  private readonly customerIds: IdMaker;
  private readonly personIds: IdMaker;
  private readonly reviewIds: IdMaker;
  private reviewCount = 0;

  private readonly monthQuota: Quota<number>;
  private readonly canceledOnlyFrom: number;
  private readonly fallbackMonth: number;
  private readonly statusQuota: Quota<OrderStatus>;
  private readonly statusLeft: Map<OrderStatus, number>;
  private readonly itemlessLeft: Map<OrderStatus, number>;
  private readonly itemsQuota: Quota<number>;
  private itemPicksLeft: number;
  private readonly paymentsQuota: Quota<number>;
  private readonly singleTypeQuota: Quota<string>;
  private notDefinedLeft: number;
  private readonly reviewQuota: Quota<number>;
  private readonly installments = distribution(CARD_INSTALLMENTS);
  private readonly limitDays = distribution(SHIPPING_LIMIT_DAYS);
  private readonly scoresOnTime: Float64Array;
  private readonly scoresLate = cumulativeOf(SCORES_LATE);
  private readonly scoresNotDelivered = cumulativeOf(SCORES_NOT_DELIVERED);
  private readonly titles: string[][];
  private readonly messages: string[][];
  private previous: OrderDraft | null = null;
  /** Whether the data set's first / last purchase moment has been used (by the first order drawn in that month). */
  private pinnedFirst = false;
  private pinnedLast = false;

  constructor(
    private readonly seed: number,
    readonly orders: number,
    private readonly persons: PersonPlan,
    private readonly catalog: Catalog,
    private readonly geography: Geography,
    reviewTexts: readonly ReviewText[],
  ) {
    this.rng = new Rng(seed, 0x0bde5);
    this.orderIds = new IdMaker(seed, 'order');
    this.customerIds = new IdMaker(seed, 'customer');
    this.personIds = new IdMaker(seed, 'person');
    this.reviewIds = new IdMaker(seed, 'review');
    const N = orders;
    const share = N / FULL.orders;

    this.monthQuota = new Quota(
      MONTH_COUNTS.map((_, i) => i),
      apportion(
        MONTH_COUNTS.map(([, n]) => n),
        N,
      ),
    );
    this.canceledOnlyFrom = MONTH_COUNTS.findIndex(([m]) => m >= CANCELED_ONLY_FROM_MONTH);
    this.fallbackMonth = this.canceledOnlyFrom - 1;

    const statusCounts = apportion(
      STATUSES.map((s) => STATUS_COUNTS[s]),
      N,
    );
    this.statusQuota = new Quota(STATUSES, statusCounts);
    this.statusLeft = new Map(STATUSES.map((s, i) => [s, statusCounts[i]!]));
    this.itemlessLeft = new Map(STATUSES.map((s, i) => [s, Math.min(statusCounts[i]!, Math.round((ITEMLESS_BY_STATUS[s] ?? 0) * share))]));
    const itemless = [...this.itemlessLeft.values()].reduce((a, b) => a + b, 0);
    const itemCounts = apportion(
      ITEMS_PER_ORDER.map(([, n]) => n),
      N - itemless,
    );
    this.itemsQuota = new Quota(
      ITEMS_PER_ORDER.map(([k]) => k),
      itemCounts,
    );
    this.itemPicksLeft = itemCounts.reduce((a, n) => a + n, 0);

    const paymentCounts = apportion(
      PAYMENTS_PER_ORDER.map(([, n]) => n),
      N,
    );
    this.paymentsQuota = new Quota(
      PAYMENTS_PER_ORDER.map(([k]) => k),
      paymentCounts,
    );
    this.singleTypeQuota = new Quota(
      SINGLE_PAYMENT_TYPES.map(([t]) => t),
      apportion(
        SINGLE_PAYMENT_TYPES.map(([, n]) => n),
        paymentCounts[0]!,
      ),
    );
    this.notDefinedLeft = Math.round(NOT_DEFINED_PAYMENTS * share);

    const pairs = persons.flags.reduce((a, f) => a + (f === TWIN_SECOND ? 1 : 0), 0);
    const reviewable = N - 2 * pairs;
    const none = Math.round((FULL.orders - FULL.reviewedOrders) * share);
    const multi = MULTI_REVIEW_ORDERS.map(([, n]) => Math.round(n * share));
    const one = Math.max(0, reviewable - none - multi.reduce((a, b) => a + b, 0));
    this.reviewQuota = new Quota([0, 1, ...MULTI_REVIEW_ORDERS.map(([k]) => k)], [none, one, ...multi]);

    const notDelivered = 1 - STATUS_COUNTS.delivered / FULL.orders;
    this.scoresOnTime = onTimeScores(notDelivered, 0.08 * (1 - notDelivered));
    this.titles = [1, 2, 3, 4, 5].map((s) => reviewTexts.filter((r) => r.score === s && r.title !== '').map((r) => r.title));
    this.messages = [1, 2, 3, 4, 5].map((s) => reviewTexts.filter((r) => r.score === s && r.message !== '').map((r) => r.message));
  }

  stats(): FactoryStats {
    return { unsoldProducts: this.catalog.unsoldProducts };
  }

  /** Builds order `i` (call with i = 0, 1, 2, … in order). */
  next(i: number): OrderDraft {
    const rng = this.rng;
    const flags = this.persons.flags[i]!;
    const person = this.persons.personOf[i]!;
    const prev = flags & TWIN_SECOND ? this.previous : null;
    const location = this.geography.customerLocation(new Rng(hash32(this.seed, 0x10ca7e), person));

    // When: month by quota (a pair's second order follows its first by seconds or minutes).
    let purchase: number;
    let month: number;
    if (prev !== null) {
      purchase = Math.min(LAST, prev.purchase + rng.between(5, 900));
      month = this.calendar.monthOf(purchase);
      this.monthQuota.take(month);
    } else {
      month = this.monthQuota.draw(rng, this.fallbackMonth);
      purchase = this.calendar.purchaseIn(month, rng);
      if (month === 0 && !this.pinnedFirst) {
        purchase = FIRST;
        this.pinnedFirst = true;
      } else if (month === this.calendar.months.length - 1 && !this.pinnedLast) {
        purchase = LAST;
        this.pinnedLast = true;
      }
    }

    // Status, and whether the order kept its items.
    let status: OrderStatus;
    if (month >= this.canceledOnlyFrom) {
      status = 'canceled';
      this.statusQuota.take(status);
    } else {
      status = this.statusQuota.draw(rng, 'delivered');
    }
    const statusLeft = this.statusLeft.get(status)!;
    const itemlessLeft = this.itemlessLeft.get(status)!;
    const itemless = itemlessLeft > 0 && rng.next() * Math.max(1, statusLeft) < itemlessLeft;
    this.statusLeft.set(status, Math.max(0, statusLeft - 1));
    if (itemless) this.itemlessLeft.set(status, itemlessLeft - 1);

    // Items: count by quota, products (same product repeated, or another of the same seller, or any other).
    const items: ItemDraft[] = [];
    if (!itemless) {
      const n = this.itemsQuota.draw(rng, 1);
      const first = this.catalog.pickProduct(rng, this.itemPicksLeft--);
      const sameProduct = n > 1 && rng.chance(MULTI_ITEM_SAME_PRODUCT);
      let product = first;
      let freight = -1;
      for (let j = 0; j < n; j++) {
        if (j > 0 && !sameProduct && (j === 1 || rng.chance(0.5))) {
          const sibling = rng.chance(MULTI_PRODUCT_SAME_SELLER) ? this.catalog.siblingProduct(rng, first) : null;
          product = sibling ?? this.catalog.pickProduct(rng, this.itemPicksLeft--);
          freight = -1;
        }
        const seller = this.catalog.sellers[this.catalog.sellerOf[product]!]!;
        if (freight < 0) freight = this.catalog.freightCents(rng, product, seller.state === location.state);
        items.push({
          productIdx: product,
          productId: this.catalog.productId(product),
          sellerId: seller.id,
          shippingLimit: 0,
          priceCents: this.catalog.priceCents[product]!,
          freightCents: freight,
        });
      }
    }
    const sameState =
      items.length > 0 ? this.catalog.sellers[this.catalog.sellerOf[items[0]!.productIdx]!]!.state === location.state : rng.chance(0.36);

    // Payment plan (types and installments); values come once the total is known.
    const payments = this.paymentPlan(rng, status, itemless);

    // Timestamps by status.
    const t = this.timestamps(rng, status, purchase, payments[0]!.type, sameState);
    const limitBase = t.approved ?? purchase;
    const limit = limitBase + draw(rng, this.limitDays) * SECONDS_PER_DAY;
    for (const item of items) item.shippingLimit = limit;

    // Payment values: items + freight (a basket's worth for orders that lost their items).
    let total = items.reduce((a, it) => a + it.priceCents + it.freightCents, 0);
    if (itemless) {
      const k = this.catalog.popularProduct(rng);
      // Scaled so that payments total ≈ R$ 16.0M at scale 1 (the real file's itemless orders carry ≈ R$ 0.16M).
      total = Math.round(1.35 * (this.catalog.priceCents[k]! + this.catalog.freightCents(rng, k, sameState)));
    }
    this.fillPayments(rng, payments, total);

    const draft: OrderDraft = {
      index: i,
      orderId: this.orderIds.id(i),
      customerId: this.customerIds.id(i),
      personId: this.personIds.id(person),
      location,
      flags,
      status,
      purchase,
      ...t,
      items,
      payments,
      reviews: [],
    };
    draft.reviews = this.reviews(rng, draft, prev);
    this.previous = draft;
    return draft;
  }

  private paymentPlan(rng: Rng, status: OrderStatus, itemless: boolean): PaymentDraft[] {
    if (itemless && status === 'canceled' && this.notDefinedLeft > 0 && rng.chance(0.05)) {
      this.notDefinedLeft--;
      this.paymentsQuota.take(1);
      return [{ type: 'not_defined', installments: 1, valueCents: 0 }];
    }
    const k = this.paymentsQuota.draw(rng, 1);
    let types: string[];
    if (k === 1) types = [this.singleTypeQuota.draw(rng, 'credit_card')];
    else {
      const r = rng.next();
      const vouchers = (n: number) => Array.from({ length: n }, () => 'voucher');
      if (k === 2) types = r < 0.78 ? ['credit_card', 'voucher'] : r < 0.92 ? ['credit_card', 'credit_card'] : vouchers(2);
      else types = r < 0.55 ? ['credit_card', ...vouchers(k - 1)] : vouchers(k);
    }
    return types.map((type) => ({ type, installments: type === 'credit_card' ? draw(rng, this.installments) : 1, valueCents: 0 }));
  }

  /** Splits `total` over the payments exactly (card interest, rarely, adds up to 1.4% per installment). */
  private fillPayments(rng: Rng, payments: PaymentDraft[], total: number): void {
    if (payments.length === 1) {
      const p = payments[0]!;
      if (p.type === 'not_defined') return;
      p.valueCents = total;
      if (p.type === 'credit_card' && p.installments >= 2 && rng.chance(0.004)) {
        p.valueCents += Math.round(total * p.installments * rng.uniform(0.004, 0.014));
      }
      return;
    }
    const cards = payments.filter((p) => p.type === 'credit_card');
    const vouchers = payments.filter((p) => p.type === 'voucher');
    const voucherTotal =
      vouchers.length === 0
        ? 0
        : cards.length === 0
          ? total
          : Math.min(total - cards.length, Math.max(vouchers.length, Math.round(total * rng.uniform(0.03, 0.6))));
    split(rng, vouchers, voucherTotal);
    split(rng, cards, total - voucherTotal);
  }

  private timestamps(rng: Rng, status: OrderStatus, purchase: number, paymentType: string, sameState: boolean) {
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

  private reviews(rng: Rng, order: OrderDraft, prev: OrderDraft | null): ReviewDraft[] {
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
      const answered = created + Math.round(SECONDS_PER_DAY * (0.1 + rng.lognormal(TIMING.reviewAnswerMedian, 1.0)));
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

/** Splits `total` centavos over `payments` with random shares, each at least 1 centavo; exact sum. */
function split(rng: Rng, payments: PaymentDraft[], total: number): void {
  if (payments.length === 0) return;
  const weights = payments.map(() => rng.uniform(0.2, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  let left = total;
  payments.forEach((p, j) => {
    const rest = payments.length - j - 1;
    p.valueCents = j === payments.length - 1 ? left : Math.max(1, Math.min(left - rest, Math.round((total * weights[j]!) / sum)));
    left -= p.valueCents;
  });
}

/** A real comment of the same score (a neighbouring score when none); messages are sometimes two joined by a line break. */
function pickText(rng: Rng, pools: string[][], score: number, join: boolean): string {
  const pool = [pools[score - 1], pools[score - 2], pools[score], ...pools].find((p) => p !== undefined && p.length > 0);
  if (pool === undefined) return '';
  const first = rng.pick(pool);
  return join && rng.chance(0.12) ? `${first.trimEnd()}\n${rng.pick(pool)}` : first;
}
