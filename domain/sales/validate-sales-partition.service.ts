// Entry point of the sales context: validates one partition of orders, items and payments; every row ends valid or quarantined.
import type { DomainEvent } from '../shared/domain-event.base';
import * as Money from '../shared/money.value-object';
import { quarantine, type QuarantineRecord, type SourceProvenance } from '../shared/quarantine-record.type';
import { createOrder, orderTotals, type Order } from './order.aggregate';
import { DEFAULT_PAYMENT_POLICY, type PaymentPolicy } from './payment-tolerance.policy';
import { orderEvents } from './order-events.factory';
import type { OrderStatus } from './order-status.state-machine';
import { SALES_RULES, type OrderRejection } from './sales.errors';
import type { StagedItem, StagedOrder, StagedPayment } from './sales-staged.types';

export type SalesTable = 'orders' | 'items' | 'payments';

export interface SalesPartitionInput {
  readonly orders: readonly StagedOrder[];
  readonly items: readonly StagedItem[];
  readonly payments: readonly StagedPayment[];
}

export interface ValidOrder extends SourceProvenance {
  readonly orderId: string;
  readonly customerId: string;
  readonly orderStatus: OrderStatus;
  readonly purchaseAt: string;
  readonly approvedAt: string | null;
  readonly deliveredCarrierAt: string | null;
  readonly deliveredCustomerAt: string | null;
  readonly estimatedDeliveryAt: string | null;
  readonly itemCount: number;
  readonly itemsTotal: string;
  readonly freightTotal: string;
  readonly paymentsTotal: string;
  /** Payments − (items + freight), signed; null when the order has no items. */
  readonly paymentDifference: string | null;
  /** True when that difference is outside the policy's ordinary band (the order is kept and flagged). */
  readonly paymentOutsideTolerance: boolean;
}

export interface ValidItem extends SourceProvenance {
  readonly orderId: string;
  readonly orderItemId: number;
  readonly productId: string;
  readonly sellerId: string;
  readonly shippingLimitAt: string | null;
  readonly price: string;
  readonly freightValue: string;
}

export interface ValidPayment extends SourceProvenance {
  readonly orderId: string;
  readonly paymentSequential: number;
  readonly paymentType: string;
  readonly paymentInstallments: number;
  readonly paymentValue: string;
}

export interface SalesPartitionValidation {
  readonly orders: ValidOrder[];
  readonly items: ValidItem[];
  readonly payments: ValidPayment[];
  readonly quarantined: QuarantineRecord<SalesTable>[];
  readonly events: DomainEvent[];
}

function groupByOrder<T extends { orderId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.orderId, [...(groups.get(row.orderId) ?? []), row]);
  return groups;
}

function toValid(order: Order): { order: ValidOrder; items: ValidItem[]; payments: ValidPayment[] } {
  const totals = orderTotals(order);
  return {
    order: {
      orderId: order.orderId,
      customerId: order.customerId,
      orderStatus: order.status,
      purchaseAt: order.purchaseAt,
      approvedAt: order.approvedAt,
      deliveredCarrierAt: order.deliveredCarrierAt,
      deliveredCustomerAt: order.deliveredCustomerAt,
      estimatedDeliveryAt: order.estimatedDeliveryAt,
      itemCount: order.items.length,
      itemsTotal: Money.toDecimalString(totals.items),
      freightTotal: Money.toDecimalString(totals.freight),
      paymentsTotal: Money.toDecimalString(totals.payments),
      paymentDifference: order.paymentCheck === null ? null : Money.toDecimalString(order.paymentCheck.difference),
      paymentOutsideTolerance: order.paymentCheck?.verdict === 'outside',
      ...order.provenance,
    },
    items: order.items.map((i) => ({
      orderId: i.orderId,
      orderItemId: i.orderItemId,
      productId: i.productId,
      sellerId: i.sellerId,
      shippingLimitAt: i.shippingLimitAt,
      price: Money.toDecimalString(i.price),
      freightValue: Money.toDecimalString(i.freight),
      ...i.provenance,
    })),
    payments: order.payments.map((p) => ({
      orderId: p.orderId,
      paymentSequential: p.paymentSequential,
      paymentType: p.paymentType,
      paymentInstallments: p.paymentInstallments,
      paymentValue: Money.toDecimalString(p.value),
      ...p.provenance,
    })),
  };
}

