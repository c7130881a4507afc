// Guards before a new version replaces the published one: emptiness and shrink, and the share of rows rejected.
import { type AssetSpec, guardsOf } from '../../assets';
import { CUSTOMER_RULES } from '../../domain/customer/customer.errors';
import { SALES_RULES } from '../../domain/sales/sales.errors';
import type { PoolClient } from '../../infra/db';
import type { CheckResult, RowCounts } from '../types';

export const SHRINK_CHECK = 'shrink_guard';
export const REJECTION_LIMIT_CHECK = 'quarantine_rate_limit';
export const REJECTION_WARN_CHECK = 'quarantine_rate';
export const ORPHAN_LIMIT_CHECK = 'orphan_rate_limit';
export const ORPHAN_WARN_CHECK = 'orphan_rate';

/** Each orphan rule and the staged table its rows come from (the share's denominator). */
const ORPHAN_TABLES: Record<string, string> = {
  [SALES_RULES.ORPHAN_ITEM]: 'staging.order_items',
  [SALES_RULES.ORPHAN_PAYMENT]: 'staging.order_payments',
  [CUSTOMER_RULES.ORPHAN_REVIEW]: 'staging.order_reviews',
};

/** Error codes of the failed guards, the most telling first (rejected rows also shrink the table). */
export const GUARD_CODES: readonly (readonly [string, string])[] = [
  [ORPHAN_LIMIT_CHECK, 'GUARD.ORPHAN_RATE'],
  [REJECTION_LIMIT_CHECK, 'GUARD.REJECTION_RATE'],
  [SHRINK_CHECK, 'GUARD.SHRINK'],
];

/** Below this many rows (orphans aside) a rejection share says little about the export: the blocking limit does not apply. */
export const REJECTION_LIMIT_MIN_ROWS = 50;

/**
 * The new version's row count against the last published one (the checkpoint's materialization, never a failed
 * attempt): empty where there were rows, or a drop beyond the asset's maxShrink (any drop when it only grows), fails
 * unless the run allows it. A raw asset counts the file's records (rows of erased persons included: an erasure is no
 * shrink of the export); the others count the rows they wrote.
 */
export async function shrinkGuard(
  client: PoolClient,
  asset: AssetSpec,
  partitionKey: string,
  counts: RowCounts,
  allowShrink: boolean,
): Promise<CheckResult> {
  const column = asset.kind === 'raw' ? 'rows_read' : 'rows_written';
  const r = await client.query(
    `SELECT m.${column}::bigint AS n FROM dw_meta.checkpoints c
       JOIN dw_meta.materializations m ON m.asset_key = c.asset_key AND m.partition_key = c.partition_key
        AND m.data_version = c.data_version AND m.status = 'success' AND m.${column} IS NOT NULL
      WHERE c.asset_key = $1 AND c.partition_key = $2 ORDER BY m.id DESC LIMIT 1`,
    [asset.key, partitionKey],
  );
  const rows = asset.kind === 'raw' ? counts.rowsRead : counts.rowsWritten;
  const last = r.rows[0] ? Number(r.rows[0].n) : undefined;
  const { maxShrink, growOnly } = guardsOf(asset);
  const name = partitionKey ? `${asset.key}@${partitionKey}` : asset.key;
  if (last === undefined || last === 0) {
    return {
      name: SHRINK_CHECK,
      blocking: true,
      passed: true,
      message: `${rows} rows, no earlier version with rows`,
      metadata: { rows, lastRows: last ?? null, maxShrink, growOnly, allowShrink },
    };
  }
  return judgeShrink(name, rows, last, growOnly ? 0 : maxShrink, allowShrink, growOnly);
}

/** The decision of a shrink guard (every asset's, dbt tables' at publication): empty where there were rows, or a drop beyond `maxShrink`. */
export function judgeShrink(
  name: string,
  rows: number,
  last: number,
  maxShrink: number,
  allowShrink: boolean,
  growOnly = false,
): CheckResult {
  const drop = last === 0 ? 0 : (last - rows) / last;
  const shrinks = last > 0 && (rows === 0 || drop > maxShrink);
  const metadata = { rows, lastRows: last, maxShrink, growOnly, allowShrink };
  if (!shrinks)
    return { name: SHRINK_CHECK, blocking: true, passed: true, message: `${rows} rows where the last version had ${last}`, metadata };
  const what =
    rows === 0
      ? `0 rows where the last version had ${last}`
      : growOnly
        ? `${rows} records where the last published version had ${last} (${last - rows} fewer; a full export never loses them: is the file cut?)`
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

/**
 * The share of each child table's rows (items, payments, reviews) quarantined because their order is not in the data,
 * held by the partition that keeps orphans: above orphanBlock the asset fails (orders were lost: a cut or broken export),
 * above orphanWarn it succeeds with a failed non-blocking check. Below REJECTION_LIMIT_MIN_ROWS rows in a table, its
 * share does not block.
 */
export async function orphanGuards(client: PoolClient, asset: AssetSpec, partitionKey: string): Promise<CheckResult[]> {
  const rules = Object.keys(ORPHAN_TABLES);
  const orphans = (
    await client.query(
      `SELECT rule_code, count(*)::int AS n FROM quarantine.rows WHERE asset_key = $1 AND partition_key = $2 AND rule_code = ANY($3)
        GROUP BY 1 ORDER BY 1`,
      [asset.key, partitionKey, rules],
    )
  ).rows as { rule_code: string; n: number }[];
  const { orphanWarn, orphanBlock } = guardsOf(asset);
  const shares = [];
  for (const o of orphans) {
    const table = ORPHAN_TABLES[o.rule_code] as string;
    const total = Number((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
    shares.push({ rule: o.rule_code, table, orphans: o.n, rows: total, rate: total === 0 ? 0 : o.n / total });
  }
  const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;
  const worst = shares.reduce<(typeof shares)[number] | undefined>((w, x) => (w === undefined || x.rate > w.rate ? x : w), undefined);
  const blocked = shares.some((x) => x.rows >= REJECTION_LIMIT_MIN_ROWS && x.rate > orphanBlock);
  const said = shares.length
    ? shares.map((x) => `${x.orphans} of ${x.rows} rows of ${x.table} (${pct(x.rate)}) have no order in the data (${x.rule})`).join('; ')
    : 'no rows without their order';
  const metadata = { orphanWarn, orphanBlock, minRows: REJECTION_LIMIT_MIN_ROWS, tables: shares };
  return [
    {
      name: ORPHAN_LIMIT_CHECK,
      blocking: true,
      passed: !blocked,
      metadata,
      message: blocked
        ? `${said}: over the limit of ${pct(orphanBlock)}: orders are missing from the export (cut or broken?); fix it and run again`
        : `${said}${shares.length ? `, within the limit of ${pct(orphanBlock)}` : ''}`,
    },
    {
      name: ORPHAN_WARN_CHECK,
      blocking: false,
      passed: (worst?.rate ?? 0) <= orphanWarn,
      metadata,
      message: `${said}${(worst?.rate ?? 0) > orphanWarn ? `, above the warning level of ${pct(orphanWarn)}` : ''}`,
    },
  ];
}
