// Order aggregate: an order with its items and payments, built only when every sales invariant holds.

import * as Money from '../shared/money.value-object';
import { datePart, isNaiveTimestamp } from '../shared/naive-time.util';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { createOrderItem, itemSequenceGap, type OrderItem } from './order-item.entity';
import { createOrderPayment, type OrderPayment } from './order-payment.entity';
import { parseOrderStatus, type OrderStatus } from './order-status.state-machine';
import { DEFAULT_PAYMENT_POLICY, paymentVerdict, toleranceFor, type PaymentPolicy, type PaymentVerdict } from './payment-tolerance.policy';
import { rejection, SALES_RULES, type OrderRejection } from './sales.errors';
import type { StagedItem, StagedOrder, StagedPayment } from './sales-staged.types';

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly purchaseAt: string;
  readonly approvedAt: string | null;
  readonly deliveredCarrierAt: string | null;
  readonly deliveredCustomerAt: string | null;
  readonly estimatedDeliveryAt: string | null;
  readonly items: readonly OrderItem[];
  readonly payments: readonly OrderPayment[];
  /** Payments − (items + freight) and how the policy judged it; null for an order without items (nothing to compare). */
  readonly paymentCheck: PaymentCheck | null;
  readonly provenance: SourceProvenance;
}

export interface PaymentCheck {
  readonly difference: Money.Money;
  readonly verdict: Exclude<PaymentVerdict, 'impossible'>;
}

export interface OrderTotals {
  readonly items: Money.Money;
  readonly freight: Money.Money;
  readonly payments: Money.Money;
}

export function orderTotals(order: Pick<Order, 'items' | 'payments'>): OrderTotals {
  return {
    items: Money.sum(order.items.map((i) => i.price)),
    freight: Money.sum(order.items.map((i) => i.freight)),
    payments: Money.sum(order.payments.map((p) => p.value)),
  };
}

/** The lifecycle timestamps in the order they must happen, with words for reasons. */
const CHAIN = [
  { field: 'purchaseAt', happened: 'purchased', moment: 'purchase' },
  { field: 'approvedAt', happened: 'approved', moment: 'approval' },
  { field: 'deliveredCarrierAt', happened: 'handed to carrier', moment: 'carrier hand-off' },
  { field: 'deliveredCustomerAt', happened: 'delivered', moment: 'delivery' },
] as const;

const TIMESTAMP_FIELDS = [...CHAIN.map((c) => c.field), 'estimatedDeliveryAt'] as const;

/**
 * Nothing happens before the purchase: purchase ≤ approved, carrier hand-off, delivery (where present).
 * The carrier hand-off is recorded at a coarse time (often on the hour), so it is compared with the purchase by
 * date: 4 of the 1,000 sample orders were handed over "40 minutes before" a purchase on the same day.
 * Two orderings are deliberately not sales rules. Approval after the carrier hand-off is a recording quirk
 * of the source (approvals are booked in batches: 23 of the 1,000 sample orders, all delivered), not a bad
 * order. Delivery before hand-off is the fulfillment context's rule (FULFILLMENT.DELIVERED_BEFORE_HANDOFF).
 */
function timestampOrderViolation(row: StagedOrder): string | null {
  const [purchase, ...later] = CHAIN;
  const purchaseAt = row.purchaseAt as string;
  for (const step of later) {
    const at = row[step.field];
    if (at === null) continue;
    const early = step.field === 'deliveredCarrierAt' ? datePart(at) < datePart(purchaseAt) : at < purchaseAt;
    if (early) return `${step.happened} ${at} before ${purchase.moment} ${purchaseAt}`;
  }
  return null;
}

function checkOrderRow(row: StagedOrder): Result<{ status: OrderStatus; purchaseAt: string }, OrderRejection> {
  const fail = (code: OrderRejection['code'], what: string) => err(rejection(code, `order ${row.orderId}: ${what}`));
  const status = parseOrderStatus(row.orderStatus);
  if (!status.ok) return fail(SALES_RULES.UNKNOWN_STATUS, status.error);
  if (row.purchaseAt === null) return fail(SALES_RULES.MALFORMED_VALUE, 'purchase timestamp is missing');
  for (const field of TIMESTAMP_FIELDS) {
    const value = row[field];
    if (value !== null && !isNaiveTimestamp(value))
      return fail(SALES_RULES.MALFORMED_VALUE, `${field} '${value}' is not a 'YYYY-MM-DD HH:MM:SS' timestamp`);
  }
  const disorder = timestampOrderViolation(row);
  if (disorder !== null) return fail(SALES_RULES.TIMESTAMPS_OUT_OF_ORDER, disorder);
  return ok({ status: status.value, purchaseAt: row.purchaseAt });
}

/**
 * Most centavos an order's items + freight, or its payments, may add up to: R$ 1,000,000,000.00. Far above any
 * marketplace order (the sample's largest is under R$ 14,000), and low enough that every sum the contexts make of
 * valid orders (a person's spend, a month's) stays an exact integer. The contract allows R$ 9,999,999,999.99 per row.
 */
export const MAX_ORDER_AMOUNT_CENTAVOS = 100_000_000_000;

