// The status of every asset partition of a plan, from the ledger in a few set-based queries: what would run, and why.
import type { AssetGraph, PlannedAsset } from '../../assets';
import { nodeKey, splitNodeKey } from '../../assets';
import type { Pool } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { sourcePath } from '../extract/extract';
import { hashSource } from '../extract/source-file';
import { LedgerVersions, isCurrent, readVersion, sourceVersionOf } from './versions';

export type NodeStatus = 'materialized' | 'stale' | 'failed' | 'blocked' | 'missing';

export interface NodeState {
  node: string;
  assetKey: string;
  partitionKey: string;
  status: NodeStatus;
  /** Why it is not materialized: the error, the blocking asset, what changed. */
  reason?: string;
  /** Predicted duration from the ledger: this partition's last success, else the asset's median. */
  predictedMs?: number;
}

interface Attempt {
  id: number;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  blockedBy: string | null;
  durationMs: number | null;
}

/**
 * Assesses `steps` (a plan in dependency order). With `sourceDir`, extracts compare the files' bytes with their
 * checkpoints; without it the files are not read and extracts count as current. An asset partition whose upstream
 * in the plan is not materialized is stale: it would run after it.
 */
export async function assess(
  pool: Pool,
  graph: AssetGraph,
  steps: readonly PlannedAsset[],
  sourceDir?: string,
): Promise<Map<string, NodeState>> {
  const versions = await LedgerVersions.snapshot(pool, graph);
  const latest = await latestAttempts(pool);
  const medians = await medianDurations(pool);
  const out = new Map<string, NodeState>();
  for (const step of steps) {
    const { assetKey, partitionKey } = splitNodeKey(step.key);
    const asset = graph.get(assetKey);
    const cp = await versions.checkpoint(assetKey, partitionKey);
    const last = latest.get(step.key);
    const lastSuccess = cp && last?.id === cp.materializationId ? last.durationMs : undefined;
    const state: NodeState = {
      node: step.key,
      assetKey,
      partitionKey,
      status: 'materialized',
      predictedMs: lastSuccess ?? medians.get(assetKey),
    };
    out.set(step.key, state);
    const set = (status: NodeStatus, reason: string) => Object.assign(state, { status, reason });
    if (last?.status === 'failed' && last.id !== cp?.materializationId) {
      set('failed', `${last.errorCode}: ${last.errorMessage}`);
      continue;
    }
    if (last?.status === 'blocked' && last.id !== cp?.materializationId) {
      set('blocked', `blocked by ${last.blockedBy}`);
      continue;
    }
    if (!cp) {
      set('missing', 'never materialized');
      continue;
    }
    const pending = step.deps.map((d) => out.get(d)).find((d) => d && d.status !== 'materialized');
    if (pending) {
      set('stale', `upstream ${pending.node} is ${pending.status}`);
      continue;
    }
    const expected = await expectedVersion(graph, versions, out, assetKey, partitionKey, sourceDir);
    if (expected !== undefined && !isCurrent(cp, expected))
      set('stale', asset.op.type === 'extract' ? 'source file changed' : 'code or upstream data changed');
  }
  return out;
}

/** The input version the asset partition would have now; undefined when it cannot be known without running. */
async function expectedVersion(
  graph: AssetGraph,
  versions: LedgerVersions,
  assessed: Map<string, NodeState>,
  assetKey: string,
  partitionKey: string,
  sourceDir?: string,
): Promise<string | undefined> {
  const asset = graph.get(assetKey);
  if (asset.op.type === 'extract') {
    if (!sourceDir) return undefined;
    try {
      return sourceVersionOf(asset, await hashSource(sourcePath(sourceDir, contract(asset.op.source))));
    } catch {
      return 'source file unreadable';
    }
  }
  // dbt reads its upstream models as they will be after this run; a current model's data version is its input version.
  const inPlan = new Map<string, string | undefined>();
  if (asset.kind === 'dbt') {
    for (const dep of asset.deps)
      if (graph.get(dep).kind === 'dbt' && assessed.has(nodeKey(dep, '')))
        inPlan.set(dep, (await versions.checkpoint(dep, ''))?.inputVersion ?? 'missing');
  }
  const read = await readVersion(versions, asset, partitionKey, (dep) => inPlan.get(dep));
  return read.missing.length && asset.kind !== 'dbt' ? 'upstream missing' : read.inputVersion;
}

async function latestAttempts(pool: Pool): Promise<Map<string, Attempt>> {
  const r = await pool.query(`
    SELECT DISTINCT ON (asset_key, partition_key) asset_key, partition_key, id, status, error_code, error_message, blocked_by, duration_ms
      FROM dw_meta.materializations ORDER BY asset_key, partition_key, id DESC`);
  return new Map(
    r.rows.map((row) => [
      nodeKey(row.asset_key, row.partition_key),
      {
        id: Number(row.id),
        status: row.status,
        errorCode: row.error_code,
        errorMessage: row.error_message,
        blockedBy: row.blocked_by,
        durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
      },
    ]),
  );
}

async function medianDurations(pool: Pool): Promise<Map<string, number>> {
  const r = await pool.query(`
    SELECT asset_key, percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS ms
      FROM dw_meta.materializations WHERE status = 'success' AND duration_ms IS NOT NULL GROUP BY asset_key`);
  return new Map(r.rows.map((row) => [row.asset_key as string, Math.round(Number(row.ms))]));
}
