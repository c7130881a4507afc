// The prune of months the data no longer has, only on top of a load that is published end to end through staging.
import { inTransaction } from '../../infra/db';
import { logger } from '../../infra/logger';
import { getCheckpoint, latestAttemptId } from '../ledger/ledger';
import { type ActivityDeps, versionFromUpstream } from '../prepare-op';
import { prunePartitions } from './partitions';

const log = logger('prune');

/**
 * Why the load is not safe to prune from, or undefined: every raw and staging asset must have a published version
 * that is also its latest attempt (no failed or blocked attempt, no fired guard, since), and every staged table
 * must be built from the published raw table.
 */
export async function unsafeToPrune(deps: ActivityDeps): Promise<string | undefined> {
  for (const asset of deps.graph.assets.filter((a) => a.kind === 'raw' || a.kind === 'staging')) {
    const checkpoint = await getCheckpoint(deps.pool, asset.key, '');
    if (!checkpoint) return `${asset.key} has no published version`;
    if ((await latestAttemptId(deps.pool, asset.key, '')) !== checkpoint.materializationId)
      return `the last attempt of ${asset.key} did not publish`;
    if (asset.kind === 'staging' && checkpoint.inputVersion !== (await versionFromUpstream(deps, asset, '')))
      return `${asset.key} is not built from the published ${asset.deps.join(', ')}`;
  }
  return undefined;
}

/** Removes the months outside `partitions` (recorded in dw_meta.pruned_rows under the run) when the load is safe; returns them. */
export async function pruneAfterCleanLoad(deps: ActivityDeps, input: { runId: string; partitions: string[] }): Promise<string[]> {
  const unsafe = await unsafeToPrune(deps);
  if (unsafe) {
    log.warn('prune skipped: the load is not published end to end through staging', { runId: input.runId, reason: unsafe });
    return [];
  }
  return inTransaction(deps.pool, (client) => prunePartitions(client, input.runId, input.partitions));
}
