// OrderItem entity: one line of an order, with price > 0 and freight ≥ 0 in exact centavos.
import * as Money from '../shared/money.value-object';
import { isNaiveTimestamp } from '../shared/naive-time.util';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { rejection, SALES_RULES, type OrderRejection } from './sales.errors';
import type { StagedItem } from './sales-staged.types';

export interface OrderItem {
  readonly orderId: string;
  readonly orderItemId: number;
  readonly productId: string;
  readonly sellerId: string;
  readonly shippingLimitAt: string | null;
  readonly price: Money.Money;
  readonly freight: Money.Money;
  readonly provenance: SourceProvenance;
}

/** Builds an item or the rejection its order takes (the item named as culprit). */
export function createOrderItem(row: StagedItem): Result<OrderItem, OrderRejection> {
  const label = `item ${row.orderItemId} of order ${row.orderId}`;
  const fail = (code: OrderRejection['code'], what: string) =>
    err(rejection(code, `order ${row.orderId}: ${what}`, { table: 'items', sourceRow: row.sourceRow, message: `${label}: ${what}` }));

  const price = Money.fromDecimalString(row.price);
  if (!price.ok) return fail(SALES_RULES.MALFORMED_VALUE, `price ${price.error}`);
  const freight = Money.fromDecimalString(row.freightValue);
  if (!freight.ok) return fail(SALES_RULES.MALFORMED_VALUE, `freight ${freight.error}`);
  if (row.shippingLimitAt !== null && !isNaiveTimestamp(row.shippingLimitAt)) {
    return fail(SALES_RULES.MALFORMED_VALUE, `shipping limit '${row.shippingLimitAt}' is not a 'YYYY-MM-DD HH:MM:SS' timestamp`);
  }
  if (!Money.isPositive(price.value))
    return fail(
      SALES_RULES.NON_POSITIVE_PRICE,
      `item ${row.orderItemId} has price ${Money.toDecimalString(price.value)}, which is not positive`,
    );
  if (Money.isNegative(freight.value))
    return fail(SALES_RULES.NEGATIVE_FREIGHT, `item ${row.orderItemId} has negative freight ${Money.toDecimalString(freight.value)}`);

  return ok({
    orderId: row.orderId,
    orderItemId: row.orderItemId,
    productId: row.productId,
    sellerId: row.sellerId,
    shippingLimitAt: row.shippingLimitAt,
    price: price.value,
    freight: freight.value,
    provenance: { sourceRow: row.sourceRow, sourceSha256: row.sourceSha256 },
  });
}

/** Item ids of an order must be exactly 1..n; returns a description of the gap or null. */
export function itemSequenceGap(itemIds: readonly number[]): string | null {
  const sorted = [...itemIds].sort((a, b) => a - b);
  const ok = sorted.every((id, i) => id === i + 1);
  return ok ? null : `item ids [${sorted.join(', ')}] are not 1..${sorted.length}`;
}
