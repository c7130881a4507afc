// Monthly partitions by purchase month, computed from the data; where each staged row belongs.
import type { PartitionMapping } from '../../assets';
import type { Pool, PoolClient } from '../../infra/db';

type Queryable = Pool | PoolClient;

/** The first partition takes the rows whose order does not exist anywhere (orphans), so every row has one home. */
export const FIRST_PARTITION = `(SELECT min(partition_key) FROM staging.order_partitions)`;

/** SQL: `table` (alias s) joined to its month by the mapping, and the expression of that month (orphans: the first). */
function withMonth(mapping: PartitionMapping, table: string): { from: string; month: string } {
  const [months, key] = mapping === 'order' ? ['staging.order_partitions', 'order_id'] : ['staging.customer_partitions', 'customer_id'];
  return { from: `${table} s LEFT JOIN ${months} p ON p.${key} = s.${key}`, month: `coalesce(p.partition_key, ${FIRST_PARTITION})` };
}

/** SQL: the staged rows of `table` that belong to partition $1 by their order_id (orphans: the first partition). */
export function rowsOfOrderPartition(table: string, columns: string): string {
  const { from, month } = withMonth('order', table);
  return `SELECT ${columns} FROM ${from} WHERE ${month} = $1`;
}

/** SQL: the staged customers that belong to partition $1: that of their first order (orphans: the first partition). */
export function customersOfPartition(columns: string): string {
  const { from, month } = withMonth('customer', 'staging.customers');
  return `SELECT ${columns} FROM ${from} WHERE ${month} = $1`;
}

/** SQL: every row of a staged table with the partition it belongs to (`partition_key`), by the table's mapping. */
export function rowsWithPartition(mapping: PartitionMapping, table: string, columns: string): string {
  const { from, month } = withMonth(mapping, table);
  return `SELECT ${month} AS partition_key, ${columns} FROM ${from}`;
}

/** The months that have orders, in order ('2016-09' …). */
export async function listPartitions(db: Queryable): Promise<string[]> {
  const r = await db.query(`SELECT DISTINCT partition_key FROM staging.order_partitions ORDER BY 1`);
  return r.rows.map((row) => row.partition_key as string);
}

/** Tables holding one row set per monthly partition (the partitioned domain assets write these). */
const PARTITIONED_TABLES = [
  'sales.orders',
  'sales.order_items',
  'sales.order_payments',
  'customer.customers',
  'customer.reviews',
  'fulfillment.shipments',
];

/**
 * After a new source, a month that no longer has orders must not keep the rows of an older load: removes every
 * partitioned row, quarantined row, event and checkpoint of partitions outside `partitions`, in the caller's
 * transaction, and records each table's removed rows per month in dw_meta.pruned_rows. Returns the months removed.
 */
export async function prunePartitions(client: PoolClient, runId: string, partitions: readonly string[]): Promise<string[]> {
  const months = new Set<string>();
  const tables: [string, string][] = [
    ...PARTITIONED_TABLES.map((t): [string, string] => [t, 'true']),
    ['quarantine.rows', `partition_key <> ''`],
    ['events.outbox', `partition_key <> ''`],
  ];
  for (const [t, where] of tables) {
    const r = await client.query(
      `WITH gone AS (DELETE FROM ${t} WHERE ${where} AND NOT (partition_key = ANY($1)) RETURNING partition_key)
       INSERT INTO dw_meta.pruned_rows (run_id, partition_key, table_name, rows_removed)
       SELECT $2, partition_key, $3, count(*) FROM gone GROUP BY partition_key RETURNING partition_key`,
      [partitions, runId, t],
    );
    for (const row of r.rows) months.add(row.partition_key);
  }
  const cps = await client.query(
    `DELETE FROM dw_meta.checkpoints WHERE partition_key ~ '^[0-9]{4}-[0-9]{2}$' AND NOT (partition_key = ANY($1)) RETURNING partition_key`,
    [partitions],
  );
  for (const row of cps.rows) months.add(row.partition_key);
  return [...months].sort();
}
