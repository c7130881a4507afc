// The worker's /metrics after real runs: ledger figures equal what `dw status` shows; durations, SDK metrics, a taken port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_DIR } from '../../infra/config';
import { TEMPORAL_SDK_METRICS } from '../../infra/temporal-runtime';
import { dw } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { type TestWorker, startTestWorker, waitForHttp } from '../support/metrics-worker';
import { freePortPair, parseMetrics, type Sample, sum } from '../support/prom-text';

let env: TestEnv;
let worker: TestWorker;
let port: number;
const SELECTION = '+domain/sales/orders';

async function scrape(p = port): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${p}/metrics`);
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

async function ledgerCount(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await env.pool.query(sql, params)).rows[0].n);
}

beforeAll(async () => {
  env = await createTestEnv('metrics');
  port = await freePortPair();
  worker = startTestWorker(env, port);
  await waitForHttp(`http://127.0.0.1:${port}/metrics`);
});

afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

describe('worker metrics', () => {
  it('when a selection is materialized, then /metrics shows per asset the rows, partitions and attempts that dw status and the ledger hold', async () => {
    const before = await scrape();
    expect(sum(before, 'dw_ledger_up')).toBe(1);
    expect(before.filter((s) => s.name === 'dw_materializations')).toEqual([]);

    const summary = await env.materialize({ selection: SELECTION, sourceDir: DEFAULT_SOURCE_DIR });
    expect(summary.status).toBe('success');
    const s = await scrape();

    const status = dw(env, ['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const rows: {
      assetKey: string;
      partitionKey: string;
      status: string;
      current: boolean;
      rowsRead: number | null;
      rowsWritten: number | null;
      rowsQuarantined: number | null;
      rowsDeduplicated: number | null;
    }[] = JSON.parse(status.stdout).assets.filter((a: { status: string }) => a.status !== 'never');
    const assets = [...new Set(rows.map((r) => r.assetKey))];
    expect(assets.length).toBeGreaterThan(5);
    for (const asset of assets) {
      const mine = rows.filter((r) => r.assetKey === asset);
      for (const [kind, field] of [
        ['read', 'rowsRead'],
        ['written', 'rowsWritten'],
        ['quarantined', 'rowsQuarantined'],
        ['deduplicated', 'rowsDeduplicated'],
      ] as const) {
        expect(sum(s, 'dw_asset_rows', { asset, kind }), `${asset} ${kind}`).toBe(mine.reduce((a, r) => a + (r[field] ?? 0), 0));
      }
      expect(sum(s, 'dw_materializations', { asset, outcome: 'success' }), asset).toBe(
        await ledgerCount(`SELECT count(*) AS n FROM dw_meta.materializations WHERE asset_key = $1 AND status = 'success'`, [asset]),
      );
      expect(sum(s, 'dw_asset_freshness_seconds', { asset })).toBeLessThan(600);
      expect(
        s.filter((x) => x.name === 'dw_asset_failed' && x.labels.asset === asset).map((x) => x.value),
        asset,
      ).toEqual([0]);
    }
    const months = rows.filter((r) => r.assetKey === 'domain/sales/orders');
    expect(months.length).toBeGreaterThan(10);
    expect(sum(s, 'dw_asset_partitions', { asset: 'domain/sales/orders', state: 'materialized' })).toBe(
      months.filter((r) => r.current).length,
    );
    expect(sum(s, 'dw_materializations', { asset: 'domain/sales/orders', partition_kind: 'monthly' })).toBe(months.length);
    // Cardinality: no series carries a partition key.
    expect(s.filter((x) => Object.values(x.labels).some((v) => /^\d{4}-\d{2}$/.test(v)))).toEqual([]);

    const repairs = (
      await env.pool.query(`SELECT asset_key, sum((metadata->>'repaired')::int)::int AS n FROM dw_meta.check_results
      WHERE check_name = 'repairs' GROUP BY 1`)
    ).rows as { asset_key: string; n: number }[];
    expect(repairs.map((r) => r.asset_key)).toContain('staging/orders');
    for (const r of repairs) expect(sum(s, 'dw_asset_repaired_values', { asset: r.asset_key }), r.asset_key).toBe(r.n);
    expect(sum(s, 'dw_check_results', { outcome: 'passed' })).toBe(
      await ledgerCount(`SELECT count(*) AS n FROM dw_meta.check_results WHERE passed`),
    );
    expect(sum(s, 'dw_runs', { status: 'success' })).toBe(1);
    expect(sum(s, 'dw_ledger_rows', { table: 'materializations' })).toBe(
      await ledgerCount(`SELECT count(*) AS n FROM dw_meta.materializations`),
    );
    expect(sum(s, 'dw_ledger_bytes')).toBeGreaterThan(0);
    // The source file's age: since the ledger first loaded the content raw/orders holds now (this run).
    const runStarted = sum(s, 'dw_last_run_start_timestamp_seconds');
    expect(sum(s, 'dw_source_version_since_timestamp_seconds', { asset: 'raw/orders' })).toBeGreaterThanOrEqual(runStarted);
    expect(sum(s, 'dw_source_age_seconds', { asset: 'raw/orders' })).toBeLessThan(600);
    expect(s.filter((x) => x.name === 'dw_source_age_seconds' && x.labels.asset === 'staging/orders')).toEqual([]);
    // The worker exports the freshness SLA of every asset of its graph that declares one (assets/freshness.ts).
    expect(sum(s, 'dw_asset_freshness_sla_seconds', { asset: 'dbt/mart_executive_dashboard' })).toBe(26 * 3600);
    expect(s.filter((x) => x.name === 'dw_asset_freshness_sla_seconds' && x.labels.asset === 'staging/orders')).toEqual([]);
    // One materializeAsset activity per asset partition, timed by the worker's interceptor.
    expect(sum(s, 'dw_materialization_duration_seconds_count', { outcome: 'materialized' })).toBe(rows.length);
    expect(sum(s, 'dw_activity_duration_seconds_count', { activity: 'materializeAsset', outcome: 'completed' })).toBe(rows.length);
  });

  it('when the same selection runs again, then the ledger series stay and the durations count checkpoint hits as skipped', async () => {
    const before = await scrape();
    const summary = await env.materialize({ selection: SELECTION, sourceDir: DEFAULT_SOURCE_DIR });
    expect(summary.status).toBe('success');
    const after = await scrape();
    expect(sum(after, 'dw_materializations')).toBe(sum(before, 'dw_materializations'));
    expect(sum(after, 'dw_asset_rows', { kind: 'read' })).toBe(sum(before, 'dw_asset_rows', { kind: 'read' }));
    expect(sum(after, 'dw_materialization_duration_seconds_count', { outcome: 'skipped' })).toBe(
      sum(before, 'dw_materialization_duration_seconds_count', { outcome: 'materialized' }),
    );
    expect(sum(after, 'dw_runs', { status: 'success' })).toBe(2);
  });

  it('when the worker has run activities, then the Temporal SDK metrics the dashboards read are served on the next port', async () => {
    const sdk = await scrape(port + 1);
    const names = new Set(sdk.map((x) => x.name.replace(/_(bucket|sum|count)$/, '')));
    for (const name of TEMPORAL_SDK_METRICS) expect(names, name).toContain(name);
    expect(
      sum(sdk, 'temporal_activity_execution_latency_count', { activity_type: 'materializeAsset', task_queue: env.taskQueue }),
    ).toBeGreaterThan(0);
  });

  it('when a second worker finds the metrics ports taken, then it warns and still runs', async () => {
    const second = startTestWorker(env, port);
    await new Promise((r) => setTimeout(r, 1_000));
    for (let i = 0; i < 60 && !/serves no \/metrics/.test(second.output()); i++) await new Promise((r) => setTimeout(r, 500));
    expect(second.output()).toContain('metrics port in use: this worker serves no /metrics');
    expect(second.output()).toContain('Temporal SDK metrics port in use');
    expect(second.child.exitCode).toBeNull();
    await second.stop();
  });
});
