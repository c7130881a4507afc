// Row conservation for a domain asset partition: staged rows assigned to it = validated + quarantined, per table.
// (Its rejection rate is a guard of every staging and domain asset: shared/guards.ts.)
import type { PoolClient } from '../../infra/db';
import type { CheckResult, RowCounts } from '../types';

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

export async function conservation(
  client: PoolClient,
  assetKey: string,
  partitionKey: string,
  tables: readonly TableAccount[],
): Promise<{ counts: RowCounts; checks: CheckResult[] }> {
  const lines: string[] = [];
  let ok = true;
  const counts: RowCounts = { rowsRead: 0, rowsWritten: 0, rowsQuarantined: 0, rowsDeduplicated: 0 };
  const perTable: Record<string, { staged: number; valid: number; quarantined: number }> = {};
  for (const t of tables) {
    const staged = Number((await client.query(t.stagedSql, [partitionKey])).rows[0].n);
    const valid = Number((await client.query(t.validSql, [partitionKey])).rows[0].n);
    const quarantined = Number(
      (
        await client.query(`SELECT count(*) AS n FROM quarantine.rows WHERE asset_key = $1 AND partition_key = $2 AND source_file = $3`, [
          assetKey,
          partitionKey,
          t.sourceFile,
        ])
      ).rows[0].n,
    );
    perTable[t.name] = { staged, valid, quarantined };
    counts.rowsRead += staged;
    counts.rowsWritten += valid;
    counts.rowsQuarantined += quarantined;
    if (staged !== valid + quarantined) ok = false;
    lines.push(
      `${t.name}: ${staged} staged = ${valid} valid + ${quarantined} quarantined${staged === valid + quarantined ? '' : ` (off by ${staged - valid - quarantined})`}`,
    );
  }
  return {
    counts,
    checks: [{ name: 'row_conservation', blocking: true, passed: ok, message: lines.join('; '), metadata: perTable }],
  };
}
