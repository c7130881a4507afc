// The one activity that materializes any asset: input version, checkpoint, the asset's operation, checks, ledger.
import type { AssetGraph, AssetSpec, DomainStep } from '../assets';
import { inTransaction, type Pool, type PoolClient } from '../infra/db';
import { sha256File } from '../infra/hash';
import { logger } from '../infra/logger';
import { contract } from '../schema/contracts/olist';
import { badInput } from './errors';
import { extractFile, sourcePath } from './extract/extract';
import { type Checkpoint, getCheckpoint, latestAttemptId, recordMaterialization } from './ledger/ledger';
import { LedgerVersions, isCurrent, readVersion, sourceVersionOf } from './ledger/versions';
import { buildProfiles } from './customer/build-profiles';
import { validateCustomers } from './customer/validate-customers';
import { validateShipments } from './fulfillment/validate-shipments';
import { validateCatalog } from './marketplace/validate-catalog';
import { validateSalesOrders } from './sales/validate-orders';
import { activityContext } from './shared/activity-context';
import { GUARD_CODES, REJECTION_LIMIT_CHECK, SHRINK_CHECK, rejectionGuards, shrinkGuard } from './shared/guards';
import { assetQuality } from './quality/asset-quality';
import { qualityChecks } from './quality/evaluate';
import { recordResults, type StoredResult } from './quality/store';
import { stageSource } from './staging/stage';
import type { AssetResult, CheckResult, MaterializeAssetInput, RowCounts } from './types';

export interface ActivityDeps {
  pool: Pool;
  graph: AssetGraph;
  databaseUrl?: string;
}

interface OpResult {
  counts: RowCounts;
  checks: CheckResult[];
  source?: { file: string; sha256: string };
  /** Expectation results of this attempt (suites, rules, checks), written after the transaction whatever its outcome. */
  quality?: StoredResult[];
}

interface PreparedOp {
  inputVersion: string;
  run: (client: PoolClient) => Promise<OpResult>;
}

const log = logger('materialize');

