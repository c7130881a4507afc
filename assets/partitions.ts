// Partition expansion: a plan over (asset, partition) nodes, with each dependency mapped to the right partitions.
import type { AssetGraph } from './graph';
import type { PlannedAsset } from './planner';

/** 'domain/sales/orders@2017-03' for a partitioned asset, the bare key for an unpartitioned one. */
export function nodeKey(assetKey: string, partitionKey: string): string {
  return partitionKey ? `${assetKey}@${partitionKey}` : assetKey;
}

export function splitNodeKey(node: string): { assetKey: string; partitionKey: string } {
  const at = node.lastIndexOf('@');
  return at === -1 ? { assetKey: node, partitionKey: '' } : { assetKey: node.slice(0, at), partitionKey: node.slice(at + 1) };
}

/**
 * Partitioned → partitioned deps stay in the same partition; an unpartitioned asset downstream of a partitioned
 * one waits for all its partitions; deps outside the selection are taken from the ledger.
 */
export function expandPlan(graph: AssetGraph, selected: readonly string[], partitions: readonly string[]): PlannedAsset[] {
  const set = new Set(selected);
  const out: PlannedAsset[] = [];
  for (const key of graph.topologicalOrder(selected)) {
    const asset = graph.get(key);
    const depsIn = (p: string) =>
      asset.deps
        .filter((d) => set.has(d))
        .flatMap((d) => {
          const dep = graph.get(d);
          if (!dep.partitioned) return [d];
          return asset.partitioned ? [nodeKey(d, p)] : partitions.map((q) => nodeKey(d, q));
        });
    if (asset.partitioned) for (const p of partitions) out.push({ key: nodeKey(key, p), deps: depsIn(p) });
    else out.push({ key, deps: depsIn('') });
  }
  return out;
}