/** A description of the order's amounts beyond MAX_ORDER_AMOUNT_CENTAVOS, or null (float sums: only compared). */
function amountsOutOfRange(items: readonly OrderItem[], payments: readonly OrderPayment[]): string | null {
  const basket = items.reduce((n, i) => n + i.price.centavos + i.freight.centavos, 0);
  const paid = payments.reduce((n, p) => n + p.value.centavos, 0);
  const limit = Money.toDecimalString(Money.fromCentavos(MAX_ORDER_AMOUNT_CENTAVOS));
  if (basket > MAX_ORDER_AMOUNT_CENTAVOS) return `items + freight add up to more than ${limit}, beyond any order`;
  if (paid > MAX_ORDER_AMOUNT_CENTAVOS) return `payments add up to more than ${limit}, beyond any order`;
  return null;
}

function collect<T, S>(rows: readonly S[], build: (row: S) => Result<T, OrderRejection>): Result<T[], OrderRejection> {
  const out: T[] = [];
  for (const row of rows) {
    const built = build(row);
    if (!built.ok) return built;
    out.push(built.value);
  }
  return ok(out);
}

function duplicatePayment(payments: readonly OrderPayment[]): OrderRejection | null {
  const seen = new Set<number>();
  for (const p of payments) {
    if (seen.has(p.paymentSequential)) {
      const what = `payment sequential ${p.paymentSequential} appears more than once`;
      return rejection(SALES_RULES.DUPLICATE_PAYMENT, `order ${p.orderId}: ${what}`, {
        table: 'payments',
        sourceRow: p.provenance.sourceRow,
        message: `payment ${p.paymentSequential} of order ${p.orderId}: ${what}`,
      });
    }
    seen.add(p.paymentSequential);
  }
  return null;
}

function checkPayments(
  orderId: string,
  items: readonly OrderItem[],
  payments: readonly OrderPayment[],
  policy: PaymentPolicy,
): Result<PaymentCheck | null, OrderRejection> {
  if (items.length === 0) return ok(null); // canceled/unavailable orders often have payments but no items: nothing to compare
  const totals = orderTotals({ items, payments });
  const expected = Money.add(totals.items, totals.freight);
  const installments = Math.max(1, ...payments.map((p) => p.paymentInstallments));
  const verdict = paymentVerdict(totals.payments, expected, installments, policy);
  const difference = Money.sub(totals.payments, expected);
  if (verdict !== 'impossible') return ok({ difference, verdict });
  const band = toleranceFor(expected, installments, policy.tolerance);
  return err(
    rejection(
      SALES_RULES.PAYMENT_MISMATCH,
      `order ${orderId}: payments ${Money.toDecimalString(totals.payments)} exceed items + freight ${Money.toDecimalString(expected)} by ${Money.toSignedDecimalString(difference)}, more than ${policy.impossibleOverpaymentFactor}× items + freight (the ordinary band is +${Money.toDecimalString(Money.fromCentavos(band.over))} for ${installments} installment(s)): impossible for the order`,
    ),
  );
}

/**
 * Builds the aggregate from an order row and the rows that belong to it (same order id), checking in this order:
 * status, timestamps well-formed and ordered, items (well-formed, price > 0, freight ≥ 0, ids 1..n),
 * payments (well-formed, not negative, sequential unique), amounts within MAX_ORDER_AMOUNT_CENTAVOS, a delivered order has items, and payments are not
 * impossibly above items + freight (a difference short of that is kept in `paymentCheck`, judged by the policy).
 */
export function createOrder(
  row: StagedOrder,
  itemRows: readonly StagedItem[],
  paymentRows: readonly StagedPayment[],
  policy: PaymentPolicy = DEFAULT_PAYMENT_POLICY,
): Result<Order, OrderRejection> {
  const checked = checkOrderRow(row);
  if (!checked.ok) return checked;
  const items = collect(itemRows, createOrderItem);
  if (!items.ok) return items;
  const gap = itemSequenceGap(items.value.map((i) => i.orderItemId));
  if (gap !== null) return err(rejection(SALES_RULES.ITEM_SEQUENCE_GAP, `order ${row.orderId}: ${gap}`));
  const payments = collect(paymentRows, createOrderPayment);
  if (!payments.ok) return payments;
  const duplicate = duplicatePayment(payments.value);
  if (duplicate !== null) return err(duplicate);
  const huge = amountsOutOfRange(items.value, payments.value);
  if (huge !== null) return err(rejection(SALES_RULES.MALFORMED_VALUE, `order ${row.orderId}: ${huge}`));
  if (checked.value.status === 'delivered' && items.value.length === 0) {
    return err(rejection(SALES_RULES.DELIVERED_WITHOUT_ITEMS, `order ${row.orderId}: status is delivered but the order has no items`));
  }
  const paymentCheck = checkPayments(row.orderId, items.value, payments.value, policy);
  if (!paymentCheck.ok) return paymentCheck;

  return ok({
    orderId: row.orderId,
    customerId: row.customerId,
    status: checked.value.status,
    purchaseAt: checked.value.purchaseAt,
    approvedAt: row.approvedAt,
    deliveredCarrierAt: row.deliveredCarrierAt,
    deliveredCustomerAt: row.deliveredCustomerAt,
    estimatedDeliveryAt: row.estimatedDeliveryAt,
    items: [...items.value].sort((a, b) => a.orderItemId - b.orderItemId),
    payments: [...payments.value].sort((a, b) => a.paymentSequential - b.paymentSequential),
    paymentCheck: paymentCheck.value,
    provenance: { sourceRow: row.sourceRow, sourceSha256: row.sourceSha256 },
  });
}
