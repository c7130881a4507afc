// The sales payment policy of this worker: the domain's defaults, overridden by DW_PAYMENT_* in the environment.
import { z } from 'zod';
import { DEFAULT_PAYMENT_POLICY, type PaymentPolicy } from '../../domain/sales';
import { badInput } from '../errors';

const centavos = z.coerce.number().int().min(0).max(1_000_000_00);
const schema = z.object({
  /** Most centavos payments may fall short of items + freight and still be ordinary (default 5). */
  DW_PAYMENT_UNDER_CENTAVOS: centavos.optional(),
  /** Most centavos payments may exceed items + freight, before interest (default 5). */
  DW_PAYMENT_OVER_CENTAVOS: centavos.optional(),
  /** Interest allowed per installment, in basis points of items + freight (default 200 = 2%). */
  DW_PAYMENT_OVER_BP_PER_INSTALLMENT: z.coerce.number().int().min(0).max(10_000).optional(),
  /** Payments above items + freight by more than this many times items + freight are impossible: SALES.PAYMENT_MISMATCH (default 10). */
  DW_PAYMENT_IMPOSSIBLE_FACTOR: z.coerce.number().positive().max(1_000).optional(),
});

/**
 * The policy the sales rules judge payments by (domain/sales/payment-tolerance.policy.ts explains the defaults).
 * Outside the band an order is kept and flagged (fact_orders.payment_difference); beyond the factor it is rejected.
 * A bad value fails the activity without retries (CONFIG.INVALID), naming the variable. The policy is not part of the sales assets' code version: after a
 * change, re-validate with `dw materialize --select 'domain/sales/orders+' --force`.
 */
export function paymentPolicyFrom(env: NodeJS.ProcessEnv = process.env): PaymentPolicy {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // Non-retryable: the worker's environment is wrong, and retrying cannot fix it.
    throw badInput(
      'CONFIG.INVALID',
      `invalid payment tolerance in the environment (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): fix or unset these variables in the worker's environment`,
    );
  }
  const e = parsed.data;
  const d = DEFAULT_PAYMENT_POLICY;
  return {
    tolerance: {
      underpaymentCentavos: e.DW_PAYMENT_UNDER_CENTAVOS ?? d.tolerance.underpaymentCentavos,
      overpaymentCentavos: e.DW_PAYMENT_OVER_CENTAVOS ?? d.tolerance.overpaymentCentavos,
      overpaymentBasisPointsPerInstallment: e.DW_PAYMENT_OVER_BP_PER_INSTALLMENT ?? d.tolerance.overpaymentBasisPointsPerInstallment,
    },
    impossibleOverpaymentFactor: e.DW_PAYMENT_IMPOSSIBLE_FACTOR ?? d.impossibleOverpaymentFactor,
  };
}
