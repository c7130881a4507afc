// Guards before a new version replaces the published one: emptiness and shrink, and the share of rows rejected.
import { type AssetSpec, guardsOf } from '../../assets';
import type { PoolClient } from '../../infra/db';
import type { CheckResult, RowCounts } from '../types';

export const SHRINK_CHECK = 'shrink_guard';
export const REJECTION_LIMIT_CHECK = 'quarantine_rate_limit';
export const REJECTION_WARN_CHECK = 'quarantine_rate';

/** Error codes of the failed guards, the most telling first (rejected rows also shrink the table). */
export const GUARD_CODES: readonly (readonly [string, string])[] = [
  [REJECTION_LIMIT_CHECK, 'GUARD.REJECTION_RATE'],
  [SHRINK_CHECK, 'GUARD.SHRINK'],
];

/** Below this many rows (orphans aside) a rejection share says little about the export: the blocking limit does not apply. */
export const REJECTION_LIMIT_MIN_ROWS = 50;

/**
 * The new version's row count against the last published one (the checkpoint's materialization): empty where
 * there were rows, or a drop beyond the asset's maxShrink, fails unless the run allows it.
 */
export async function shrinkGuard(
  client: PoolClient,
  asset: AssetSpec,
  partitionKey: string,
  rows: number,
  allowShrink: boolean,
): Promise<CheckResult> {
  const r = await client.query(
    `SELECT m.rows_written::bigint AS n FROM dw_meta.checkpoints c
       JOIN dw_meta.materializations m ON m.asset_key = c.asset_key AND m.partition_key = c.partition_key
        AND m.data_version = c.data_version AND m.status = 'success' AND m.rows_written IS NOT NULL
      WHERE c.asset_key = $1 AND c.partition_key = $2 ORDER BY m.id DESC LIMIT 1`,
    [asset.key, partitionKey],
  );
  const last = r.rows[0] ? Number(r.rows[0].n) : undefined;
  const { maxShrink } = guardsOf(asset);
  const name = partitionKey ? `${asset.key}@${partitionKey}` : asset.key;
  if (last === undefined || last === 0) {
    return {
      name: SHRINK_CHECK,
      blocking: true,
      passed: true,
      message: `${rows} rows, no earlier version with rows`,
      metadata: { rows, lastRows: last ?? null, maxShrink, allowShrink },
    };
  }
  return judgeShrink(name, rows, last, maxShrink, allowShrink);
}

/** The decision of a shrink guard (every asset's, dbt tables' at publication): empty where there were rows, or a drop beyond `maxShrink`. */
export function judgeShrink(name: string, rows: number, last: number, maxShrink: number, allowShrink: boolean): CheckResult {
  const drop = last === 0 ? 0 : (last - rows) / last;
  const shrinks = last > 0 && (rows === 0 || drop > maxShrink);
  const metadata = { rows, lastRows: last, maxShrink, allowShrink };
  if (!shrinks)
    return { name: SHRINK_CHECK, blocking: true, passed: true, message: `${rows} rows where the last version had ${last}`, metadata };
  const what =
    rows === 0
      ? `0 rows where the last version had ${last}`
      : `${rows} rows where the last version had ${last} (${(drop * 100).toFixed(1)}% fewer, more than the ${maxShrink * 100}% allowed)`;
  if (allowShrink)
    return { name: SHRINK_CHECK, blocking: true, passed: true, message: `${name}: ${what}; allowed by --allow-shrink`, metadata };
  return {
    name: SHRINK_CHECK,
    blocking: true,
    passed: false,
    message: `${name}: ${what}; pass --allow-shrink if this is intended`,
    metadata,
  };
}

/**
 * The share of the asset partition's rows rejected (quarantined), per rule: above rejectBlock the asset fails
 * (blocking `quarantine_rate_limit`), above rejectWarn it succeeds with a failed non-blocking `quarantine_rate`.
 * Orphans (rows whose order exists nowhere) live in the first partition without being its rows: they count in
 * neither share. Below REJECTION_LIMIT_MIN_ROWS rows the blocking limit does not apply (a tiny month is no export).
 */
export async function rejectionGuards(
  client: PoolClient,
  asset: AssetSpec,
  partitionKey: string,
  counts: RowCounts,
): Promise<CheckResult[]> {
  const byRule = (
    await client.query(
      `SELECT rule_code, count(*)::int AS n FROM quarantine.rows WHERE asset_key = $1 AND partition_key = $2 GROUP BY 1 ORDER BY 1`,
      [asset.key, partitionKey],
    )
  ).rows as { rule_code: string; n: number }[];
  const { rejectWarn, rejectBlock } = guardsOf(asset);
  const orphans = byRule.filter((r) => /\.ORPHAN_/.test(r.rule_code)).reduce((n, r) => n + r.n, 0);
  const own = counts.rowsRead - orphans;
  const rejected = counts.rowsQuarantined - orphans;
  const rate = own <= 0 ? 0 : rejected / own;
  const rules = byRule.length ? ` (${byRule.map((r) => `${r.rule_code}: ${r.n}`).join(', ')})` : '';
  const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;
  const share = `${(rate * 100).toFixed(2)}% of ${own} rows quarantined${rules}`;
  const limitApplies = own >= REJECTION_LIMIT_MIN_ROWS;
  const blocked = limitApplies && rate > rejectBlock;
  const metadata = {
    rate,
    rows: own,
    rejected,
    orphans,
    rejectWarn,
    rejectBlock,
    minRows: REJECTION_LIMIT_MIN_ROWS,
    rules: Object.fromEntries(byRule.map((r) => [r.rule_code, r.n])),
  };
  return [
    {
      name: REJECTION_LIMIT_CHECK,
      blocking: true,
      passed: !blocked,
      metadata,
      message: `${share}, ${!limitApplies ? `too few rows for the limit of ${pct(rejectBlock)}` : blocked ? `over the limit of ${pct(rejectBlock)}: the export looks broken; fix it and run again` : `within the limit of ${pct(rejectBlock)}`}`,
    },
    {
      name: REJECTION_WARN_CHECK,
      blocking: false,
      passed: rate <= rejectWarn,
      metadata,
      message: `${share}${rate > rejectWarn ? `, above the warning level of ${pct(rejectWarn)}` : ''}`,
    },
  ];
}
