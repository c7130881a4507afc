// How each kind of asset is materialized: its input version and the operation that writes it (extract, stage, domain step).
import type { AssetGraph, AssetSpec, DomainStep } from '../assets';
import type { Pool, PoolClient } from '../infra/db';
import { contract } from '../schema/contracts/olist';
import { badInput } from './errors';
import { extractFile, sourcePath } from './extract/extract';
import { hashSource } from './extract/source-file';
import { LedgerVersions, readVersion, sourceVersionOf } from './ledger/versions';
import { buildProfiles } from './customer/build-profiles';
import { validateCustomers } from './customer/validate-customers';
import { validateShipments } from './fulfillment/validate-shipments';
import { validateCatalog } from './marketplace/validate-catalog';
import { validateSalesOrders } from './sales/validate-orders';
import { activityContext } from './shared/activity-context';
import type { StoredResult } from './quality/store';
import { stageSource } from './staging/stage';
import type { CheckResult, MaterializeAssetInput, RowCounts } from './types';

export interface ActivityDeps {
  pool: Pool;
  graph: AssetGraph;
  databaseUrl?: string;
}

export interface OpResult {
  counts: RowCounts;
  checks: CheckResult[];
  source?: { file: string; sha256: string };
  /** Expectation results of this attempt (suites, rules, checks), written after the transaction whatever its outcome. */
  quality?: StoredResult[];
}

export interface PreparedOp {
  inputVersion: string;
  run: (client: PoolClient) => Promise<OpResult>;
}

export function heartbeatSafely(details?: unknown): void {
  activityContext()?.heartbeat(details);
}

export async function prepare(deps: ActivityDeps, asset: AssetSpec, input: MaterializeAssetInput): Promise<PreparedOp> {
  const op = asset.op;
  switch (op.type) {
    case 'extract': {
      const c = contract(op.source);
      const file = sourcePath(input.sourceDir, c);
      // The version planned with; the load reads the file once more and fails unless it loads exactly these bytes.
      const sha256 = await hashSource(file);
      return {
        inputVersion: sourceVersionOf(asset, sha256),
        run: async (client) => {
          let lastBeat = 0;
          const { counts } = await extractFile(client, c, file, sha256, {
            signal: activityContext()?.cancellationSignal,
            onProgress: (p) => {
              if (p.bytes - lastBeat >= 8 << 20 || p.bytes === p.totalBytes) {
                lastBeat = p.bytes;
                heartbeatSafely(p);
              }
            },
          });
          return {
            counts,
            source: { file: c.file, sha256 },
            checks: [
              {
                name: 'header_matches_contract',
                blocking: true,
                passed: true,
                message: `header has the ${c.columns.length} contract columns`,
              },
              // Where read and written differ: the rows of erased persons, named so the difference is accounted for.
              ...(counts.rowsRead > counts.rowsWritten
                ? [
                    {
                      name: 'erased_rows_dropped',
                      blocking: false,
                      passed: true,
                      message: `${counts.rowsRead} records read: ${counts.rowsWritten} loaded, ${counts.rowsRead - counts.rowsWritten} dropped as rows of erased persons (dw lgpd erase)`,
                      metadata: { erased: counts.rowsRead - counts.rowsWritten },
                    },
                  ]
                : []),
            ],
          };
        },
      };
    }
    case 'stage': {
      const c = contract(op.source);
      return {
        inputVersion: await versionFromUpstream(deps, asset, input.partitionKey),
        run: async (client) => stageSource(client, c, asset.key),
      };
    }
    case 'domain': {
      const run = DOMAIN_STEPS[op.step];
      if (asset.partitioned && !input.partitionKey)
        throw badInput('ASSET.PARTITION_REQUIRED', `${asset.key} is partitioned by month: give a partition key`);
      return {
        inputVersion: await versionFromUpstream(deps, asset, input.partitionKey),
        run: (client) => run(client, asset.key, input.partitionKey),
      };
    }
    case 'dbt':
      throw badInput('ASSET.DBT_BATCH', `${asset.key} is a dbt model: dbt models run together through buildDbtModels`);
    case 'noop':
      return {
        inputVersion: await versionFromUpstream(deps, asset, input.partitionKey),
        run: async () => {
          if (op.costMs) await new Promise((r) => setTimeout(r, op.costMs));
          return { counts: { rowsRead: 0, rowsWritten: 0, rowsQuarantined: 0, rowsDeduplicated: 0 }, checks: [] };
        },
      };
  }
}

const DOMAIN_STEPS: Record<DomainStep, (client: PoolClient, assetKey: string, partitionKey: string) => Promise<OpResult>> = {
  'sales-orders': validateSalesOrders,
  'customer-customers': validateCustomers,
  'customer-profiles': (client) => buildProfiles(client),
  'fulfillment-shipments': validateShipments,
  'marketplace-catalog': (client, assetKey) => validateCatalog(client, assetKey),
};

/** The input version of a derived asset partition, from its code version and what it reads of each upstream asset. */
export async function versionFromUpstream(deps: ActivityDeps, asset: AssetSpec, partitionKey: string): Promise<string> {
  const {
    inputVersion,
    missing: [dep],
  } = await readVersion(new LedgerVersions(deps.pool, deps.graph), asset, partitionKey);
  if (dep !== undefined) {
    const partitioned = deps.graph.get(dep).partitioned && asset.partitioned;
    const why = await lastAttempt(deps.pool, dep, partitioned ? partitionKey : deps.graph.get(dep).partitioned ? undefined : '');
    throw badInput(
      'ASSET.UPSTREAM_MISSING',
      `${asset.key} needs ${dep}${partitioned ? ` for ${partitionKey}` : ''}, which ${why}: run dw materialize --select '+${asset.key}'`,
      { upstream: dep },
    );
  }
  return inputVersion;
}

/** Why an asset (partition; any partition when undefined) has no published version: never run, or how its last attempt ended. */
async function lastAttempt(pool: Pool, assetKey: string, partitionKey: string | undefined): Promise<string> {
  const r = await pool.query(
    `SELECT status, error_code, error_message, blocked_by FROM dw_meta.materializations
      WHERE asset_key = $1 AND ($2::text IS NULL OR partition_key = $2) ORDER BY id DESC LIMIT 1`,
    [assetKey, partitionKey ?? null],
  );
  const m = r.rows[0];
  if (!m) return 'has never been materialized';
  if (m.status === 'blocked') return `has no published version (its last attempt was blocked by ${m.blocked_by})`;
  if (m.status === 'failed') return `has no published version (its last attempt failed: ${m.error_code}: ${m.error_message})`;
  // A success without a checkpoint: the prune removed its months, which the current data does not have.
  return 'has no current version (its months were pruned: the data no longer has them)';
}
