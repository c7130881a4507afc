// Tests for the Order aggregate: each invariant passing and failing, with its rule code and a readable reason.
import { describe, it, expect } from 'vitest';
import { stagedItem, stagedOrder, stagedPayment } from '../fixtures/sales-rows.fixture';
import * as Money from '../shared/money.value-object';
import { createOrder, orderTotals } from './order.aggregate';
import type { StagedItem, StagedOrder, StagedPayment } from './sales-staged.types';

const build = (order: Partial<StagedOrder> = {}, items: StagedItem[] = [stagedItem()], payments: StagedPayment[] = [stagedPayment()]) =>
  createOrder(stagedOrder(order), items, payments);

const failure = (r: ReturnType<typeof build>) => {
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
};

describe('Order aggregate', () => {
  it('when every invariant holds, then the order is built with sorted items, payments and exact totals', () => {
    const r = build(
      {},
      [stagedItem({ orderItemId: 2, price: '0.10' }), stagedItem({ orderItemId: 1, price: '0.20', freightValue: '0.00' })],
      [stagedPayment({ paymentValue: '10.30' })],
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.items.map((i) => i.orderItemId)).toEqual([1, 2]);
    const totals = orderTotals(r.value);
    expect(Money.toDecimalString(totals.items)).toBe('0.30');
    expect(Money.toDecimalString(totals.freight)).toBe('10.00');
    expect(Money.toDecimalString(totals.payments)).toBe('10.30');
  });

  describe('SALES.UNKNOWN_STATUS', () => {
    it('when the status is not an Olist status, then the order is rejected', () => {
      expect(failure(build({ orderStatus: 'lost' }))).toMatchObject({
        code: 'SALES.UNKNOWN_STATUS',
        message: expect.stringMatching(/^order o1: status 'lost'/),
      });
    });
  });

  describe('SALES.TIMESTAMPS_OUT_OF_ORDER', () => {
    it('when delivery comes before purchase, then the reason names both timestamps', () => {
      const e = failure(
        build({
          purchaseAt: '2017-01-05 09:00:00',
          approvedAt: '2017-01-05 10:00:00',
          deliveredCarrierAt: '2017-01-06 10:00:00',
          deliveredCustomerAt: '2017-01-02 10:00:00',
        }),
      );
      expect(e).toEqual({
        code: 'SALES.TIMESTAMPS_OUT_OF_ORDER',
        message: 'order o1: delivered 2017-01-02 10:00:00 before purchase 2017-01-05 09:00:00',
      });
    });
    it('when delivery comes before purchase and the middle timestamps are missing, then it is still caught', () => {
      const e = failure(build({ approvedAt: null, deliveredCarrierAt: null, deliveredCustomerAt: '2017-01-02 10:00:00' }));
      expect(e.code).toBe('SALES.TIMESTAMPS_OUT_OF_ORDER');
    });
    it('when the carrier hand-off precedes approval (as in 23 of the 1,000 sample orders), then the order passes: approvals are booked in batches', () => {
      expect(build({ approvedAt: '2017-01-06 16:32:43', deliveredCarrierAt: '2017-01-06 14:25:00' }).ok).toBe(true);
    });
    it('when the carrier hand-off is on the purchase day but earlier in the day (coarse hand-off times), then the order passes', () => {
      expect(
        build({ approvedAt: null, deliveredCarrierAt: '2017-01-05 08:00:00', orderStatus: 'shipped', deliveredCustomerAt: null }).ok,
      ).toBe(true);
    });
    it('when the carrier hand-off is on a day before the purchase, then the order is rejected', () => {
      const e = failure(build({ deliveredCarrierAt: '2017-01-04 14:25:00' }));
      expect(e.message).toMatch(/^order o1: handed to carrier 2017-01-04 14:25:00 before purchase/);
    });
    it('when delivery precedes the purchase, then the order is rejected', () => {
      expect(failure(build({ deliveredCustomerAt: '2017-01-01 10:00:00' })).code).toBe('SALES.TIMESTAMPS_OUT_OF_ORDER');
    });
    it('when approval precedes purchase, then the order is rejected', () => {
      expect(failure(build({ approvedAt: '2017-01-05 08:59:59' })).message).toContain('approved 2017-01-05 08:59:59 before purchase');
    });
    it('when timestamps are equal or later ones are missing, then the order passes', () => {
      expect(
        build({ approvedAt: '2017-01-05 09:00:00', deliveredCarrierAt: null, deliveredCustomerAt: null, orderStatus: 'approved' }).ok,
      ).toBe(true);
    });
  });

  describe('SALES.MALFORMED_VALUE', () => {
    it('when the purchase timestamp is missing, then the order is rejected', () => {
      expect(failure(build({ purchaseAt: null }))).toEqual({
        code: 'SALES.MALFORMED_VALUE',
        message: 'order o1: purchase timestamp is missing',
      });
    });
    it('when a timestamp is not in the naive format, then the order is rejected naming the field', () => {
      expect(failure(build({ estimatedDeliveryAt: '2017-01-20' })).message).toBe(
        "order o1: estimatedDeliveryAt '2017-01-20' is not a 'YYYY-MM-DD HH:MM:SS' timestamp",
      );
    });
    it('when an item price, freight or shipping limit is malformed, then the item is the culprit', () => {
      expect(failure(build({}, [stagedItem({ price: '12,50', sourceRow: 7 })]))).toMatchObject({
        code: 'SALES.MALFORMED_VALUE',
        culprit: { table: 'items', sourceRow: 7 },
      });
      expect(failure(build({}, [stagedItem({ freightValue: 'x' })])).code).toBe('SALES.MALFORMED_VALUE');
      expect(failure(build({}, [stagedItem({ shippingLimitAt: 'soon' })])).message).toContain("shipping limit 'soon'");
    });
    it('when a payment value, sequential or installment count is malformed, then the payment is the culprit', () => {
      expect(failure(build({}, undefined, [stagedPayment({ paymentValue: '', sourceRow: 9 })]))).toMatchObject({
        code: 'SALES.MALFORMED_VALUE',
        culprit: { table: 'payments', sourceRow: 9 },
      });
      expect(failure(build({}, undefined, [stagedPayment({ paymentSequential: 0 })])).message).toContain('payment sequential 0');
      expect(failure(build({}, undefined, [stagedPayment({ paymentInstallments: -1 })])).message).toContain('installments -1');
    });
  });

  describe('SALES.NON_POSITIVE_PRICE and SALES.NEGATIVE_FREIGHT', () => {
    it('when an item costs 0.00, then the order is rejected and the item named as culprit', () => {
      const e = failure(build({}, [stagedItem({ price: '0.00', sourceRow: 4 })], [stagedPayment({ paymentValue: '10.00' })]));
      expect(e).toEqual({
        code: 'SALES.NON_POSITIVE_PRICE',
        message: 'order o1: item 1 has price 0.00, which is not positive',
        culprit: { table: 'items', sourceRow: 4, message: 'item 1 of order o1: item 1 has price 0.00, which is not positive' },
      });
    });
    it('when an item has negative freight, then the order is rejected', () => {
      expect(failure(build({}, [stagedItem({ freightValue: '-0.01' })])).message).toBe('order o1: item 1 has negative freight -0.01');
    });
    it('when freight is zero and price positive, then the item passes', () => {
      expect(build({}, [stagedItem({ freightValue: '0.00' })], [stagedPayment({ paymentValue: '100.00' })]).ok).toBe(true);
    });
  });

  describe('SALES.ITEM_SEQUENCE_GAP', () => {
    it('when item ids skip a number or repeat, then the order is rejected', () => {
      const p = [stagedPayment({ paymentValue: '220.00' })];
      expect(failure(build({}, [stagedItem({ orderItemId: 1 }), stagedItem({ orderItemId: 3 })], p))).toEqual({
        code: 'SALES.ITEM_SEQUENCE_GAP',
        message: 'order o1: item ids [1, 3] are not 1..2',
      });
      expect(failure(build({}, [stagedItem({ orderItemId: 1 }), stagedItem({ orderItemId: 1 })], p)).code).toBe('SALES.ITEM_SEQUENCE_GAP');
      expect(failure(build({}, [stagedItem({ orderItemId: 2 })])).code).toBe('SALES.ITEM_SEQUENCE_GAP');
    });
  });

  describe('SALES.DUPLICATE_PAYMENT', () => {
    it('when two payments share a sequential number, then the order is rejected with the second as culprit', () => {
      const e = failure(
        build({}, undefined, [
          stagedPayment({ paymentValue: '55.00', sourceRow: 1 }),
          stagedPayment({ paymentValue: '55.00', sourceRow: 2 }),
        ]),
      );
      expect(e).toMatchObject({ code: 'SALES.DUPLICATE_PAYMENT', culprit: { table: 'payments', sourceRow: 2 } });
    });
  });

  describe('SALES.DELIVERED_WITHOUT_ITEMS', () => {
    it('when a delivered order has no items, then it is rejected', () => {
      expect(failure(build({}, [], []))).toEqual({
        code: 'SALES.DELIVERED_WITHOUT_ITEMS',
        message: 'order o1: status is delivered but the order has no items',
      });
    });
    it('when an unavailable or canceled order has no items but has payments, then it passes', () => {
      const st = { deliveredCarrierAt: null, deliveredCustomerAt: null };
      expect(build({ ...st, orderStatus: 'unavailable' }, [], [stagedPayment({ paymentValue: '61.73' })]).ok).toBe(true);
      expect(build({ ...st, orderStatus: 'canceled' }, [], []).ok).toBe(true);
    });
  });

  describe('payments vs items + freight', () => {
    const check = (payments: StagedPayment[]) => {
      const r = build({}, undefined, payments);
      if (!r.ok) throw new Error(r.error.message);
      return (
        r.value.paymentCheck && {
          difference: Money.toSignedDecimalString(r.value.paymentCheck.difference),
          verdict: r.value.paymentCheck.verdict,
        }
      );
    };
    it('when payments fall far below items + freight, then the order is kept with its difference, outside the band', () => {
      expect(check([stagedPayment({ paymentValue: '50.00' })])).toEqual({ difference: '-60.00', verdict: 'outside' });
    });
    it('when an order with items has no payment at all, then it is kept and flagged', () => {
      expect(check([])).toEqual({ difference: '-110.00', verdict: 'outside' });
    });
    it('when a single-installment payment is above the band, then it is flagged; with 10 installments the same excess is within', () => {
      expect(check([stagedPayment({ paymentValue: '125.00' })])).toEqual({ difference: '+15.00', verdict: 'outside' });
      expect(check([stagedPayment({ paymentValue: '125.00', paymentInstallments: 10 })])).toEqual({
        difference: '+15.00',
        verdict: 'within',
      });
    });
    it('when a voucher and a card split the total, then their sum is compared', () => {
      expect(
        check([
          stagedPayment({ paymentValue: '60.00' }),
          stagedPayment({ paymentSequential: 2, paymentType: 'voucher', paymentValue: '50.00' }),
        ]),
      ).toEqual({ difference: '0.00', verdict: 'within' });
    });
    it('when the order has no items, then there is nothing to compare', () => {
      const r = build({ orderStatus: 'canceled', deliveredCarrierAt: null, deliveredCustomerAt: null }, [], [stagedPayment()]);
      expect(r.ok && r.value.paymentCheck).toBeNull();
    });
  });

  describe('SALES.PAYMENT_MISMATCH (impossible overpayment)', () => {
    it('when payments exceed items + freight by more than 10 times items + freight, then the order is rejected with both sums', () => {
      expect(failure(build({}, undefined, [stagedPayment({ paymentValue: '99999.99' })]))).toEqual({
        code: 'SALES.PAYMENT_MISMATCH',
        message:
          'order o1: payments 99999.99 exceed items + freight 110.00 by +99889.99, more than 10× items + freight (the ordinary band is +2.25 for 1 installment(s)): impossible for the order',
      });
    });
    it('when the excess is exactly 10 times items + freight, then it is kept (outside the band)', () => {
      expect(build({}, undefined, [stagedPayment({ paymentValue: '1210.00' })]).ok).toBe(true);
      expect(failure(build({}, undefined, [stagedPayment({ paymentValue: '1210.01' })])).code).toBe('SALES.PAYMENT_MISMATCH');
    });
    it('when a custom policy lowers the bound, then it applies', () => {
      const policy = {
        tolerance: { underpaymentCentavos: 5, overpaymentCentavos: 5, overpaymentBasisPointsPerInstallment: 200 },
        impossibleOverpaymentFactor: 1,
      };
      const r = createOrder(stagedOrder(), [stagedItem()], [stagedPayment({ paymentValue: '230.00' })], policy);
      expect(!r.ok && r.error.code).toBe('SALES.PAYMENT_MISMATCH');
    });
  });

  describe('SALES.NEGATIVE_PAYMENT', () => {
    it('when a payment value is negative, then the order is rejected and the payment row is the culprit', () => {
      expect(failure(build({}, undefined, [stagedPayment({ paymentValue: '-10.00', sourceRow: 7 })]))).toEqual({
        code: 'SALES.NEGATIVE_PAYMENT',
        message: 'order o1: payment value -10.00 is negative',
        culprit: { table: 'payments', sourceRow: 7, message: 'payment 1 of order o1: payment value -10.00 is negative' },
      });
    });
  });
});
