// The one owner of "what did this asset partition read, and is it current?": input versions (its code version and
// what it read of each upstream asset), the key of its checkpoint; materialize, staleness and the dbt build call it.
import type { AssetGraph, AssetSpec } from '../../assets';
import { nodeKey } from '../../assets';
import type { Pool } from '../../infra/db';
import { sha256Text } from '../../infra/hash';
import { partitionDigests } from './partition-digests';
import { type Checkpoint, getCheckpoint, partitionVersions } from './ledger';

/** The one formula of an input version; `upstream` lists what was read of each dependency, in the asset's order. */
export function inputVersionOf(asset: AssetSpec, partitionKey: string, upstream: readonly (readonly [string, string])[]): string {
  return sha256Text(asset.codeVersion, partitionKey, ...upstream.map(([dep, v]) => `${dep}=${v}`));
}

/** The input version of an extract: its code version and the source file's bytes. */
export function sourceVersionOf(asset: AssetSpec, fileSha256: string): string {
  return sha256Text(asset.codeVersion, fileSha256);
}

/**
 * Reads upstream data versions from the ledger. Live by default (one query per lookup, for one materialization);
 * `snapshot` loads every checkpoint at once, for assessing thousands of asset partitions.
 */
export class LedgerVersions {
  private checkpoints?: Map<string, Checkpoint>;
  private readonly digests = new Map<string, Promise<Map<string, string> | undefined>>();

  constructor(
    private readonly pool: Pool,
    private readonly graph: AssetGraph,
  ) {}

  static async snapshot(pool: Pool, graph: AssetGraph): Promise<LedgerVersions> {
    const v = new LedgerVersions(pool, graph);
    const r = await pool.query(`SELECT asset_key, partition_key, input_version, data_version, materialization_id FROM dw_meta.checkpoints`);
    v.checkpoints = new Map(
      r.rows.map((row) => [
        nodeKey(row.asset_key, row.partition_key),
        { inputVersion: row.input_version, dataVersion: row.data_version, materializationId: Number(row.materialization_id) },
      ]),
    );
    return v;
  }

  async checkpoint(assetKey: string, partitionKey: string): Promise<Checkpoint | undefined> {
    return this.checkpoints ? this.checkpoints.get(nodeKey(assetKey, partitionKey)) : getCheckpoint(this.pool, assetKey, partitionKey);
  }

  /** The data versions of every partition of an asset, as one string (what an unpartitioned downstream reads). */
  private async allPartitions(assetKey: string): Promise<string | undefined> {
    if (!this.checkpoints) return partitionVersions(this.pool, assetKey);
    const parts = [...this.checkpoints]
      .filter(([node]) => node.startsWith(`${assetKey}@`))
      .map(([node, cp]) => `${node.slice(assetKey.length + 1)}:${cp.dataVersion}`)
      .sort();
    return parts.length ? parts.join(',') : undefined;
  }

  private async digest(assetKey: string, partitionKey: string): Promise<string | undefined> {
    let all = this.digests.get(assetKey);
    if (!all) this.digests.set(assetKey, (all = partitionDigests(this.pool, this.graph, assetKey)));
    const map = await all;
    return map && `rows:${map.get(partitionKey) ?? 'none'}`;
  }

  /**
   * What `asset` at `partitionKey` reads of `dep`: the same partition of a partitioned dependency, all partitions
   * of one for an unpartitioned asset, only this partition's rows of a staged table with a partition mapping, else
   * the whole dependency's data version. Undefined when the dependency was never materialized.
   */
  async upstream(asset: AssetSpec, dep: string, partitionKey: string): Promise<string | undefined> {
    const upstream = this.graph.get(dep);
    // A dbt model built in a partition's run holds that partition's checkpoint, else the whole-table one.
    if (upstream.kind === 'dbt' && partitionKey)
      return (await this.checkpoint(dep, partitionKey))?.dataVersion ?? (await this.checkpoint(dep, ''))?.dataVersion;
    if (upstream.partitioned) return asset.partitioned ? (await this.checkpoint(dep, partitionKey))?.dataVersion : this.allPartitions(dep);
    if (asset.partitioned && upstream.partitionMapping) return this.digest(dep, partitionKey);
    return (await this.checkpoint(dep, ''))?.dataVersion;
  }
}

/** What an asset partition read: its input version ('missing' stands for each dependency in `missing`). */
export interface ReadVersion {
  inputVersion: string;
  /** The dependencies never materialized (or pruned), in the asset's order. */
  missing: string[];
}

/**
 * The input version of a derived asset partition, from its code version and what it reads of each dependency.
 * `planned` gives the version a dependency will have in this run, when it runs first in the same one (dbt builds
 * its models together, so a model reads the input version of the models it selects with it).
 */
export async function readVersion(
  versions: LedgerVersions,
  asset: AssetSpec,
  partitionKey: string,
  planned: (dep: string) => string | undefined = () => undefined,
): Promise<ReadVersion> {
  const upstream: [string, string][] = [];
  const missing: string[] = [];
  for (const dep of asset.deps) {
    const v = planned(dep) ?? (await versions.upstream(asset, dep, partitionKey));
    if (v === undefined) missing.push(dep);
    upstream.push([dep, v ?? 'missing']);
  }
  return { inputVersion: inputVersionOf(asset, partitionKey, upstream), missing };
}

/** Whether a checkpoint holds this input version: then the asset partition is current and needs no run. */
export function isCurrent(checkpoint: Checkpoint | undefined, inputVersion: string | undefined): checkpoint is Checkpoint {
  return checkpoint !== undefined && inputVersion !== undefined && checkpoint.inputVersion === inputVersion;
}
