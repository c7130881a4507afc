// A backfill's plan: its partitions in range, which would run and which are current, with predicted durations.
import { type AssetGraph, expandPlan, nodeKey, select } from '../../assets';
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

export class BackfillPlanError extends Error {
  readonly code = 'BACKFILL.NO_PARTITIONED_ASSETS';
}

/** The assets of a selection by backfill phase: unpartitioned upstream, partitioned, unpartitioned downstream. */
export function backfillPhases(graph: AssetGraph, keys: readonly string[]) {
  const partitioned = keys.filter((k) => graph.get(k).partitioned);
  if (partitioned.length === 0) throw new BackfillPlanError(`the selection has no partitioned asset: a backfill runs monthly partitions (use dw materialize for the rest)`);
  const upstream = keys.filter((k) => !graph.get(k).partitioned && partitioned.some((p) => graph.upstreamClosure(p).has(k)));
  const downstream = keys.filter((k) => !graph.get(k).partitioned && !upstream.includes(k));
  return { upstream, partitioned, downstream };
}

export async function planBackfill(pool: Pool, graph: AssetGraph, input: BackfillPlanInput): Promise<BackfillPlan> {
  const keys = select(graph, input.assetKeys?.join(',') ?? input.selection);
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
