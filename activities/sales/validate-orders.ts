// domain/sales/orders for one month: staged orders, items and payments through the sales rules, in batches of orders.
import {
  type PaymentPolicy,
  type StagedItem,
  type StagedOrder,
  type StagedPayment,
  type ValidOrder,
  validateSalesPartition,
} from '../../domain/sales';
import type { PoolClient } from '../../infra/db';
import type { CheckResult } from '../types';
import { contract } from '../../schema/contracts/olist';
import { salesOrderItems, salesOrderPayments, salesOrders } from '../../schema/domain';
import { clearPartition, insertEvents, insertQuarantine } from '../shared/bulk';
import { insertTableRows } from '../shared/table-rows';
import { conservation } from '../shared/conservation';
import { FIRST_PARTITION, rowsOfOrderPartition } from '../shared/partitions';
import { paymentPolicyFrom } from './payment-policy';

const BATCH = 2_000;

const ORDER_COLS = `order_id AS "orderId", customer_id AS "customerId", order_status AS "orderStatus",
  order_purchase_timestamp AS "purchaseAt", order_approved_at AS "approvedAt", order_delivered_carrier_date AS "deliveredCarrierAt",
  order_delivered_customer_date AS "deliveredCustomerAt", order_estimated_delivery_date AS "estimatedDeliveryAt",
  _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"`;
const ITEM_COLS = `order_id AS "orderId", order_item_id AS "orderItemId", product_id AS "productId", seller_id AS "sellerId",
  shipping_limit_date AS "shippingLimitAt", price, freight_value AS "freightValue", _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"`;
const PAYMENT_COLS = `order_id AS "orderId", payment_sequential AS "paymentSequential", payment_type AS "paymentType",
  payment_installments AS "paymentInstallments", payment_value AS "paymentValue", _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"`;

/** The order ids of a month: its orders, plus (in the first month) the ids of items and payments without any order. */
const IDS_SQL = `
  SELECT order_id FROM staging.order_partitions WHERE partition_key = $1
  UNION SELECT i.order_id FROM staging.order_items i WHERE $1 = ${FIRST_PARTITION} AND NOT EXISTS (SELECT 1 FROM staging.order_partitions p WHERE p.order_id = i.order_id)
  UNION SELECT y.order_id FROM staging.order_payments y WHERE $1 = ${FIRST_PARTITION} AND NOT EXISTS (SELECT 1 FROM staging.order_partitions p WHERE p.order_id = y.order_id)
  ORDER BY 1`;

