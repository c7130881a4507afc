// Staging: raw text rows become typed rows; rows that fail a cast are quarantined with a reason; conservation is checked.
import pg from 'pg';
import type { PoolClient } from '../../infra/db';
import type { SourceContract } from '../../schema/contracts/olist';
import type { CheckResult, RowCounts } from '../ledger/ledger';
import { stagingStatements } from './staging-sql';

/** Above this share of quarantined records the (non-blocking) quarantine-rate check warns. */
const QUARANTINE_WARN_RATE = 0.01;

export interface StageResult {
  counts: RowCounts;
  checks: CheckResult[];
}

/** Replaces staging.<name> and its quarantined rows inside the caller's transaction. */
export async function stageSource(client: PoolClient, contract: SourceContract, assetKey: string): Promise<StageResult> {
  const sql = stagingStatements(contract);
  await client.query(`TRUNCATE staging.${pg.escapeIdentifier(contract.name)}`);
  await client.query(`DELETE FROM quarantine.rows WHERE asset_key = $1 AND partition_key = ''`, [assetKey]);
  const { quarantined, staged: written } = (await client.query(sql.split, [assetKey])).rows[0];
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
  const byRule = await client.query(
    `SELECT rule_code, count(*)::int AS n FROM quarantine.rows WHERE asset_key = $1 AND partition_key = '' GROUP BY 1 ORDER BY 1`,
    [assetKey],
  );
  return { counts, checks: [conservationCheck(counts, written, quarantined), quarantineRateCheck(counts, byRule.rows)] };
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

function quarantineRateCheck(c: RowCounts, byRule: { rule_code: string; n: number }[]): CheckResult {
  const rate = c.rowsRead === 0 ? 0 : c.rowsQuarantined / c.rowsRead;
  const rules = Object.fromEntries(byRule.map((r) => [r.rule_code, r.n]));
  return {
    name: 'quarantine_rate',
    blocking: false,
    passed: rate <= QUARANTINE_WARN_RATE,
    message: `${(rate * 100).toFixed(2)}% quarantined${byRule.length ? ` (${byRule.map((r) => `${r.rule_code}: ${r.n}`).join(', ')})` : ''}`,
    metadata: { rate, rules },
  };
}
