// The definitions module: every asset of the platform, wired into one graph.
import { AssetGraph } from './graph';
import { olistDomainAssets } from './olist-domain';
import { olistSourceAssets } from './olist-sources';
import type { AssetSpec } from './types';

export * from './types';
export { AssetGraph } from './graph';
export { select, selectKeys, canonicalSelection, SelectionError } from './selection';
export { type Manifest, type ManifestNode, dbtAssets, modelKey } from './dbt-translator';
export { BackfillPlanError, backfillPhases, upstreamOfPartitioned } from './phases';
export { expandPlan, nodeKey, splitNodeKey } from './partitions';
export { plan, Scheduler, type AssetOutcome, type PlannedAsset } from './planner';

export function platformAssets(): AssetSpec[] {
  return [...olistSourceAssets(), ...olistDomainAssets()];
}

export function platformGraph(extra: readonly AssetSpec[] = []): AssetGraph {
  return new AssetGraph([...platformAssets(), ...extra]);
}
