// domain/customer/customers for one month: the month's customers and reviews through the customer rules.
import { type CustomerOrder, type StagedCustomer, type StagedReview, type ValidCustomer, type ValidReview, validateCustomerPartition } from '../../domain/customer';
import type { PoolClient } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { clearPartition, insertEvents, insertQuarantine, insertRows, provenanceColumns } from '../shared/bulk';
import { conservation } from '../shared/conservation';
import { customersOfPartition, rowsOfOrderPartition } from '../shared/partitions';

export async function validateCustomers(client: PoolClient, assetKey: string, partitionKey: string) {
  await clearPartition(client, assetKey, partitionKey, ['customer.customers', 'customer.reviews']);
  const customers = await client.query<StagedCustomer>(
    `SELECT customer_id AS "customerId", customer_unique_id AS "customerUniqueId", customer_zip_code_prefix AS "zipCodePrefix",
            customer_city AS city, customer_state AS state, _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
       FROM (${customersOfPartition('s.*')}) c ORDER BY _source_row`, [partitionKey]);
  const reviews = await client.query<StagedReview>(
    `SELECT review_id AS "reviewId", order_id AS "orderId", review_score AS "reviewScore", review_comment_title AS "commentTitle",
            review_comment_message AS "commentMessage", review_creation_date AS "creationAt", review_answer_timestamp AS "answerAt",
            _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
       FROM (${rowsOfOrderPartition('staging.order_reviews', 's.*')}) r ORDER BY _source_row`, [partitionKey]);
  // Reviews of orders that sales rejected count as orphans: only validated orders exist for the other contexts.
  const orders = await client.query<CustomerOrder>(
    `SELECT order_id AS "orderId", customer_id AS "customerId", order_status AS "orderStatus", purchased_at AS "purchaseAt",
            payments_total AS "paymentsTotal" FROM sales.orders WHERE partition_key = $1`, [partitionKey]);
  const v = validateCustomerPartition({ customers: customers.rows, reviews: reviews.rows, orders: orders.rows });
  await insertRows<ValidCustomer>(client, 'customer.customers', [
    { name: 'customer_id', type: 'text', value: (r) => r.customerId },
    { name: 'customer_unique_id', type: 'text', value: (r) => r.customerUniqueId },
    { name: 'zip_code_prefix', type: 'text', value: (r) => r.zipCodePrefix },
    { name: 'city', type: 'text', value: (r) => r.city },
    { name: 'state', type: 'text', value: (r) => r.state },
    ...provenanceColumns(partitionKey),
  ], v.customers, ['customer_id']);
  await insertRows<ValidReview>(client, 'customer.reviews', [
    { name: 'review_id', type: 'text', value: (r) => r.reviewId },
    { name: 'order_id', type: 'text', value: (r) => r.orderId },
    { name: 'review_score', type: 'smallint', value: (r) => r.reviewScore },
    { name: 'comment_title', type: 'text', value: (r) => r.commentTitle },
    { name: 'comment_message', type: 'text', value: (r) => r.commentMessage },
    { name: 'created_at', type: 'timestamp', value: (r) => r.creationAt },
    { name: 'answered_at', type: 'timestamp', value: (r) => r.answerAt },
    ...provenanceColumns(partitionKey),
  ], v.reviews, ['review_id', 'order_id']);
  await insertQuarantine(client, assetKey, partitionKey, 'staging.customers', contract('customers').file, v.quarantined.filter((q) => q.table === 'customers'));
  await insertQuarantine(client, assetKey, partitionKey, 'staging.order_reviews', contract('order_reviews').file, v.quarantined.filter((q) => q.table === 'reviews'));
  // Segments need a person's whole history: they are built by domain/customer/profiles, not per month.
  await insertEvents(client, assetKey, partitionKey, v.events.filter((e) => e.eventType === 'ReviewSubmitted'));
  return conservation(client, assetKey, partitionKey, [
    { name: 'customers', sourceFile: contract('customers').file, stagedSql: customersOfPartition('count(*) AS n'), validSql: `SELECT count(*) AS n FROM customer.customers WHERE partition_key = $1` },
    { name: 'reviews', sourceFile: contract('order_reviews').file, stagedSql: rowsOfOrderPartition('staging.order_reviews', 'count(*) AS n'), validSql: `SELECT count(*) AS n FROM customer.reviews WHERE partition_key = $1` },
  ]);
}
