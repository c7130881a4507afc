// The payments' phase: a plan of types and installments (counts by quota), then values that add up to the order's total
// exactly (vouchers split it; cards rarely add interest).
import { CARD_INSTALLMENTS, FULL, NOT_DEFINED_PAYMENTS, PAYMENTS_PER_ORDER, SINGLE_PAYMENT_TYPES, type OrderStatus } from './figures';
import { distribution, draw, type PaymentDraft } from './order-draft';
import { apportion, Quota, type Rng } from './rng';

const INSTALLMENTS = distribution(CARD_INSTALLMENTS);

export class PaymentPlanner {
  private readonly paymentsQuota: Quota<number>;
  private readonly singleTypeQuota: Quota<string>;
  private notDefinedLeft: number;

  constructor(orders: number) {
    const paymentCounts = apportion(
      PAYMENTS_PER_ORDER.map(([, n]) => n),
      orders,
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
    this.notDefinedLeft = Math.round(NOT_DEFINED_PAYMENTS * (orders / FULL.orders));
  }

  /** Types and installments; every value 0 until `fill`. */
  plan(rng: Rng, status: OrderStatus, itemless: boolean): PaymentDraft[] {
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
    return types.map((type) => ({ type, installments: type === 'credit_card' ? draw(rng, INSTALLMENTS) : 1, valueCents: 0 }));
  }
}

/** Splits `total` over the payments exactly (card interest, rarely, adds up to 1.4% per installment). */
export function fillPayments(rng: Rng, payments: PaymentDraft[], total: number): void {
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
