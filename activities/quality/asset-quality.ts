// The quality step of a non-dbt asset, inside its write's transaction: its suites on the rows just written, and its rules and checks as results.
import type { PoolClient } from 'pg';
import type { AssetSpec } from '../../assets';
import { loadConfig } from '../../infra/config';
import type { CheckResult, RowCounts } from '../types';
import { dataAsOf, evaluateSuites, quoteRelation, suitesOf } from './evaluate';
import { externalResults } from './external';
import type { StoredResult } from './store';
import { domainColumns } from './suites';

let columns: Map<string, string[]> | undefined;

/**
 * Suites read the asset's partition of each relation it writes (rows carry partition_key) with the source file and
 * record of failing rows; references resolve to the domain tables as this transaction sees them. DW_QUALITY=off: nothing.
 */
export async function assetQuality(
  client: PoolClient,
  asset: AssetSpec,
  at: { runId: string; partitionKey: string },
  op: { counts: RowCounts; checks: readonly CheckResult[] },
): Promise<StoredResult[]> {
  if (!loadConfig().quality) return [];
  const external = await externalResults(client, asset, at, op.counts, op.checks);
  const bindings = suitesOf(asset.key);
  if (bindings.length === 0) return external;
  columns ??= domainColumns();
  const cols = columns;
  const targetOf = (relation: string) => {
    const has = (c: string) => cols.get(relation)?.includes(c) === true;
    return {
      relation: quoteRelation(relation),
      ...(asset.partitioned && has('partition_key') ? { partitionKey: at.partitionKey } : {}),
      provenance: has('_source_row') && has('_source_sha256'),
    };
  };
  const env = { resolve: quoteRelation, asOf: dataAsOf(client) };
  return [...external, ...(await evaluateSuites(client, bindings, { ...at, assetKey: asset.key }, targetOf, env))];
}
