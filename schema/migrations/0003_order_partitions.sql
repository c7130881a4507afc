-- The monthly partition of every staged order id: the purchase month of its first record in file order
-- (a duplicated order id stays in one partition, where the sales rules can see both records).
CREATE VIEW "staging"."order_partitions" AS
SELECT DISTINCT ON (order_id) order_id, to_char(order_purchase_timestamp, 'YYYY-MM') AS partition_key
  FROM "staging"."orders"
 ORDER BY order_id, _source_row;
