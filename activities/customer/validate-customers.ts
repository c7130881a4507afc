// domain/customer/customers for one month: the month's customers and reviews through the customer rules.
import { type CustomerOrder, type StagedCustomer, type StagedReview, validateCustomerPartition } from '../../domain/customer';
import type { PoolClient } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { customerCustomers, customerReviews } from '../../schema/domain';
import { clearPartition, insertEvents, insertQuarantine } from '../shared/bulk';
import { conservation } from '../shared/conservation';
import { customersOfPartition, rowsOfOrderPartition } from '../shared/partitions';
import { insertTableRows } from '../shared/table-rows';

export async function validateCustomers(client: PoolClient, assetKey: string, partitionKey: string) {
  await clearPartition(client, assetKey, partitionKey, ['customer.customers', 'customer.reviews']);
  const customers = await client.query<StagedCustomer>(
    `SELECT customer_id AS "customerId", customer_unique_id AS "customerUniqueId", customer_zip_code_prefix AS "zipCodePrefix",
            customer_city AS city, customer_state AS state, _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
       FROM (${customersOfPartition('s.*')}) c ORDER BY _source_row`,
    [partitionKey],
  );
  const reviews = await client.query<StagedReview>(
    `SELECT review_id AS "reviewId", order_id AS "orderId", review_score AS "reviewScore", review_comment_title AS "commentTitle",
            review_comment_message AS "commentMessage", review_creation_date AS "creationAt", review_answer_timestamp AS "answerAt",
            _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
       FROM (${rowsOfOrderPartition('staging.order_reviews', 's.*')}) r ORDER BY _source_row`,
    [partitionKey],
  );
  // Reviews of orders that sales rejected count as orphans: only validated orders exist for the other contexts.
  const orders = await client.query<CustomerOrder>(
    `SELECT order_id AS "orderId", customer_id AS "customerId", order_status AS "orderStatus", purchased_at AS "purchaseAt",
            payments_total AS "paymentsTotal" FROM sales.orders WHERE partition_key = $1`,
    [partitionKey],
  );
  const v = validateCustomerPartition({ customers: customers.rows, reviews: reviews.rows, orders: orders.rows });
  await insertTableRows(
    client,
    customerCustomers,
    {
      customerId: (r) => r.customerId,
      customerUniqueId: (r) => r.customerUniqueId,
      zipCodePrefix: (r) => r.zipCodePrefix,
      city: (r) => r.city,
      state: (r) => r.state,
    },
    v.customers,
    partitionKey,
  );
  await insertTableRows(
    client,
    customerReviews,
    {
      reviewId: (r) => r.reviewId,
      orderId: (r) => r.orderId,
      reviewScore: (r) => r.reviewScore,
      commentTitle: (r) => r.commentTitle,
      commentMessage: (r) => r.commentMessage,
      createdAt: (r) => r.creationAt,
      answeredAt: (r) => r.answerAt,
    },
    v.reviews,
    partitionKey,
  );
  await insertQuarantine(
    client,
    assetKey,
    partitionKey,
    'staging.customers',
    contract('customers').file,
    v.quarantined.filter((q) => q.table === 'customers'),
  );
  await insertQuarantine(
    client,
    assetKey,
    partitionKey,
    'staging.order_reviews',
    contract('order_reviews').file,
    v.quarantined.filter((q) => q.table === 'reviews'),
  );
  // Segments need a person's whole history: they are built by domain/customer/profiles, not per month.
  await insertEvents(
    client,
    assetKey,
    partitionKey,
    v.events.filter((e) => e.eventType === 'ReviewSubmitted'),
  );
  return conservation(client, assetKey, partitionKey, [
    {
      name: 'customers',
      sourceFile: contract('customers').file,
      stagedSql: customersOfPartition('count(*) AS n'),
      validSql: `SELECT count(*) AS n FROM customer.customers WHERE partition_key = $1`,
    },
    {
      name: 'reviews',
      sourceFile: contract('order_reviews').file,
      stagedSql: rowsOfOrderPartition('staging.order_reviews', 'count(*) AS n'),
      validSql: `SELECT count(*) AS n FROM customer.reviews WHERE partition_key = $1`,
    },
  ]);
}
