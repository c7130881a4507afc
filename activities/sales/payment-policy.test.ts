// The payment tolerance is configurable (DW_PAYMENT_*): parsed with the defaults, bad values named, and applied by the rules.
import { describe, expect, it } from 'vitest';
import { paymentPolicyFrom } from './payment-policy';
import { DEFAULT_PAYMENT_POLICY, validateSalesPartition } from '../../domain/sales';

const SHA = 'f'.repeat(64);
const order = {
  orderId: 'a'.repeat(32),
  customerId: 'b'.repeat(32),
  orderStatus: 'delivered',
  purchaseAt: '2018-01-01 10:00:00',
  approvedAt: null,
  deliveredCarrierAt: null,
  deliveredCustomerAt: null,
  estimatedDeliveryAt: null,
  sourceRow: 1,
  sourceSha256: SHA,
};
const item = {
  orderId: order.orderId,
  orderItemId: 1,
  productId: 'c'.repeat(32),
  sellerId: 'd'.repeat(32),
  shippingLimitAt: null,
  price: '100.00',
  freightValue: '0.00',
  sourceRow: 1,
  sourceSha256: SHA,
};
const payment = (paymentValue: string) => ({
  orderId: order.orderId,
  paymentSequential: 1,
  paymentType: 'credit_card',
  paymentInstallments: 1,
  paymentValue,
  sourceRow: 1,
  sourceSha256: SHA,
});
const judge = (paid: string, env: NodeJS.ProcessEnv) => {
  const v = validateSalesPartition({ orders: [order], items: [item], payments: [payment(paid)] }, paymentPolicyFrom(env));
  return v.orders[0] ? (v.orders[0].paymentOutsideTolerance ? 'flagged' : 'kept') : v.quarantined[0]!.ruleCode;
};

describe('payment tolerance from the environment', () => {
  it('when no DW_PAYMENT_* is set, then the policy is the domain default', () => {
    expect(paymentPolicyFrom({})).toEqual(DEFAULT_PAYMENT_POLICY);
  });

  it('when the band and the impossible factor are set, then the same payments are judged by them', () => {
    // R$ 100 basket, one installment: the default band is -0.05 … +2.05; 10× over is impossible.
    expect([judge('99.00', {}), judge('103.00', {}), judge('350.00', {})]).toEqual(['flagged', 'flagged', 'flagged']);
    const loose = {
      DW_PAYMENT_UNDER_CENTAVOS: '100',
      DW_PAYMENT_OVER_CENTAVOS: '300',
      DW_PAYMENT_OVER_BP_PER_INSTALLMENT: '0',
      DW_PAYMENT_IMPOSSIBLE_FACTOR: '2',
    };
    expect(paymentPolicyFrom(loose)).toEqual({
      tolerance: { underpaymentCentavos: 100, overpaymentCentavos: 300, overpaymentBasisPointsPerInstallment: 0 },
      impossibleOverpaymentFactor: 2,
    });
    expect([judge('99.00', loose), judge('103.00', loose), judge('350.00', loose)]).toEqual(['kept', 'kept', 'SALES.PAYMENT_MISMATCH']);
  });

  it('when a value is not a non-negative integer, then it fails fast naming the variable', () => {
    expect(() => paymentPolicyFrom({ DW_PAYMENT_UNDER_CENTAVOS: '-1' })).toThrow(
      /invalid payment tolerance in the environment \(DW_PAYMENT_UNDER_CENTAVOS: .*fix or unset/,
    );
    expect(() => paymentPolicyFrom({ DW_PAYMENT_IMPOSSIBLE_FACTOR: 'ten' })).toThrow(/DW_PAYMENT_IMPOSSIBLE_FACTOR/);
  });
});
