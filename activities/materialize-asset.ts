// The one activity that materializes any asset: input version, checkpoint, the asset's operation, checks, ledger.
import type { AssetSpec } from '../assets';
import { inTransaction, type PoolClient } from '../infra/db';
import { logger } from '../infra/logger';
import { type Checkpoint, getCheckpoint, latestAttemptId, recordMaterialization } from './ledger/ledger';
import { isCurrent } from './ledger/versions';
import {
  GUARD_CODES,
  ORPHAN_LIMIT_CHECK,
  REJECTION_LIMIT_CHECK,
  SHRINK_CHECK,
  orphanGuards,
  rejectionGuards,
  shrinkGuard,
} from './shared/guards';
import { assetQuality } from './quality/asset-quality';
import { qualityChecks } from './quality/evaluate';
import { recordResults } from './quality/store';
import { type ActivityDeps, type OpResult, heartbeatSafely, prepare } from './prepare-op';
import type { AssetResult, CheckResult, MaterializeAssetInput, RowCounts } from './types';

export type { ActivityDeps } from './prepare-op';

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
        runId: input.runId,
        assetKey: asset.key,
        partitionKey: input.partitionKey,
        status: 'success',
        inputVersion: op.inputVersion,
        dataVersion: op.inputVersion,
        counts: result.counts,
        durationMs: Date.now() - started,
        checks: result.checks,
        source: result.source,
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
    return {
      assetKey: asset.key,
      partitionKey: input.partitionKey,
      outcome: 'materialized',
      durationMs: Date.now() - started,
      ...c,
      ...(repaired ? { repaired } : {}),
      ...(warnings.length ? { warnings } : {}),
    };
  } catch (err) {
    if (!(err instanceof BlockingChecksFailed)) throw err;
    await recordResults(deps.pool, err.result.quality ?? []);
    // The data was rolled back; the attempt and its checks are still recorded.
    // A shrink guard's message names the asset and the fix on its own; other checks are prefixed by their name.
    const message = err.failed.map((x) => (x.name === SHRINK_CHECK ? x.message : `${x.name}: ${x.message}`)).join('; ');
    const code = GUARD_CODES.find(([name]) => err.failed.some((x) => x.name === name))?.[1] ?? 'CHECK.BLOCKING_FAILED';
    await recordMaterialization(deps.pool, {
      runId: input.runId,
      assetKey: asset.key,
      partitionKey: input.partitionKey,
      status: 'failed',
      inputVersion: op.inputVersion,
      counts: err.result.counts,
      durationMs: Date.now() - started,
      errorCode: code,
      errorMessage: message,
      checks: err.result.checks,
      source: err.result.source,
    });
    return {
      assetKey: asset.key,
      partitionKey: input.partitionKey,
      outcome: 'failed',
      durationMs: Date.now() - started,
      ...err.result.counts,
      error: { code, message },
    };
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * The guards of every non-dbt asset, checked in the transaction before the new version can replace the published
 * one: shrink (every asset), orphan rate (the partitions that keep orphans) and rejection rate (assets that quarantine
 * rows: staging and domain validation).
 */
async function guards(client: PoolClient, asset: AssetSpec, input: MaterializeAssetInput, counts: RowCounts): Promise<CheckResult[]> {
  const shrink = await shrinkGuard(client, asset, input.partitionKey, counts, input.allowShrink === true);
  const declares = (name: string) => asset.checks.some((c) => c.name === name);
  // Orphans and rejections first: when they fail, they are why the table shrank.
  return [
    ...(declares(ORPHAN_LIMIT_CHECK) ? await orphanGuards(client, asset, input.partitionKey) : []),
    ...(declares(REJECTION_LIMIT_CHECK) ? await rejectionGuards(client, asset, input.partitionKey, counts) : []),
    shrink,
  ];
}

class BlockingChecksFailed extends Error {
  constructor(
    readonly result: OpResult,
    readonly failed: CheckResult[],
  ) {
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
    runId: input.runId,
    assetKey: input.assetKey,
    partitionKey: input.partitionKey,
    status: 'success',
    inputVersion: checkpoint.inputVersion,
    dataVersion: checkpoint.dataVersion,
    durationMs: 0,
    metadata: { checkpointHit: true, settles: latest },
  });
}
