// Customer aggregate: the person (customer_unique_id) behind many per-order customer_ids, with purchase metrics.
import * as Money from '../shared/money.value-object';
import { daysBetweenDates } from '../shared/naive-time.util';

export interface Purchase {
  readonly orderId: string;
  readonly customerId: string;
  readonly purchaseAt: string;
  readonly amount: Money.Money;
}

export interface Customer {
  readonly customerUniqueId: string;
  readonly customerIds: readonly string[];
  readonly orderIds: readonly string[];
  readonly totalSpent: Money.Money;
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
}

/**
 * Which orders count as purchases in the metrics: delivered ones (realised sales). Canceled, unavailable and
 * still-open orders do not; a person whose orders are all still open is NEW.
 */
export const countsAsPurchase = (orderStatus: string): boolean => orderStatus === 'delivered';

export const newCustomer = (customerUniqueId: string): Customer => ({
  customerUniqueId,
  customerIds: [],
  orderIds: [],
  totalSpent: Money.ZERO,
  firstOrderAt: null,
  lastOrderAt: null,
});

/** Links a per-order customer_id to the person (idempotent). */
export function linkCustomerId(c: Customer, customerId: string): Customer {
  return c.customerIds.includes(customerId) ? c : { ...c, customerIds: [...c.customerIds, customerId] };
}

/** Adds a purchase to the metrics; a purchase already counted (same order id) is ignored. */
export function recordPurchase(c: Customer, p: Purchase): Customer {
  if (c.orderIds.includes(p.orderId)) return c;
  return {
    ...linkCustomerId(c, p.customerId),
    orderIds: [...c.orderIds, p.orderId],
    totalSpent: Money.add(c.totalSpent, p.amount),
    firstOrderAt: c.firstOrderAt === null || p.purchaseAt < c.firstOrderAt ? p.purchaseAt : c.firstOrderAt,
    lastOrderAt: c.lastOrderAt === null || p.purchaseAt > c.lastOrderAt ? p.purchaseAt : c.lastOrderAt,
  };
}

export const orderCount = (c: Customer): number => c.orderIds.length;

/** Calendar days from the last order to the as-of moment; null without orders. */
export const recencyDays = (c: Customer, asOf: string): number | null =>
  c.lastOrderAt === null ? null : daysBetweenDates(c.lastOrderAt, asOf);
