// How far the payments of an order may stray from items + freight: ordinary, flagged, or impossible (SALES.PAYMENT_MISMATCH).
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
// one installment, or any underpayment of more than 5 centavos, is outside the band: the order is kept and flagged
// (its payment_difference counted as a warning), because real exports differ by vouchers and interest.
// Only an overpayment of more than IMPOSSIBLE_OVERPAYMENT_FACTOR times items + freight is impossible (no interest or
// voucher explains paying 11× the basket): SALES.PAYMENT_MISMATCH rejects the order. Underpayments are never impossible
// (missing payment rows and vouchers booked elsewhere occur in real exports).
import type { Money } from '../shared/money.value-object';

export interface PaymentToleranceSettings {
  readonly underpaymentCentavos: number;
  readonly overpaymentCentavos: number;
  readonly overpaymentBasisPointsPerInstallment: number;
}

export const PAYMENT_TOLERANCE: PaymentToleranceSettings = {
  underpaymentCentavos: 5,
  overpaymentCentavos: 5,
  overpaymentBasisPointsPerInstallment: 200,
};

/** Payments may exceed items + freight by at most this many times items + freight; beyond, the order is rejected. */
export const IMPOSSIBLE_OVERPAYMENT_FACTOR = 10;

/** The configurable payment policy: the ordinary band, and the bound beyond which a payment is impossible. */
export interface PaymentPolicy {
  readonly tolerance: PaymentToleranceSettings;
  readonly impossibleOverpaymentFactor: number;
}

export const DEFAULT_PAYMENT_POLICY: PaymentPolicy = {
  tolerance: PAYMENT_TOLERANCE,
  impossibleOverpaymentFactor: IMPOSSIBLE_OVERPAYMENT_FACTOR,
};

/** within: an ordinary difference; outside: kept and flagged; impossible: the order is rejected. */
export type PaymentVerdict = 'within' | 'outside' | 'impossible';

export interface ToleranceBand {
  /** Most centavos the payments may fall short of items + freight. */
  readonly under: number;
  /** Most centavos the payments may exceed items + freight. */
  readonly over: number;
}

export function toleranceFor(
  expected: Money,
  maxInstallments: number,
  tolerance: PaymentPolicy['tolerance'] = PAYMENT_TOLERANCE,
): ToleranceBand {
  const installments = Math.max(1, Math.floor(maxInstallments));
  const interest = Math.floor((Math.max(0, expected.centavos) * tolerance.overpaymentBasisPointsPerInstallment * installments) / 10_000);
  // Installments are any 9-digit integer in the contract: the band stays an exact (safe) integer of centavos.
  return { under: tolerance.underpaymentCentavos, over: Math.min(Number.MAX_SAFE_INTEGER, tolerance.overpaymentCentavos + interest) };
}

/** Whether `paid` is within the band around `expected`. */
export function withinTolerance(paid: Money, expected: Money, band: ToleranceBand): boolean {
  const diff = paid.centavos - expected.centavos;
  return diff >= -band.under && diff <= band.over;
}

/** Classifies the difference between `paid` and `expected` (items + freight) under the policy. */
export function paymentVerdict(
  paid: Money,
  expected: Money,
  maxInstallments: number,
  policy: PaymentPolicy = DEFAULT_PAYMENT_POLICY,
): PaymentVerdict {
  if (paid.centavos - expected.centavos > policy.impossibleOverpaymentFactor * Math.max(0, expected.centavos)) return 'impossible';
  return withinTolerance(paid, expected, toleranceFor(expected, maxInstallments, policy.tolerance)) ? 'within' : 'outside';
}