export async function validateSalesOrders(client: PoolClient, assetKey: string, partitionKey: string, policy = paymentPolicyFrom()) {
  await clearPartition(client, assetKey, partitionKey, ['sales.orders', 'sales.order_items', 'sales.order_payments']);
  const ids: string[] = (await client.query(IDS_SQL, [partitionKey])).rows.map((r) => r.order_id);
  const flagged: ValidOrder[] = [];
  let compared = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const orders = await client.query<StagedOrder>(
      `SELECT ${ORDER_COLS} FROM staging.orders WHERE order_id = ANY($1) ORDER BY _source_row`,
      [batch],
    );
    const items = await client.query<StagedItem>(
      `SELECT ${ITEM_COLS} FROM staging.order_items WHERE order_id = ANY($1) ORDER BY _source_row`,
      [batch],
    );
    const payments = await client.query<StagedPayment>(
      `SELECT ${PAYMENT_COLS} FROM staging.order_payments WHERE order_id = ANY($1) ORDER BY _source_row`,
      [batch],
    );
    const v = validateSalesPartition({ orders: orders.rows, items: items.rows, payments: payments.rows }, policy);
    compared += v.orders.filter((o) => o.paymentDifference !== null).length;
    flagged.push(...v.orders.filter((o) => o.paymentOutsideTolerance));
    await insertTableRows(
      client,
      salesOrders,
      {
        orderId: (r) => r.orderId,
        customerId: (r) => r.customerId,
        orderStatus: (r) => r.orderStatus,
        purchasedAt: (r) => r.purchaseAt,
        approvedAt: (r) => r.approvedAt,
        deliveredCarrierAt: (r) => r.deliveredCarrierAt,
        deliveredCustomerAt: (r) => r.deliveredCustomerAt,
        estimatedDeliveryAt: (r) => r.estimatedDeliveryAt,
        itemCount: (r) => r.itemCount,
        itemsTotal: (r) => r.itemsTotal,
        freightTotal: (r) => r.freightTotal,
        paymentsTotal: (r) => r.paymentsTotal,
      },
      v.orders,
      partitionKey,
    );
    await insertTableRows(
      client,
      salesOrderItems,
      {
        orderId: (r) => r.orderId,
        orderItemId: (r) => r.orderItemId,
        productId: (r) => r.productId,
        sellerId: (r) => r.sellerId,
        shippingLimitAt: (r) => r.shippingLimitAt,
        price: (r) => r.price,
        freightValue: (r) => r.freightValue,
      },
      v.items,
      partitionKey,
    );
    await insertTableRows(
      client,
      salesOrderPayments,
      {
        orderId: (r) => r.orderId,
        paymentSequential: (r) => r.paymentSequential,
        paymentType: (r) => r.paymentType,
        paymentInstallments: (r) => r.paymentInstallments,
        paymentValue: (r) => r.paymentValue,
      },
      v.payments,
      partitionKey,
    );
    for (const [table, staging, source] of [
      ['orders', 'staging.orders', 'orders'],
      ['items', 'staging.order_items', 'order_items'],
      ['payments', 'staging.order_payments', 'order_payments'],
    ] as const) {
      await insertQuarantine(
        client,
        assetKey,
        partitionKey,
        staging,
        contract(source).file,
        v.quarantined.filter((q) => q.table === table),
      );
    }
    await insertEvents(client, assetKey, partitionKey, v.events);
  }
  const accounted = await conservation(client, assetKey, partitionKey, [
    {
      name: 'orders',
      sourceFile: contract('orders').file,
      stagedSql: rowsOfOrderPartition('staging.orders', 'count(*) AS n'),
      validSql: `SELECT count(*) AS n FROM sales.orders WHERE partition_key = $1`,
    },
    {
      name: 'items',
      sourceFile: contract('order_items').file,
      stagedSql: rowsOfOrderPartition('staging.order_items', 'count(*) AS n'),
      validSql: `SELECT count(*) AS n FROM sales.order_items WHERE partition_key = $1`,
    },
    {
      name: 'payments',
      sourceFile: contract('order_payments').file,
      stagedSql: rowsOfOrderPartition('staging.order_payments', 'count(*) AS n'),
      validSql: `SELECT count(*) AS n FROM sales.order_payments WHERE partition_key = $1`,
    },
  ]);
  return { counts: accounted.counts, checks: [...accounted.checks, paymentDifferenceCheck(flagged, compared, policy)] };
}

/** A warning, never a rejection: orders kept whose payments differ from items + freight beyond the ordinary band. */
function paymentDifferenceCheck(flagged: readonly ValidOrder[], compared: number, policy: PaymentPolicy): CheckResult {
  const first = flagged[0];
  const example = first
    ? `, e.g. order ${first.orderId} (record ${first.sourceRow}): payments ${first.paymentsTotal} vs items + freight ${first.itemsTotal} + ${first.freightTotal}`
    : '';
  return {
    name: 'payment_difference',
    blocking: false,
    passed: flagged.length === 0,
    message: `${flagged.length} of ${compared} orders with items kept with payments outside the tolerance band (flagged in fact_orders.payment_difference)${example}`,
    metadata: { flagged: flagged.length, compared, orderIds: flagged.slice(0, 20).map((o) => o.orderId), policy },
  };
}
