// dbt/* assets: one `dbt build` for the models whose input version changed; run_results.json into the ledger.
import fs from 'node:fs';
import path from 'node:path';
import type { AssetGraph } from '../../assets';
import { DBT_STATE_DIR, runDbt } from '../../infra/dbt';
import type { Pool } from '../../infra/db';
import { type CheckResult, getCheckpoint, latestAttemptId, partitionVersions, recordMaterialization } from '../ledger/ledger';
import { inputVersionOf } from '../ledger/versions';
import { activityContext } from '../shared/activity-context';
import type { AssetResult } from '../types';
import { loadManifest } from './manifest';

export interface DbtBuildInput {
  runId: string;
  /** dbt/<model> asset keys, in the selection. */
  assetKeys: string[];
  /** With a partition, the incremental facts rebuild only that month (dbt var partition_key). */
  partitionKey?: string;
  force?: boolean;
  /** Publish a model even when its row count shrinks beyond its guard. */
  allowShrink?: boolean;
  /** Rebuild models whose last attempt failed although their inputs did not change. */
  retryFailed?: boolean;
}

interface RunResult {
  unique_id: string;
  status: string;
  execution_time: number;
  message: string | null;
  failures: number | null;
  adapter_response?: { rows_affected?: number };
}

export async function buildDbtModels(deps: { pool: Pool; graph: AssetGraph; databaseUrl: string }, input: DbtBuildInput): Promise<AssetResult[]> {
  const partitionKey = input.partitionKey ?? '';
  const { graph, pool } = deps;
  const order = graph.topologicalOrder(input.assetKeys);
  const versions = new Map<string, string>();
  for (const key of order) {
    const asset = graph.get(key);
    const upstream: [string, string][] = [];
    for (const d of asset.deps) {
      const dep = graph.get(d);
      let v = versions.get(d);
      if (v === undefined && dep.partitioned) {
        v = await partitionVersions(pool, d);
      } else if (v === undefined) {
        v = (await getCheckpoint(pool, d, dep.kind === 'dbt' ? partitionKey : ''))?.dataVersion ?? (await getCheckpoint(pool, d, ''))?.dataVersion;
      }
      upstream.push([d, v ?? 'missing']);
    }
    versions.set(key, inputVersionOf(asset, partitionKey, upstream));
  }
  // A model is current when its checkpoint has this input version and no attempt failed or was blocked since:
  // dbt writes a model's table before testing it, so after a failed test the table is not the checkpoint's.
  const stale: string[] = [];
  for (const key of order) {
    const cp = await getCheckpoint(pool, key, partitionKey);
    const latest = await latestAttemptId(pool, key, partitionKey);
    if (input.force || cp?.inputVersion !== versions.get(key) || latest !== cp?.materializationId) stale.push(key);
  }
  const skipped = order.filter((k) => !stale.includes(k)).map((k): AssetResult => ({ assetKey: k, partitionKey, outcome: 'skipped', durationMs: 0 }));
  if (stale.length === 0) return skipped;

  const manifest = await loadManifest(deps.databaseUrl);
  const targetPath = path.join(DBT_STATE_DIR, 'runs', `${input.runId}-${Date.now()}`);
  const names = stale.map((k) => k.slice('dbt/'.length));
  const args = ['build', '--select', ...names];
  if (partitionKey) args.push('--vars', JSON.stringify({ partition_key: partitionKey }));
  const ctx = activityContext();
  let done = 0;
  const beat = setInterval(() => ctx?.heartbeat({ done }), 5_000);
  let run;
  try {
    run = await runDbt(args, {
      databaseUrl: deps.databaseUrl, targetPath, signal: ctx?.cancellationSignal,
      onEvent: (e) => {
        if (e.info?.name === 'NodeFinished') done++;
      },
    });
  } finally {
    clearInterval(beat);
  }
  if (ctx?.cancellationSignal.aborted) throw new Error('dbt build cancelled');
  const resultsFile = path.join(targetPath, 'run_results.json');
  if (!fs.existsSync(resultsFile)) throw new Error(`dbt build ended (exit ${run.code}) without run_results.json: see ${path.join(targetPath, 'dbt.log')}`);
  const results = (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { results: RunResult[] }).results;
  const byId = new Map(results.map((r) => [r.unique_id, r]));

  // Tests (and unit tests) of each model, from the manifest; singular tests on several models count for each.
  const testsOf = new Map<string, RunResult[]>();
  const allNodes = { ...manifest.nodes, ...((manifest as unknown as { unit_tests?: Record<string, { unique_id: string; name: string; model?: string; depends_on: { nodes: string[] } }> }).unit_tests ?? {}) };
  for (const r of results) {
    if (!r.unique_id.startsWith('test.') && !r.unique_id.startsWith('unit_test.')) continue;
    const node = (allNodes as Record<string, { attached_node?: string | null; depends_on: { nodes: string[] } }>)[r.unique_id];
    const targets = node?.attached_node ? [node.attached_node] : (node?.depends_on.nodes ?? []).filter((d) => d.startsWith('model.'));
    for (const t of targets) testsOf.set(t, [...(testsOf.get(t) ?? []), r]);
  }
  const out: AssetResult[] = [...skipped];
  const failed = new Set<string>();
  for (const key of stale) {
    const name = key.slice('dbt/'.length);
    const id = `model.olist_warehouse.${name}`;
    const r = byId.get(id);
    const tests = testsOf.get(id) ?? [];
    const checks: CheckResult[] = tests.map((t) => ({
      name: t.unique_id.split('.').slice(2).join('.'), blocking: true, passed: t.status === 'pass' || t.status === 'success' || t.status === 'warn',
      message: t.status === 'pass' || t.status === 'success' ? 'pass' : `${t.status}${t.failures ? ` (${t.failures} failing rows)` : ''}${t.message ? `: ${t.message}` : ''}`,
    }));
    const badTests = tests.filter((t) => ['fail', 'error'].includes(t.status));
    const base = { assetKey: key, partitionKey, durationMs: Math.round((r?.execution_time ?? 0) * 1000) };
    if (r?.status === 'success' && badTests.length === 0) {
      // Views report -1 rows: they hold none of their own.
      const rows = Math.max(r.adapter_response?.rows_affected ?? 0, 0);
      const v = versions.get(key) as string;
      await recordMaterialization(pool, {
        runId: input.runId, assetKey: key, partitionKey, status: 'success', inputVersion: v, dataVersion: v, durationMs: base.durationMs,
        counts: { rowsRead: rows, rowsWritten: rows, rowsQuarantined: 0, rowsDeduplicated: 0 }, checks,
      });
      out.push({ ...base, outcome: 'materialized', rowsWritten: rows });
      continue;
    }
    const upstreamFailure = graph.get(key).deps.map((d) => (failed.has(d) ? d : out.find((o) => o.assetKey === d && o.outcome === 'blocked')?.blockedBy)).find(Boolean);
    if ((!r || r.status === 'skipped') && badTests.length === 0 && upstreamFailure) {
      await recordMaterialization(pool, { runId: input.runId, assetKey: key, partitionKey, status: 'blocked', errorCode: 'ASSET.BLOCKED', errorMessage: `blocked by ${upstreamFailure}`, blockedBy: upstreamFailure });
      out.push({ ...base, outcome: 'blocked', blockedBy: upstreamFailure });
      continue;
    }
    const error = badTests.length
      ? { code: 'DBT.TEST_FAILED', message: badTests.map((t) => `${t.unique_id.split('.').slice(2).join('.')}: ${t.status}${t.failures ? ` (${t.failures} failing rows)` : ''}`).join('; ') }
      : { code: 'DBT.MODEL_ERROR', message: r?.message ?? `dbt reported ${r?.status ?? 'no result'} for ${name} (exit ${run.code}); see ${path.join(targetPath, 'dbt.log')}` };
    failed.add(key);
    await recordMaterialization(pool, { runId: input.runId, assetKey: key, partitionKey, status: 'failed', inputVersion: versions.get(key), errorCode: error.code, errorMessage: error.message, checks, durationMs: base.durationMs });
    out.push({ ...base, outcome: 'failed', error });
  }
  return out;
}
