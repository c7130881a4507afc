// The phases of a run over monthly partitions: the unpartitioned assets the partitions read run before them, once.
import type { AssetGraph } from './graph';

export class BackfillPlanError extends Error {
  readonly code = 'BACKFILL.NO_PARTITIONED_ASSETS';
}

/**
 * The unpartitioned assets of `keys` that a partitioned asset of `keys` reads (directly or further up), in the order
 * of `keys`. With `withLoad`, every raw and staging asset of `keys` too (a materialize run loads everything first).
 */
export function upstreamOfPartitioned(graph: AssetGraph, keys: readonly string[], opts: { withLoad?: boolean } = {}): string[] {
  const partitioned = keys.filter((k) => graph.get(k).partitioned);
  if (partitioned.length === 0) return [];
  const isLoad = (k: string) => opts.withLoad === true && ['raw', 'staging'].includes(graph.get(k).kind);
  return keys.filter((k) => !graph.get(k).partitioned && (isLoad(k) || partitioned.some((p) => graph.upstreamClosure(p).has(k))));
}

/** The assets of a selection by backfill phase: unpartitioned upstream, partitioned, unpartitioned downstream. */
export function backfillPhases(graph: AssetGraph, keys: readonly string[]) {
  const partitioned = keys.filter((k) => graph.get(k).partitioned);
  if (partitioned.length === 0)
    throw new BackfillPlanError(
      `the selection has no partitioned asset: a backfill runs monthly partitions (use dw materialize for the rest)`,
    );
  const upstream = upstreamOfPartitioned(graph, keys);
  const downstream = keys.filter((k) => !graph.get(k).partitioned && !upstream.includes(k));
  return { upstream, partitioned, downstream };
}