/** Quarantines the order rows and every child row; the culprit child gets its own message, its siblings name the parent. */
function quarantineOrder(
  orderRows: readonly StagedOrder[],
  items: readonly StagedItem[],
  payments: readonly StagedPayment[],
  why: OrderRejection,
): QuarantineRecord<SalesTable>[] {
  const child = (table: 'items' | 'payments', row: SourceProvenance, label: string) =>
    why.culprit !== undefined && why.culprit.table === table && why.culprit.sourceRow === row.sourceRow
      ? quarantine(table, row, why.code, why.culprit.message)
      : quarantine(table, row, why.code, `${label} quarantined with its order: ${why.message}`);
  return [
    ...orderRows.map((row) => quarantine('orders' as const, row, why.code, why.message)),
    ...items.map((row) => child('items', row, `item ${row.orderItemId} of order ${row.orderId}`)),
    ...payments.map((row) => child('payments', row, `payment ${row.paymentSequential} of order ${row.orderId}`)),
  ];
}

/**
 * Validates the orders of one partition with their items and payments. A rejected order takes its items and
 * payments into quarantine with its rule code; items and payments of no order are orphans; an order id seen
 * more than once is rejected in every copy (we cannot tell which copy is right). Payments that differ from items +
 * freight beyond the policy's band are kept and flagged (`paymentOutsideTolerance`); only impossible ones reject.
 */
export function validateSalesPartition(
  input: SalesPartitionInput,
  policy: PaymentPolicy = DEFAULT_PAYMENT_POLICY,
): SalesPartitionValidation {
  const out: SalesPartitionValidation = { orders: [], items: [], payments: [], quarantined: [], events: [] };
  const ordersById = groupByOrder(input.orders);
  const itemsByOrder = groupByOrder(input.items);
  const paymentsByOrder = groupByOrder(input.payments);

  for (const [orderId, rows] of ordersById) {
    const items = itemsByOrder.get(orderId) ?? [];
    const payments = paymentsByOrder.get(orderId) ?? [];
    const built =
      rows.length > 1
        ? ({
            ok: false,
            error: {
              code: SALES_RULES.DUPLICATE_ORDER,
              message: `order ${orderId} appears ${rows.length} times (source rows ${rows.map((r) => r.sourceRow).join(', ')})`,
            },
          } as const)
        : createOrder(rows[0]!, items, payments, policy);
    if (!built.ok) {
      out.quarantined.push(...quarantineOrder(rows, items, payments, built.error));
      continue;
    }
    const valid = toValid(built.value);
    out.orders.push(valid.order);
    out.items.push(...valid.items);
    out.payments.push(...valid.payments);
    out.events.push(...orderEvents(built.value));
  }

  for (const row of input.items) {
    if (!ordersById.has(row.orderId)) {
      out.quarantined.push(
        quarantine(
          'items',
          row,
          SALES_RULES.ORPHAN_ITEM,
          `item ${row.orderItemId} refers to order ${row.orderId}, which does not exist in this partition`,
        ),
      );
    }
  }
  for (const row of input.payments) {
    if (!ordersById.has(row.orderId)) {
      out.quarantined.push(
        quarantine(
          'payments',
          row,
          SALES_RULES.ORPHAN_PAYMENT,
          `payment ${row.paymentSequential} refers to order ${row.orderId}, which does not exist in this partition`,
        ),
      );
    }
  }
  return out;
}
