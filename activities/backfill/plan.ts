// A backfill's plan: its partitions in range, which would run and which are current, with predicted durations.
import { type AssetGraph, backfillPhases, expandPlan, nodeKey, select, selectKeys } from '../../assets';
import type { Pool } from '../../infra/db';
import { type NodeState, assess } from '../ledger/staleness';
import { listPartitions } from '../shared/partitions';

export interface BackfillPlanInput {
  selection: string;
  assetKeys?: string[];
  from?: string;
  to?: string;
  /** With the source folder, extracts compare the files with their checkpoints. */
  sourceDir?: string;
}

export interface PhasePlan {
  keys: string[];
  /** The asset partitions that are not materialized, with the reason. */
  toRun: NodeState[];
  predictedMs: number;
}

export interface PartitionPlan {
  partitionKey: string;
  toRun: NodeState[];
  predictedMs: number;
}

export interface BackfillPlan {
  /** Unpartitioned assets the partitions depend on: they run first, once. */
  upstream: PhasePlan;
  partitionedKeys: string[];
  partitions: PartitionPlan[];
  /** Unpartitioned assets that read the partitions: they run last, once. */
  downstream: PhasePlan;
  /** Partitions whose prediction is unknown (no history of some asset) are counted here. */
  unknownPredictions: number;
}

export async function planBackfill(pool: Pool, graph: AssetGraph, input: BackfillPlanInput): Promise<BackfillPlan> {
  const keys = input.assetKeys ? selectKeys(graph, input.assetKeys) : select(graph, input.selection);
  const phases = backfillPhases(graph, keys);
  const partitions = (await listPartitions(pool)).filter((p) => (!input.from || p >= input.from) && (!input.to || p <= input.to));
  const states = await assess(pool, graph, expandPlan(graph, keys, partitions), input.sourceDir);
  let unknown = 0;
  const phase = (nodes: string[]) => {
    const toRun = nodes.map((n) => states.get(n) as NodeState).filter((s) => s.status !== 'materialized');
    if (toRun.some((s) => s.predictedMs === undefined)) unknown++;
    return { toRun, predictedMs: toRun.reduce((sum, s) => sum + (s.predictedMs ?? 0), 0) };
  };
  return {
    upstream: { keys: phases.upstream, ...phase(phases.upstream) },
    partitionedKeys: phases.partitioned,
    partitions: partitions.map((p) => ({ partitionKey: p, ...phase(phases.partitioned.map((k) => nodeKey(k, p))) })),
    downstream: { keys: phases.downstream, ...phase(phases.downstream) },
    unknownPredictions: unknown,
  };
}