export async function materializeAsset(deps: ActivityDeps, input: MaterializeAssetInput): Promise<AssetResult> {
  const started = Date.now();
  const asset = deps.graph.get(input.assetKey);
  const op = await prepare(deps, asset, input);
  const checkpoint = await getCheckpoint(deps.pool, asset.key, input.partitionKey);
  if (!input.force && isCurrent(checkpoint, op.inputVersion)) {
    log.debug('checkpoint hit', { asset: asset.key, partition: input.partitionKey });
    await settleFailedAttempt(deps, input, checkpoint);
    return { assetKey: asset.key, partitionKey: input.partitionKey, outcome: 'skipped', durationMs: Date.now() - started };
  }
  const heartbeat = setInterval(() => heartbeatSafely(), 5_000);
  try {
    // Data and ledger are written in one transaction: a crash leaves the previous version and no ledger trace.
    const outcome = await inTransaction(deps.pool, async (client) => {
      // One writer per asset partition: a concurrent run of the same partition waits, then finds it current.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`materialize:${asset.key}@${input.partitionKey}`]);
      if (!input.force && isCurrent(await getCheckpoint(client, asset.key, input.partitionKey), op.inputVersion)) return 'current' as const;
      const result = await op.run(client);
      result.checks.push(...(await guards(client, asset, input, result.counts)));
      result.quality = await assetQuality(client, asset, input, result);
      result.checks.push(...qualityChecks(result.quality));
      const failed = result.checks.filter((c) => c.blocking && !c.passed);
      // Thrown, so that the transaction rolls back: the new data is never published.
      if (failed.length) throw new BlockingChecksFailed(result, failed);
      await recordMaterialization(client, {
        runId: input.runId, assetKey: asset.key, partitionKey: input.partitionKey, status: 'success',
        inputVersion: op.inputVersion, dataVersion: op.inputVersion, counts: result.counts,
        durationMs: Date.now() - started, checks: result.checks, source: result.source,
      });
      return result;
    });
    if (outcome === 'current') {
      return { assetKey: asset.key, partitionKey: input.partitionKey, outcome: 'skipped', durationMs: Date.now() - started };
    }
    await recordResults(deps.pool, outcome.quality ?? []);
    const c = outcome.counts;
    log.info('materialized', { asset: asset.key, partition: input.partitionKey, ...c, durationMs: Date.now() - started });
    const warnings = outcome.checks.filter((x) => !x.blocking && !x.passed).map((x) => `${x.name}: ${x.message}`);
    const repaired = Number(outcome.checks.find((x) => x.name === 'repairs')?.metadata?.repaired ?? 0);
    return { assetKey: asset.key, partitionKey: input.partitionKey, outcome: 'materialized', durationMs: Date.now() - started, ...c, ...(repaired ? { repaired } : {}), ...(warnings.length ? { warnings } : {}) };
  } catch (err) {
    if (!(err instanceof BlockingChecksFailed)) throw err;
    await recordResults(deps.pool, err.result.quality ?? []);
    // The data was rolled back; the attempt and its checks are still recorded.
    // A shrink guard's message names the asset and the fix on its own; other checks are prefixed by their name.
    const message = err.failed.map((x) => (x.name === SHRINK_CHECK ? x.message : `${x.name}: ${x.message}`)).join('; ');
    const code = GUARD_CODES.find(([name]) => err.failed.some((x) => x.name === name))?.[1] ?? 'CHECK.BLOCKING_FAILED';
    await recordMaterialization(deps.pool, {
      runId: input.runId, assetKey: asset.key, partitionKey: input.partitionKey, status: 'failed',
      inputVersion: op.inputVersion, counts: err.result.counts, durationMs: Date.now() - started,
      errorCode: code, errorMessage: message, checks: err.result.checks, source: err.result.source,
    });
    return {
      assetKey: asset.key, partitionKey: input.partitionKey, outcome: 'failed', durationMs: Date.now() - started,
      ...err.result.counts, error: { code, message },
    };
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * The guards of every non-dbt asset, checked in the transaction before the new version can replace the published
 * one: shrink (every asset) and rejection rate (assets that quarantine rows: staging and domain validation).
 */
async function guards(client: PoolClient, asset: AssetSpec, input: MaterializeAssetInput, counts: RowCounts): Promise<CheckResult[]> {
  const shrink = await shrinkGuard(client, asset, input.partitionKey, counts.rowsWritten, input.allowShrink === true);
  const rejects = asset.checks.some((c) => c.name === REJECTION_LIMIT_CHECK);
  // Rejections first: when they fail, they are why the table shrank.
  return [...(rejects ? await rejectionGuards(client, asset, input.partitionKey, counts) : []), shrink];
}

class BlockingChecksFailed extends Error {
  constructor(readonly result: OpResult, readonly failed: CheckResult[]) {
    super('blocking checks failed');
  }
}

/**
 * A checkpoint hit after a failed or blocked attempt (inputs that failed were fixed back to the published ones):
 * the published data is current for these inputs, so a success is recorded and the failure no longer shows.
 */
async function settleFailedAttempt(deps: ActivityDeps, input: MaterializeAssetInput, checkpoint: Checkpoint): Promise<void> {
  const latest = await latestAttemptId(deps.pool, input.assetKey, input.partitionKey);
  if (latest === undefined || latest === checkpoint.materializationId) return;
  await recordMaterialization(deps.pool, {
    runId: input.runId, assetKey: input.assetKey, partitionKey: input.partitionKey, status: 'success',
    inputVersion: checkpoint.inputVersion, dataVersion: checkpoint.dataVersion, durationMs: 0,
    metadata: { checkpointHit: true, settles: latest },
  });
}

function heartbeatSafely(details?: unknown): void {
  activityContext()?.heartbeat(details);
}

async function prepare(deps: ActivityDeps, asset: AssetSpec, input: MaterializeAssetInput): Promise<PreparedOp> {
  const op = asset.op;
  switch (op.type) {
    case 'extract': {
      const c = contract(op.source);
      const file = sourcePath(input.sourceDir, c);
      const sha256 = await sha256File(file);
      return {
        inputVersion: sourceVersionOf(asset, sha256),
        run: async (client) => {
          let lastBeat = 0;
          const counts = await extractFile(client, c, file, sha256, {
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
            checks: [{ name: 'header_matches_contract', blocking: true, passed: true, message: `header has the ${c.columns.length} contract columns` }],
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
      if (asset.partitioned && !input.partitionKey) throw badInput('ASSET.PARTITION_REQUIRED', `${asset.key} is partitioned by month: give a partition key`);
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
  const { inputVersion, missing: [dep] } = await readVersion(new LedgerVersions(deps.pool, deps.graph), asset, partitionKey);
  if (dep !== undefined) {
    const partitioned = deps.graph.get(dep).partitioned && asset.partitioned;
    const why = await lastAttempt(deps.pool, dep, partitioned ? partitionKey : deps.graph.get(dep).partitioned ? undefined : '');
    throw badInput('ASSET.UPSTREAM_MISSING', `${asset.key} needs ${dep}${partitioned ? ` for ${partitionKey}` : ''}, which ${why}: run dw materialize --select '+${asset.key}'`, { upstream: dep });
  }
  return inputVersion;
}

/** Why an asset (partition; any partition when undefined) has no published version: never run, or how its last attempt ended. */
async function lastAttempt(pool: Pool, assetKey: string, partitionKey: string | undefined): Promise<string> {
  const r = await pool.query(
    `SELECT status, error_code, error_message, blocked_by FROM dw_meta.materializations
      WHERE asset_key = $1 AND ($2::text IS NULL OR partition_key = $2) ORDER BY id DESC LIMIT 1`, [assetKey, partitionKey ?? null]);
  const m = r.rows[0];
  if (!m) return 'has never been materialized';
  if (m.status === 'blocked') return `has no published version (its last attempt was blocked by ${m.blocked_by})`;
  if (m.status === 'failed') return `has no published version (its last attempt failed: ${m.error_code}: ${m.error_message})`;
  // A success without a checkpoint: the prune removed its months, which the current data does not have.
  return 'has no current version (its months were pruned: the data no longer has them)';
}
