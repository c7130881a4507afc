// Tests for the Customer aggregate: purchases, idempotence by order id, first/last order and recency.
import { describe, it, expect } from 'vitest';
import { fromCentavos } from '../shared/money.value-object';
import { countsAsPurchase, linkCustomerId, newCustomer, orderCount, recencyDays, recordPurchase } from './customer.aggregate';

const buy = (orderId: string, purchaseAt: string, centavos: number) => ({
  orderId,
  customerId: `c-${orderId}`,
  purchaseAt,
  amount: fromCentavos(centavos),
});

describe('Customer aggregate', () => {
  it('when purchases are recorded in any order, then count, total and first/last order follow the data', () => {
    let c = newCustomer('u1');
    c = recordPurchase(c, buy('o2', '2018-03-01 10:00:00', 1000));
    c = recordPurchase(c, buy('o1', '2018-01-01 10:00:00', 250));
    c = recordPurchase(c, buy('o3', '2018-02-01 10:00:00', 1));
    expect(orderCount(c)).toBe(3);
    expect(c.totalSpent.centavos).toBe(1251);
    expect(c.firstOrderAt).toBe('2018-01-01 10:00:00');
    expect(c.lastOrderAt).toBe('2018-03-01 10:00:00');
    expect(c.customerIds).toEqual(['c-o2', 'c-o1', 'c-o3']);
  });

  it('when the same order is recorded twice, then it counts once', () => {
    const once = recordPurchase(newCustomer('u1'), buy('o1', '2018-01-01 10:00:00', 100));
    expect(recordPurchase(once, buy('o1', '2018-01-01 10:00:00', 100))).toBe(once);
    expect(linkCustomerId(once, 'c-o1')).toBe(once);
  });

  it('when recency is asked, then it is calendar days from the last order to the as-of moment, or null without orders', () => {
    const c = recordPurchase(newCustomer('u1'), buy('o1', '2018-01-01 23:59:00', 100));
    expect(recencyDays(c, '2018-01-02 00:01:00')).toBe(1);
    expect(recencyDays(newCustomer('u2'), '2018-01-02 00:00:00')).toBeNull();
  });

  it('when an order is delivered it counts as a purchase; canceled, unavailable or open orders do not', () => {
    expect(countsAsPurchase('delivered')).toBe(true);
    for (const s of ['canceled', 'unavailable', 'shipped', 'created']) expect(countsAsPurchase(s)).toBe(false);
  });
});
