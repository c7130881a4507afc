// Contract rules, domain rules, row conservation and the asset's other checks as expectation results (one picture).
import type { PoolClient } from 'pg';
import type { AssetSpec } from '../../assets';
import { CUSTOMER_RULES } from '../../domain/customer/customer.errors';
import { FULFILLMENT_RULES } from '../../domain/fulfillment/fulfillment.errors';
import { MARKETPLACE_RULES } from '../../domain/marketplace/marketplace.errors';
import { fromExternalCheck, type ExternalSource } from '../../domain/quality';
import { SALES_RULES } from '../../domain/sales/sales.errors';
import { KINDS, MISSING_RULE, TEXT_TOO_LONG_RULE } from '../../schema/contracts/column-types';
import { contract } from '../../schema/contracts/olist';
import type { CheckResult, RowCounts } from '../types';
import { toStored, type ResultSource, type StoredResult } from './store';

/** Quarantine rules are scored whole: a source record lost to a rule is a breach of that rule, whatever the share. */
export const RULE_KINDS = { contract: 'contract_rule', domain_rule: 'domain_rule' } as const;

/**
 * A rule result stands for a whole file's (or partition's) contract with the business, not one column's property: it
 * weighs as much as three suite expectations. Rows it quarantines never reach the warehouse.
 */
export const RULE_WEIGHT = 3;

/** The rule codes an asset's quarantine can hold: its contract's column rules (staging) or its context's rules (domain). */
export function rulesOf(asset: AssetSpec): string[] {
  if (asset.op.type === 'stage') {
    const c = contract(asset.op.source);
    return [
      ...new Set([
        ...c.columns.map((col) => KINDS[col.kind].rule),
        ...(c.columns.some((col) => col.required) ? [MISSING_RULE] : []),
        ...(c.columns.some((col) => col.maxLength !== undefined) ? [TEXT_TOO_LONG_RULE] : []),
      ]),
    ].sort();
  }
  if (asset.op.type !== 'domain') return [];
  const byContext: Record<string, Record<string, string>> = {
    sales: SALES_RULES,
    customer: CUSTOMER_RULES,
    fulfillment: FULFILLMENT_RULES,
    marketplace: MARKETPLACE_RULES,
  };
  return Object.values(byContext[asset.group] ?? {}).sort();
}

interface QuarantinedRule {
  rule_code: string;
  n: number;
  examples: Array<{ sourceFile: string | null; record: number | null; values: Record<string, unknown> }> | null;
}

/** Quarantine counts by rule with up to 20 examples each (source file and record number), in one query. */
async function quarantinedByRule(client: PoolClient, assetKey: string, partitionKey: string): Promise<QuarantinedRule[]> {
  return (
    await client.query(
      `SELECT rule_code, count(*)::int AS n,
            json_agg(json_build_object('sourceFile', source_file, 'record', source_row, 'values', json_build_object('rule', rule_code, 'reason', reason))
                     ORDER BY source_file, source_row) FILTER (WHERE rn <= 20) AS examples
       FROM (SELECT q.*, row_number() OVER (PARTITION BY rule_code ORDER BY source_file, source_row) AS rn
               FROM quarantine.rows q WHERE asset_key = $1 AND partition_key = $2) x
      GROUP BY rule_code`,
      [assetKey, partitionKey],
    )
  ).rows as QuarantinedRule[];
}

const SOURCE_OF: Record<ExternalSource, ResultSource> = {
  contract: 'contract',
  domain_rule: 'domain',
  row_conservation: 'conservation',
  dbt_test: 'dbt',
};

/**
 * The asset partition's quarantine by rule (every known rule: passing ones too, so a rule's history has no gaps) and
 * its ledger checks (row conservation and the guards) as results. Rules count rows (evaluated = rows read), but a
 * rule that quarantined anything fails (warn: quarantine is the designed outcome; the guards decide blocking).
 */
export async function externalResults(
  client: PoolClient,
  asset: AssetSpec,
  at: { runId: string; partitionKey: string },
  counts: RowCounts,
  checks: readonly CheckResult[],
): Promise<StoredResult[]> {
  const out: StoredResult[] = [];
  const base = { runId: at.runId, assetKey: asset.key, partitionKey: at.partitionKey, suite: `${asset.key}:checks` };
  const known = rulesOf(asset);
  if (known.length || asset.op.type === 'stage' || asset.op.type === 'domain') {
    const found = await quarantinedByRule(client, asset.key, at.partitionKey);
    for (const code of [...new Set([...known, ...found.map((f) => f.rule_code)])].sort()) {
      const hit = found.find((f) => f.rule_code === code);
      const source: ExternalSource = code.startsWith('CONTRACT.') ? 'contract' : 'domain_rule';
      const failed = hit?.n ?? 0;
      const evaluated = Math.max(counts.rowsRead, failed);
      const r = fromExternalCheck({
        source,
        name: code,
        asset: asset.key,
        passed: failed === 0,
        blocking: false,
        weight: RULE_WEIGHT,
        message: failed ? `${failed} of ${evaluated} rows quarantined by ${code}` : `no row quarantined by ${code}`,
      });
      const stored = toStored(
        { ...r, evaluated: 1, failed: failed ? 1 : 0 },
        { ...base, kind: RULE_KINDS[source as keyof typeof RULE_KINDS], source: SOURCE_OF[source] },
      );
      out.push({
        ...stored,
        evaluated,
        failed,
        observed: { value: failed, message: r.message },
        examples: (hit?.examples ?? []).map((x) => ({ ...x, record: x.record === null ? null : Number(x.record) })),
      });
    }
  }
  for (const c of checks) {
    const source: ExternalSource = c.name === 'row_conservation' ? 'row_conservation' : 'domain_rule';
    const r = fromExternalCheck({ source, name: c.name, asset: asset.key, passed: c.passed, blocking: c.blocking, message: c.message });
    out.push(toStored(r, { ...base, kind: source === 'row_conservation' ? 'conservation' : 'check', source: SOURCE_OF[source] }));
  }
  return out;
}

/** A dbt test's result (from run_results.json, as the build recorded it on the model) as an expectation result. */
export function dbtTestResult(check: CheckResult, at: { runId: string; assetKey: string; partitionKey: string }): StoredResult {
  const failing = Number(/\((\d+) failing rows\)/.exec(check.message)?.[1] ?? 0);
  const r = fromExternalCheck({
    source: 'dbt_test',
    name: check.name,
    asset: at.assetKey,
    passed: check.passed,
    blocking: check.blocking,
    message: check.message,
  });
  return {
    ...toStored(r, { ...at, suite: `${at.assetKey}:dbt`, kind: 'dbt_test', source: 'dbt' }),
    observed: { value: failing, message: check.message },
  };
}
