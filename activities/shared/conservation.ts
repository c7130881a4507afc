// Row conservation for a domain asset partition: staged rows assigned to it = validated + quarantined, per table.
import type { PoolClient } from '../../infra/db';
import type { CheckResult, RowCounts } from '../ledger/ledger';

export interface TableAccount {
  /** Name used in messages (e.g. 'orders'). */
  name: string;
  /** SQL counting the staged rows that belong to this partition ($1 = partition key). */
  stagedSql: string;
  /** SQL counting the validated rows written for this partition ($1 = partition key). */
  validSql: string;
  /** Source file of the quarantined rows of this table. */
  sourceFile: string;
}

/**
 * Past this share of quarantined rows a partition is not published: when most of a month fails the rules, the export
 * is broken (a shifted column, a wrong unit), and publishing the rest would silently drop the month from the marts.
 */
export const QUARANTINE_LIMIT = 0.5;
/** Below this many rows a share says little about the export: the limit does not apply. */
export const QUARANTINE_LIMIT_MIN_ROWS = 50;

export async function conservation(client: PoolClient, assetKey: string, partitionKey: string, tables: readonly TableAccount[]): Promise<{ counts: RowCounts; checks: CheckResult[] }> {
  const lines: string[] = [];
  let ok = true;
  const counts: RowCounts = { rowsRead: 0, rowsWritten: 0, rowsQuarantined: 0, rowsDeduplicated: 0 };
  const perTable: Record<string, { staged: number; valid: number; quarantined: number }> = {};
  for (const t of tables) {
    const staged = Number((await client.query(t.stagedSql, [partitionKey])).rows[0].n);
    const valid = Number((await client.query(t.validSql, [partitionKey])).rows[0].n);
    const quarantined = Number((await client.query(
      `SELECT count(*) AS n FROM quarantine.rows WHERE asset_key = $1 AND partition_key = $2 AND source_file = $3`, [assetKey, partitionKey, t.sourceFile])).rows[0].n);
    perTable[t.name] = { staged, valid, quarantined };
    counts.rowsRead += staged;
    counts.rowsWritten += valid;
    counts.rowsQuarantined += quarantined;
    if (staged !== valid + quarantined) ok = false;
    lines.push(`${t.name}: ${staged} staged = ${valid} valid + ${quarantined} quarantined${staged === valid + quarantined ? '' : ` (off by ${staged - valid - quarantined})`}`);
  }
  const byRule = await client.query(
    `SELECT rule_code, count(*)::int AS n FROM quarantine.rows WHERE asset_key = $1 AND partition_key = $2 GROUP BY 1 ORDER BY 1`, [assetKey, partitionKey]);
  const rate = counts.rowsRead === 0 ? 0 : counts.rowsQuarantined / counts.rowsRead;
  const rules = byRule.rows.length ? ` (${byRule.rows.map((r) => `${r.rule_code}: ${r.n}`).join(', ')})` : '';
  // Orphans (rows whose order exists nowhere) live in the first partition but are not that month's rows.
  const orphans = byRule.rows.filter((r) => /\.ORPHAN_/.test(r.rule_code)).reduce((n, r) => n + r.n, 0);
  const own = counts.rowsRead - orphans;
  const ownRate = own === 0 ? 0 : (counts.rowsQuarantined - orphans) / own;
  const limitApplies = own >= QUARANTINE_LIMIT_MIN_ROWS;
  return {
    counts,
    checks: [
      { name: 'row_conservation', blocking: true, passed: ok, message: lines.join('; '), metadata: perTable },
      {
        name: 'quarantine_rate_limit', blocking: true, passed: !limitApplies || ownRate <= QUARANTINE_LIMIT,
        message: `${(ownRate * 100).toFixed(2)}% of the partition's ${own} rows quarantined${rules}, ${!limitApplies ? `too few rows for the limit of ${QUARANTINE_LIMIT * 100}%` : ownRate <= QUARANTINE_LIMIT ? `within the limit of ${QUARANTINE_LIMIT * 100}%` : `over the limit of ${QUARANTINE_LIMIT * 100}%`}`,
        metadata: { rate: ownRate, rows: own, orphans, limit: QUARANTINE_LIMIT, minRows: QUARANTINE_LIMIT_MIN_ROWS },
      },
      {
        name: 'quarantine_rate', blocking: false, passed: rate <= 0.05,
        message: `${(rate * 100).toFixed(2)}% quarantined${rules}`,
        metadata: { rate, rules: Object.fromEntries(byRule.rows.map((r) => [r.rule_code, r.n])) },
      },
    ],
  };
}
