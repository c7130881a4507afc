// dw quality, history and failures on three stored runs: scores and counts against an independent SQL recomputation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dw as run } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { RECOMPUTE, SEEDED_ASSETS, seedQualityRuns } from '../support/quality-seed';

let env: TestEnv;
let runs: readonly string[];
const dw = (args: string[]) => {
  const r = run(env, args, 60_000);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};
const json = (args: string[]) => JSON.parse(dw([...args, '--json']));

beforeAll(async () => {
  env = await createTestEnv('quality_cli');
  runs = await seedQualityRuns(env.pool);
});

afterAll(async () => {
  await env?.close();
});

describe('dw quality', () => {
  it('when three runs are stored, then the latest one is shown with per-dimension scores and counts as SQL recomputes them', async () => {
    const report = json(['quality']);
    expect(report.runId).toBe(runs[2]);
    expect(report.previousRunId).toBe(runs[1]);
    const dims = (await env.pool.query(RECOMPUTE('dimension'), [runs[2]])).rows;
    expect(dims.length).toBe(6);
    expect(report.dimensions.map((d: { dimension: string }) => d.dimension)).toEqual(dims.map((d) => d.k));
    for (const [i, d] of dims.entries()) {
      const shown = report.dimensions[i];
      expect(shown.score, d.k).toBeCloseTo(d.score, 12);
      expect(
        { expectations: shown.expectations, failed: shown.failed, evaluatedRows: shown.evaluatedRows, failedRows: shown.failedRows },
        d.k,
      ).toEqual({ expectations: d.expectations, failed: d.failed, evaluatedRows: d.evaluated_rows, failedRows: d.failed_rows });
    }
    const assets = (await env.pool.query(RECOMPUTE('asset_key'), [runs[2]])).rows;
    expect(report.assets.map((a: { assetKey: string; score: number }) => [a.assetKey, a.score.toFixed(12)])).toEqual(
      assets.map((a) => [a.k, a.score.toFixed(12)]),
    );
    const [all] = (await env.pool.query(RECOMPUTE(`'*'`), [runs[2]])).rows;
    const [before] = (await env.pool.query(RECOMPUTE(`'*'`), [runs[1]])).rows;
    expect(report.overall.score).toBeCloseTo(all.score, 12);
    expect(report.overall.delta).toBeCloseTo(all.score - before.score, 12);
    // The run's stored score (written by the pipeline's scoreRun) agrees with what dw quality shows.
    const stored = (
      await env.pool.query(
        `SELECT score::float8 AS s, sla_status FROM dw_meta.quality_scores WHERE run_id = $1 AND asset_key = '*' AND dimension = 'overall'`,
        [runs[2]],
      )
    ).rows[0];
    expect(report.overall.score).toBeCloseTo(stored.s, 12);
    expect(report.overall.status).toBe(stored.sla_status);
    // A blocking duplicate in dim_customer: ✘ there, and the overall blocks.
    expect(report.assets.find((a: { assetKey: string }) => a.assetKey === 'dbt/dim_customer').status).toBe('block');
    expect(report.overall.status).toBe('block');
  });

  it('when printed for a person, then each line carries its ✔/⚠/✘ and the change in points', () => {
    const text = dw(['quality']);
    expect(text).toMatch(/^✘ overall \d+\.\d\d% \([−+]\d+\.\d\d pp since seed-run-2\)/);
    expect(text).toMatch(/✘ dbt\/dim_customer/);
    expect(text).toMatch(/✔ domain\/sales\/orders/);
    expect(text).toMatch(/⚠ staging\/orders/);
  });
});

describe('dw quality history', () => {
  it('when three runs are stored, then the trend has three rows, and three per asset', () => {
    const overall = json(['quality', 'history']);
    expect(overall.rows.map((r: { runId: string }) => r.runId)).toEqual([...runs]);
    expect(overall.rows[2].dimensions).toHaveProperty('uniqueness');
    const one = json(['quality', 'history', '--asset', 'staging/orders']);
    expect(one.rows.map((r: { runId: string; assetKey: string }) => `${r.runId} ${r.assetKey}`)).toEqual(
      runs.map((id) => `${id} staging/orders`),
    );
    const every = json(['quality', 'history', '--asset', '*']);
    for (const asset of SEEDED_ASSETS) {
      expect(
        every.rows.filter((r: { assetKey: string }) => r.assetKey === asset).map((r: { runId: string }) => r.runId),
        asset,
      ).toEqual([...runs]);
    }
    expect(every.rows.length).toBe(3 * SEEDED_ASSETS.length);
    expect(dw(['quality', 'history']).trim().split('\n')).toHaveLength(4);
  });

  it('when --since is after the first run, then the older run is left out; a bad date is a usage error', async () => {
    const second = (
      await env.pool.query(
        `SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t FROM dw_meta.runs WHERE run_id = $1`,
        [runs[1]],
      )
    ).rows[0].t;
    expect(json(['quality', 'history', '--since', second]).rows.map((r: { runId: string }) => r.runId)).toEqual(runs.slice(1));
    const bad = run(env, ['quality', 'history', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since 'yesterday' is not a date/);
  });
});

describe('dw quality failures', () => {
  it("lists the latest run's failing expectations with examples from the source, paged", async () => {
    const page = json(['quality', 'failures']);
    const expected = (
      await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.expectation_results WHERE run_id = $1 AND outcome <> 'pass'`, [runs[2]])
    ).rows[0].n;
    expect(page.total).toBe(expected);
    expect(page.rows[0]).toMatchObject({
      assetKey: 'staging/orders',
      expectationId: 'orders.order_status.in_set',
      failed: 12,
      outcome: 'warn',
    });
    expect(page.rows[0].examples).toHaveLength(12);
    expect(page.rows[0].examples[0]).toEqual({
      sourceFile: 'olist_orders_dataset.csv',
      record: 100,
      values: { order_status: '<b>bogus 0</b>' },
    });
    const one = json(['quality', 'failures', '--expectation', 'dim_customer.customer_unique_id.unique']);
    expect(one.rows.map((r: { assetKey: string }) => r.assetKey)).toEqual(['dbt/dim_customer']);
    const second = json(['quality', 'failures', '--limit', '1', '--offset', '1']);
    expect(second).toMatchObject({ total: expected, offset: 1, limit: 1 });
    expect(second.rows[0].expectationId).toBe(page.rows[1].expectationId);
    expect(dw(['quality', 'failures', '--asset', 'staging/*'])).toContain(
      'olist_orders_dataset.csv record 111: {"order_status":"<b>bogus 11</b>"}',
    );
  });
});
