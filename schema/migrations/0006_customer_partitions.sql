-- The monthly partition of every staged customer id: the month of its first order (see order_partitions).
-- Refreshed with order_partitions by the staging of orders, in the same transaction; read by the customer context.
CREATE MATERIALIZED VIEW "staging"."customer_partitions" AS
SELECT o.customer_id, min(p.partition_key) AS partition_key
  FROM "staging"."orders" o JOIN "staging"."order_partitions" p ON p.order_id = o.order_id
 GROUP BY o.customer_id;
--> statement-breakpoint
CREATE UNIQUE INDEX "customer_partitions_customer_id_idx" ON "staging"."customer_partitions" (customer_id);
--> statement-breakpoint
CREATE INDEX "customer_partitions_partition_idx" ON "staging"."customer_partitions" (partition_key, customer_id);
