DROP VIEW "staging"."order_partitions";
--> statement-breakpoint
-- The monthly partition of every staged order id: the purchase month of its first record in file order
-- (a duplicated order id stays in one partition, where the sales rules can see both records).
-- Refreshed by the staging of orders, in the same transaction.
CREATE MATERIALIZED VIEW "staging"."order_partitions" AS
SELECT DISTINCT ON (order_id) order_id, to_char(order_purchase_timestamp, 'YYYY-MM') AS partition_key
  FROM "staging"."orders"
 ORDER BY order_id, _source_row;
--> statement-breakpoint
CREATE UNIQUE INDEX "order_partitions_order_id_idx" ON "staging"."order_partitions" (order_id);
--> statement-breakpoint
CREATE INDEX "order_partitions_partition_idx" ON "staging"."order_partitions" (partition_key, order_id);
