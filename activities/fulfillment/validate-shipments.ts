// domain/fulfillment/shipments for one month: each order validated by sales becomes a shipment, or is quarantined.
import { type Shipment, type StagedFulfillmentOrder, validateFulfillmentPartition } from '../../domain/fulfillment';
import type { PoolClient } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { clearPartition, insertQuarantine, insertRows, provenanceColumns } from '../shared/bulk';
import { conservation } from '../shared/conservation';

export async function validateShipments(client: PoolClient, assetKey: string, partitionKey: string) {
  await clearPartition(client, assetKey, partitionKey, ['fulfillment.shipments']);
  const orders = await client.query<StagedFulfillmentOrder>(
    `SELECT order_id AS "orderId", order_status AS "orderStatus", delivered_carrier_at AS "deliveredCarrierAt",
            delivered_customer_at AS "deliveredCustomerAt", estimated_delivery_at AS "estimatedDeliveryAt",
            _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
       FROM sales.orders WHERE partition_key = $1 ORDER BY _source_row`, [partitionKey]);
  const v = validateFulfillmentPartition({ orders: orders.rows });
  await insertRows<Shipment>(client, 'fulfillment.shipments', [
    { name: 'order_id', type: 'text', value: (r) => r.orderId },
    { name: 'order_status', type: 'text', value: (r) => r.orderStatus },
    { name: 'handed_to_carrier_at', type: 'timestamp', value: (r) => r.handedOffAt },
    { name: 'delivered_at', type: 'timestamp', value: (r) => r.deliveredAt },
    { name: 'estimated_delivery_date', type: 'date', value: (r) => r.estimatedDeliveryDate },
    { name: 'on_time', type: 'boolean', value: (r) => r.onTime },
    { name: 'delay_days', type: 'int', value: (r) => r.delayDays },
    ...provenanceColumns(partitionKey),
  ], v.shipments, ['order_id']);
  await insertQuarantine(client, assetKey, partitionKey, 'staging.orders', contract('orders').file, v.quarantined);
  return conservation(client, assetKey, partitionKey, [{
    name: 'orders', sourceFile: contract('orders').file,
    stagedSql: `SELECT count(*) AS n FROM sales.orders WHERE partition_key = $1`,
    validSql: `SELECT count(*) AS n FROM fulfillment.shipments WHERE partition_key = $1`,
  }]);
}
