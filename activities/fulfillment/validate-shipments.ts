// domain/fulfillment/shipments for one month: each order validated by sales becomes a shipment, or is quarantined.
import { type StagedFulfillmentOrder, validateFulfillmentPartition } from '../../domain/fulfillment';
import type { PoolClient } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { fulfillmentShipments } from '../../schema/domain';
import { clearPartition, insertQuarantine } from '../shared/bulk';
import { conservation } from '../shared/conservation';
import { insertTableRows } from '../shared/table-rows';

export async function validateShipments(client: PoolClient, assetKey: string, partitionKey: string) {
  await clearPartition(client, assetKey, partitionKey, ['fulfillment.shipments']);
  const orders = await client.query<StagedFulfillmentOrder>(
    `SELECT order_id AS "orderId", order_status AS "orderStatus", delivered_carrier_at AS "deliveredCarrierAt",
            delivered_customer_at AS "deliveredCustomerAt", estimated_delivery_at AS "estimatedDeliveryAt",
            _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
       FROM sales.orders WHERE partition_key = $1 ORDER BY _source_row`,
    [partitionKey],
  );
  const v = validateFulfillmentPartition({ orders: orders.rows });
  await insertTableRows(
    client,
    fulfillmentShipments,
    {
      orderId: (r) => r.orderId,
      orderStatus: (r) => r.orderStatus,
      handedToCarrierAt: (r) => r.handedOffAt,
      deliveredAt: (r) => r.deliveredAt,
      estimatedDeliveryDate: (r) => r.estimatedDeliveryDate,
      onTime: (r) => r.onTime,
      delayDays: (r) => r.delayDays,
    },
    v.shipments,
    partitionKey,
  );
  await insertQuarantine(client, assetKey, partitionKey, 'staging.orders', contract('orders').file, v.quarantined);
  return conservation(client, assetKey, partitionKey, [
    {
      name: 'orders',
      sourceFile: contract('orders').file,
      stagedSql: `SELECT count(*) AS n FROM sales.orders WHERE partition_key = $1`,
      validSql: `SELECT count(*) AS n FROM fulfillment.shipments WHERE partition_key = $1`,
    },
  ]);
}
