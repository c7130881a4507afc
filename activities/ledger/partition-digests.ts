// Per-partition content digests of staged tables: a change to one month's rows makes only that month stale downstream.
import type { AssetGraph } from '../../assets';
import { inTransaction, type Pool } from '../../infra/db';
import { sha256Text } from '../../infra/hash';
import { contract } from '../../schema/contracts/olist';
import { getCheckpoint } from './ledger';
import { rowsWithPartition } from '../shared/partitions';

/** The order → month map comes from the staged orders: every mapping depends on their version too. */
const ORDER_MONTHS = 'staging/orders';

/**
 * The digest of each partition's rows of a staged table at its current version (a month without rows is absent),
 * or undefined when the table has not been staged. Computed once per version in one pass, then read from the ledger.
 */
export async function partitionDigests(pool: Pool, graph: AssetGraph, assetKey: string): Promise<Map<string, string> | undefined> {
  const asset = graph.get(assetKey);
  if (!asset.partitionMapping || asset.op.type !== 'stage') throw new Error(`${assetKey} is not a staged table with a partition mapping`);
  const mapping = asset.partitionMapping;
  const c = contract(asset.op.source);
  return inTransaction(pool, async (client) => {
    const versionKeyNow = async () => {
      const own = await getCheckpoint(client, assetKey, '');
      const months = await getCheckpoint(client, ORDER_MONTHS, '');
      return own && months ? sha256Text(own.dataVersion, months.dataVersion) : undefined;
    };
    const versionKey = await versionKeyNow();
    if (!versionKey) return undefined;
    const read = async () =>
      (
        await client.query(`SELECT partition_key, digest FROM dw_meta.partition_digests WHERE asset_key = $1 AND version_key = $2`, [
          assetKey,
          versionKey,
        ])
      ).rows;
    let rows = await read();
    if (rows.length === 0) {
      // One computation per table version at a time; the others wait for it, then read its result.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`partition-digests:${assetKey}`]);
      rows = await read();
    }
    if (rows.length === 0) {
      // Provenance columns other than the record number are left out: a new file with the same rows is the same data.
      const columns = `s._source_row, ROW(${c.columns.map((col) => `s.${col.name}`).join(', ')}, s._source_row)::text AS row_text`;
      await client.query(`DELETE FROM dw_meta.partition_digests WHERE asset_key = $1 AND version_key <> $2`, [assetKey, versionKey]);
      await client.query(
        `INSERT INTO dw_meta.partition_digests (asset_key, version_key, partition_key, digest)
         SELECT $1, $2, partition_key, md5(string_agg(md5(row_text), '' ORDER BY _source_row))
           FROM (${rowsWithPartition(mapping, `staging.${c.name}`, columns)}) x
          WHERE partition_key IS NOT NULL GROUP BY partition_key
         UNION ALL SELECT $1, $2, '', 'computed'
         ON CONFLICT DO NOTHING`,
        [assetKey, versionKey],
      );
      // Staging writes its table and its checkpoint in one transaction: unchanged versions mean unchanged rows.
      if ((await versionKeyNow()) !== versionKey)
        throw new Error(`${assetKey} was staged again while its partition digests were computed: retry`);
      rows = await read();
    }
    return new Map(rows.filter((r) => r.partition_key !== '').map((r) => [r.partition_key as string, r.digest as string]));
  });
}
