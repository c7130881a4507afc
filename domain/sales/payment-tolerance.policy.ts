// How far the payments of an order may stray from items + freight before it is a SALES.PAYMENT_MISMATCH.
//
// Measured on sample-1k (1,000 real orders, 991 with items): |payments − (items + freight)| is
//   0.00 for 986 orders; 0.01 for 3 (two over, one under: centavo rounding when a total is split);
//   +6.00 on 103.55 (+5.8%) with 4 credit-card installments; +26.97 on 207.00 (+13.0%) with 10 installments.
// No order was underpaid by more than R$ 0.01; the 9 orders without items (7 unavailable, 2 canceled) have
// payments but nothing to compare them with, so they are not checked. Vouchers appear as payment rows, so they
// add up exactly. The only large differences are overpayments that grow with the number of installments
// (≈1.3–1.5% per installment: card interest). Hence an asymmetric tolerance:
//   below: R$ 0.05 (5× the largest rounding difference seen);
//   above: R$ 0.05 + 2% of items + freight per installment of the payment with most installments (at least 1).
// The two real overpayments sit at 5.8% of an 8% limit and 13.0% of a 20% limit; a 5% overcharge paid in
// one installment, or any underpayment of more than 5 centavos, is a mismatch.
import type { Money } from '../shared/money.value-object';

export const PAYMENT_TOLERANCE = {
  underpaymentCentavos: 5,
  overpaymentCentavos: 5,
  overpaymentBasisPointsPerInstallment: 200,
} as const;

export interface ToleranceBand {
  /** Most centavos the payments may fall short of items + freight. */
  readonly under: number;
  /** Most centavos the payments may exceed items + freight. */
  readonly over: number;
}

export function toleranceFor(expected: Money, maxInstallments: number): ToleranceBand {
  const installments = Math.max(1, Math.floor(maxInstallments));
  const interest = Math.floor((Math.max(0, expected.centavos) * PAYMENT_TOLERANCE.overpaymentBasisPointsPerInstallment * installments) / 10_000);
  return { under: PAYMENT_TOLERANCE.underpaymentCentavos, over: PAYMENT_TOLERANCE.overpaymentCentavos + interest };
}

/** Whether `paid` is within the band around `expected`. */
export function withinTolerance(paid: Money, expected: Money, band: ToleranceBand): boolean {
  const diff = paid.centavos - expected.centavos;
  return diff >= -band.under && diff <= band.over;
}
