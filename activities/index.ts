// The worker's activities, bound to their dependencies (pool, graph).
import { type AssetGraph, BackfillPlanError, SelectionError, platformAssets } from '../assets';
import { type BackfillPlanInput, planBackfill } from './backfill/plan';
import { badInput } from './errors';
import { type DbtBuildInput, buildDbtModels } from './dbt/build';
import type { Pool } from '../infra/db';
import { recordMaterialization, recordRunEnd, recordRunStart } from './ledger/ledger';
import { materializeAsset } from './materialize-asset';
import { runQuality, slaFailure } from './quality/run-end';
import { type RunEnd, admitRun, auditRunEnd } from './runs/admission';
import { listPartitions } from './shared/partitions';
import { pruneAfterCleanLoad } from './shared/prune';
import type { BlockedRecord, FailedRecord, MaterializeAssetInput, RunRecord } from './types';

export function createActivities(pool: Pool, graph: AssetGraph, databaseUrl: string) {
  const deps = { pool, graph, databaseUrl };
  const platformKeys = new Set(platformAssets().map((a) => a.key));
  return {
    /** Every run's first activity: checks the signature of its input and audits its start (activities/runs/admission.ts). */
    admitRun: () => admitRun(pool),
    /** Every admitted run's last activity, whatever its outcome: the audit event of its end. */
    auditRunEnd: (end: RunEnd) => auditRunEnd(pool, end),
    materializeAsset: (input: MaterializeAssetInput) => materializeAsset(deps, input),
    buildDbtModels: (input: DbtBuildInput) => buildDbtModels(deps, input),
    /** The assets of the worker's graph beyond the platform's own (dbt models, …): workflows plan with the same graph. */
    extraAssets: async () => graph.assets.filter((a) => !platformKeys.has(a.key)),
    listPartitions: () => listPartitions(pool),
    planBackfill: async (input: BackfillPlanInput) => {
      try {
        return await planBackfill(pool, graph, input);
      } catch (err) {
        if (err instanceof BackfillPlanError || err instanceof SelectionError) throw badInput(err.code, err.message);
        throw err;
      }
    },
    prunePartitions: (input: { runId: string; partitions: string[] }) => pruneAfterCleanLoad(deps, input),
    recordRunStart: (run: RunRecord) => recordRunStart(pool, run),
    /** Also scores the run's quality (run summary's `quality`) and applies its retention; an SLA breach with DW_QUALITY_SLA=block fails the run. */
    recordRunEnd: async (runId: string, status: string, summary: unknown) => {
      const quality = await runQuality(pool, runId);
      const breach = slaFailure(quality);
      await recordRunEnd(pool, runId, breach ? 'failed' : status, quality ? { ...(summary as object), quality } : summary);
      if (breach) throw breach;
    },
    recordBlocked: async (b: BlockedRecord) => {
      await recordMaterialization(pool, { ...b, status: 'blocked', errorCode: 'ASSET.BLOCKED', errorMessage: `blocked by ${b.blockedBy}` });
    },
    recordFailed: async (f: FailedRecord) => {
      await recordMaterialization(pool, {
        runId: f.runId,
        assetKey: f.assetKey,
        partitionKey: f.partitionKey,
        status: 'failed',
        errorCode: f.code,
        errorMessage: f.message,
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type * from './types';
