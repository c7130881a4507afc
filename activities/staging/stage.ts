// Staging: raw text rows are repaired and become typed rows; rows that fail a cast are quarantined with a reason;
// repairs are counted per rule with examples (check `repairs`); conservation is checked
// (the rejection rate is a guard of every staging asset: shared/guards.ts).
import pg from 'pg';
import type { PoolClient } from '../../infra/db';
import type { SourceContract } from '../../schema/contracts/olist';
import type { CheckResult, RowCounts } from '../types';
import { resolveAsOf } from './as-of';
import { stagingStatements } from './staging-sql';

export interface StageResult {
  counts: RowCounts;
  checks: CheckResult[];
}

/**
 * Replaces staging.<name> and its quarantined rows inside the caller's transaction. `asOf` ('YYYY-MM-DD') overrides
 * the load's as-of date (as-of.ts) that date windows end at.
 */
export async function stageSource(client: PoolClient, contract: SourceContract, assetKey: string, asOf?: string): Promise<StageResult> {
  const load = await resolveAsOf(client, asOf);
  const sql = stagingStatements(contract, load);
  await client.query(`TRUNCATE staging.${pg.escapeIdentifier(contract.name)}`);
  await client.query(`DELETE FROM quarantine.rows WHERE asset_key = $1 AND partition_key = ''`, [assetKey]);
  const { quarantined, staged: written, repairs } = (await client.query(sql.split, [assetKey])).rows[0];
  if (contract.name === 'orders') {
    await client.query('REFRESH MATERIALIZED VIEW staging.order_partitions');
    await client.query('REFRESH MATERIALIZED VIEW staging.customer_partitions');
  }
  const c = (await client.query(sql.counts, [assetKey])).rows[0];
  const read = Number(c.read);
  const counts: RowCounts = {
    rowsRead: read,
    rowsWritten: Number(c.written),
    rowsQuarantined: Number(c.quarantined),
    rowsDeduplicated: contract.dedupe ? read - quarantined - written : 0,
  };
  const conservation = conservationCheck(counts, written, quarantined);
  // The as-of date that date windows were judged against, and where it came from, kept with the counts it explains.
  if (contract.columns.some((col) => col.dateWindow))
    conservation.metadata = { ...conservation.metadata, asOf: load.asOf, asOfFrom: load.from };
  return { counts, checks: [conservation, repairsCheck(repairs)] };
}

export interface RepairCount {
  rule: string;
  column: string;
  count: number;
  examples: { record: number; from: string; to: string }[];
}

/** Informational: the values repaired in the staged rows, per rule and column, with their first examples. */
function repairsCheck(repairs: RepairCount[]): CheckResult {
  const total = repairs.reduce((n, r) => n + r.count, 0);
  const parts = repairs.map(
    (r) =>
      `${r.rule} ${r.column}: ${r.count} (e.g. record ${r.examples[0]?.record}: ${JSON.stringify(r.examples[0]?.from)} → ${JSON.stringify(r.examples[0]?.to)})`,
  );
  return {
    name: 'repairs',
    blocking: false,
    passed: true,
    message: total ? `${total} values repaired: ${parts.join('; ')}` : 'no value needed a repair',
    metadata: { repaired: total, repairs },
  };
}

/** read = staged + quarantined + deduplicated, with every term counted from the tables themselves. */
function conservationCheck(c: RowCounts, inserted: number, quarantinedInserted: number): CheckResult {
  const accounted = c.rowsWritten + c.rowsQuarantined + c.rowsDeduplicated;
  const consistent = inserted === c.rowsWritten && quarantinedInserted === c.rowsQuarantined;
  const passed = accounted === c.rowsRead && consistent && c.rowsDeduplicated >= 0;
  return {
    name: 'row_conservation',
    blocking: true,
    passed,
    message: `${c.rowsRead} read = ${c.rowsWritten} staged + ${c.rowsQuarantined} quarantined + ${c.rowsDeduplicated} deduplicated${passed ? '' : ` (off by ${c.rowsRead - accounted})`}`,
    metadata: { ...c },
  };
}
