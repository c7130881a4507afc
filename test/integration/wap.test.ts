// Write-audit-publish of the dbt models: a failed test or consistency check publishes nothing, views never lose their relations, kept versions, cheap re-runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { missingRelations } from '../../activities/dbt/publish';
import { rollbackModel } from '../../activities/dbt/rollback';
import { loadManifest, publishedRelations } from '../../activities/dbt/manifest';
import { DBT_STATE_DIR } from '../../infra/dbt';
import { loadConfig } from '../../infra/config';
import { analyticsDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR } from '../support/fixtures';

vi.hoisted(() => {
  process.env.DW_KEEP_VERSIONS = '1';
});

let env: TestEnv;
const source = SAMPLE_DIR;

beforeAll(async () => {
  env = await createTestEnv('wap');
  await env.startWorker();
  const s = await env.materialize({ selection: '*', sourceDir: source });
  expect(s.rootCauses).toEqual([]);
}, 300_000);
afterAll(() => env?.close());

async function rows(sql: string, params: unknown[] = []) {
  return (await env.pool.query(sql, params)).rows;
}

const stateOf = (s: { assets: { key: string; state: string; blockedBy?: string; error?: { message: string } }[] }, key: string) =>
  s.assets.find((a) => a.key === key);

/** Adds R$ 10 to one item of an order of `month`: fact_orders' items total then disagrees with the one sales stored. */
async function corruptAnItem(month: string): Promise<() => Promise<void>> {
  const [item] = await rows(
    `SELECT i.order_id, i.order_item_id, i.price::text FROM sales.order_items i JOIN sales.orders o USING (order_id)
      WHERE o.partition_key = $1 ORDER BY 1, 2 LIMIT 1`,
    [month],
  );
  await env.pool.query(`UPDATE sales.order_items SET price = price + 10 WHERE order_id = $1 AND order_item_id = $2`, [
    item.order_id,
    item.order_item_id,
  ]);
  return async () => {
    await env.pool.query(`UPDATE sales.order_items SET price = $3 WHERE order_id = $1 AND order_item_id = $2`, [
      item.order_id,
      item.order_item_id,
      item.price,
    ]);
  };
}

/** Published views that read a relation outside the published schemas and the domain (a retired version, a shadow). */
async function viewsOverUnpublished(): Promise<string[]> {
  return (
    await rows(`
    SELECT DISTINCT vn.nspname || '.' || v.relname || ' -> ' || tn.nspname || '.' || t.relname AS dep
      FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
      JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
     WHERE vn.nspname IN ('analytics', 'analytics_staging', 'analytics_intermediate') AND t.oid <> v.oid
       AND tn.nspname NOT IN ('analytics', 'analytics_staging', 'analytics_intermediate', 'sales', 'customer', 'fulfillment', 'marketplace', 'staging')`)
  ).map((r) => r.dep);
}

describe('write-audit-publish of the dbt models', () => {
  it('when the published schemas are read after a full run, then they are analytics, analytics_staging and analytics_intermediate, with no shadow left', async () => {
    const schemas = (await rows(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'analytics%' ORDER BY 1`)).map((r) => r.nspname);
    expect(schemas).toEqual(['analytics', 'analytics_intermediate', 'analytics_staging']);
    const published = (await rows(`SELECT count(*)::int AS n FROM dw_meta.published_versions WHERE retired_at IS NULL`))[0].n;
    expect(published).toBe(publishedRelations(await loadManifest(env.databaseUrl)).size);
  });

  it("when a mart's dbt test fails, then the run fails naming the test, the published analytics are unchanged, dependants are blocked and the ledger shows the failed candidate", async () => {
    const before = await analyticsDigest(env.pool);
    const [published] = await rows(
      `SELECT id, run_id FROM dw_meta.published_versions WHERE asset_key = 'dbt/fact_orders' AND retired_at IS NULL`,
    );
    const restore = await corruptAnItem('2017-11');
    try {
      const s = await env.materialize({ selection: 'dbt/fact_orders+', sourceDir: source, force: true });
      expect(s.status).toBe('failed');
      expect(s.rootCauses).toEqual(['dbt/fact_orders']);
      expect(stateOf(s, 'dbt/fact_orders')?.error?.message).toContain(
        'assert_fact_orders_totals_match_sales_orders: fail (1 failing rows)',
      );
      const dependants = s.assets.filter((a) => a.key !== 'dbt/fact_orders');
      expect(dependants.map((a) => a.key)).toContain('dbt/mart_executive_dashboard');
      for (const a of dependants) expect(a, a.key).toMatchObject({ state: 'blocked', blockedBy: 'dbt/fact_orders' });
      expect(await analyticsDigest(env.pool)).toEqual(before);
      const [last] = await rows(
        `SELECT status, error_message FROM dw_meta.materializations WHERE asset_key = 'dbt/fact_orders' ORDER BY id DESC LIMIT 1`,
      );
      expect(last.status).toBe('failed');
      expect(last.error_message).toContain('assert_fact_orders_totals_match_sales_orders');
      const [still] = await rows(
        `SELECT id, run_id FROM dw_meta.published_versions WHERE asset_key = 'dbt/fact_orders' AND retired_at IS NULL`,
      );
      expect(still).toEqual(published);
    } finally {
      await restore();
    }
  });

  it('when a consistency check fails in the shadow schemas, then nothing of that run is published', async () => {
    // fact_orders reads the delivery date sales stored, fact_deliveries the one fulfillment stored: make them disagree.
    const [order] = await rows(`SELECT order_id FROM analytics.fact_orders WHERE is_delivered_on_time ORDER BY order_id LIMIT 1`);
    await env.pool.query(`UPDATE sales.orders SET delivered_customer_at = delivered_customer_at + interval '60 days' WHERE order_id = $1`, [
      order.order_id,
    ]);
    const before = await analyticsDigest(env.pool);
    const publishedBefore = await rows(`SELECT id FROM dw_meta.published_versions ORDER BY id`);
    try {
      const s = await env.materialize({ selection: 'kind:dbt', sourceDir: source, force: true });
      expect(s.status).toBe('failed');
      expect(stateOf(s, 'dbt/fact_orders')?.error?.message).toContain('assert_fact_deliveries_are_the_delivered_orders: fail');
      expect(s.assets.filter((a) => a.state === 'materialized')).toEqual([]);
      expect(stateOf(s, 'dbt/dim_product')).toMatchObject({ state: 'blocked' });
      expect(await analyticsDigest(env.pool)).toEqual(before);
      expect(await rows(`SELECT id FROM dw_meta.published_versions ORDER BY id`)).toEqual(publishedBefore);
    } finally {
      await env.pool.query(
        `UPDATE sales.orders SET delivered_customer_at = delivered_customer_at - interval '60 days' WHERE order_id = $1`,
        [order.order_id],
      );
    }
  });

  it('when an upstream view is rebuilt alone, then every model the ledger calls current exists, no view reads a retired relation, and a plain re-run succeeds', async () => {
    const s = await env.materialize({ selection: 'dbt/stg_olist__orders', sourceDir: source, force: true });
    expect(s.status).toBe('success');
    expect(await missingRelations(env.pool, publishedRelations(await loadManifest(env.databaseUrl)))).toEqual([]);
    expect(await viewsOverUnpublished()).toEqual([]);
    const rebuilt =
      await rows(`SELECT asset_key, metadata->>'reason' AS reason FROM dw_meta.materializations m JOIN dw_meta.runs r USING (run_id)
      WHERE r.selection = 'dbt/stg_olist__orders' AND m.status = 'success' ORDER BY m.id`);
    expect(rebuilt).toContainEqual({ asset_key: 'dbt/int_orders_enriched', reason: 'view over a rebuilt model' });

    const again = await env.materialize({ selection: '*', sourceDir: source });
    expect(again.rootCauses).toEqual([]);
    expect(again.status).toBe('success');
  });

  it('when a published relation is missing, then its checkpoint does not count and the model is rebuilt with reason "relation missing"', async () => {
    await env.pool.query(`ALTER TABLE analytics.dim_seller SET SCHEMA dw_versions`);
    await env.pool.query(`ALTER TABLE dw_versions.dim_seller RENAME TO dim_seller_moved_away`);
    const s = await env.materialize({ selection: 'dbt/dim_seller', sourceDir: source });
    expect(stateOf(s, 'dbt/dim_seller')?.state).toBe('materialized');
    const [last] = await rows(
      `SELECT metadata->>'reason' AS reason FROM dw_meta.materializations WHERE asset_key = 'dbt/dim_seller' ORDER BY id DESC LIMIT 1`,
    );
    expect(last.reason).toBe('relation missing');
    expect((await rows(`SELECT count(*)::int AS n FROM analytics.dim_seller`))[0].n).toBeGreaterThan(0);
    await env.pool.query(`DROP TABLE dw_versions.dim_seller_moved_away`);
  });

  it('when a model failed and its inputs did not change, then the next run does not rebuild it and reports it failed unchanged; with retryFailed it is rebuilt', async () => {
    const restore = await corruptAnItem('2017-11');
    const input = { selection: 'dbt/fact_orders', partitionKey: '2017-11', sourceDir: source };
    const first = await env.materialize(input);
    expect(stateOf(first, 'dbt/fact_orders')).toMatchObject({ state: 'failed' });
    const [failedRun] = await rows(
      `SELECT run_id FROM dw_meta.materializations WHERE asset_key = 'dbt/fact_orders' ORDER BY id DESC LIMIT 1`,
    );
    const attempts = async () =>
      (await rows(`SELECT count(*)::int AS n FROM dw_meta.materializations WHERE asset_key = 'dbt/fact_orders'`))[0].n;
    const n = await attempts();
    const dbtRunsOf = (runId: string) =>
      (fs.existsSync(path.join(DBT_STATE_DIR, 'runs')) ? fs.readdirSync(path.join(DBT_STATE_DIR, 'runs')) : []).filter((d) =>
        d.startsWith(`${runId}-`),
      );
    expect(dbtRunsOf(failedRun.run_id).length).toBe(1);

    await restore();
    const second = await env.materialize(input);
    expect(second.status).toBe('failed');
    expect(stateOf(second, 'dbt/fact_orders')?.error?.message).toMatch(
      new RegExp(`^failed \\(unchanged since ${failedRun.run_id}\\): .*assert_fact_orders_totals_match_sales_orders: fail`),
    );
    expect(await attempts()).toBe(n);
    const [secondRun] = await rows(`SELECT run_id FROM dw_meta.runs ORDER BY started_at DESC LIMIT 1`);
    expect(secondRun.run_id).not.toBe(failedRun.run_id);
    expect(dbtRunsOf(secondRun.run_id)).toEqual([]);

    const retried = await env.materialize({ ...input, retryFailed: true });
    expect(retried.status).toBe('success');
    expect(stateOf(retried, 'dbt/fact_orders')?.state).toBe('materialized');
  });

  it('when a table would shrink beyond its guard, then it fails with the counts and the fix and keeps its published version; allowShrink publishes it', async () => {
    const count = async () => (await rows(`SELECT count(*)::int AS n FROM analytics.dim_seller`))[0].n;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await env.pool.query(`CREATE TABLE public.wap_sellers_backup AS SELECT * FROM marketplace.sellers`);
    await env.pool.query(`DELETE FROM marketplace.sellers`);
    try {
      const s = await env.materialize({ selection: 'dbt/dim_seller', sourceDir: source, force: true });
      expect(s.status).toBe('failed');
      expect(stateOf(s, 'dbt/dim_seller')?.error).toEqual({
        code: 'GUARD.SHRINK',
        message: `dbt/dim_seller: 0 rows where the last version had ${before}; pass --allow-shrink if this is intended`,
      });
      expect(await count()).toBe(before);
      const allowed = await env.materialize({ selection: 'dbt/dim_seller', sourceDir: source, force: true, allowShrink: true });
      expect(allowed.status).toBe('success');
      expect(await count()).toBe(0);
    } finally {
      await env.pool.query(`INSERT INTO marketplace.sellers SELECT * FROM public.wap_sellers_backup`);
      await env.pool.query(`DROP TABLE public.wap_sellers_backup`);
    }
    expect((await env.materialize({ selection: 'dbt/dim_seller', sourceDir: source, force: true })).status).toBe('success');
    expect(await count()).toBe(before);
  });

  it('when a model is published several times, then only the last keepVersions retired versions stay in dw_versions', async () => {
    const keep = loadConfig().keepVersions;
    expect(keep).toBe(1);
    for (let i = 0; i < keep + 2; i++)
      expect((await env.materialize({ selection: 'dbt/dim_seller', sourceDir: source, force: true })).status).toBe('success');
    const kept = await rows(
      `SELECT archived_as FROM dw_meta.published_versions WHERE asset_key = 'dbt/dim_seller' AND archived_as IS NOT NULL AND dropped_at IS NULL`,
    );
    expect(kept.length).toBe(keep);
    const inSchema = (
      await rows(`SELECT 'dw_versions.' || relname AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'dw_versions' AND relkind = 'r' AND relname LIKE 'dim\\_seller\\_\\_v%'`)
    ).map((r) => r.r);
    expect(inSchema.sort()).toEqual(kept.map((r) => r.archived_as).sort());
    const dropped = (
      await rows(`SELECT count(*)::int AS n FROM dw_meta.published_versions WHERE asset_key = 'dbt/dim_seller' AND dropped_at IS NOT NULL`)
    )[0].n;
    expect(dropped).toBeGreaterThanOrEqual(2);
  });

  it('when a model is rolled back, then its newest kept version is published again in one transaction with its ledger record', async () => {
    const relation = publishedRelations(await loadManifest(env.databaseUrl)).get('dbt/dim_seller') as { schema: string; name: string };
    const oid = async (rel: string) => (await rows(`SELECT to_regclass($1)::oid::int AS oid`, [rel]))[0].oid;
    const [kept] = await rows(
      `SELECT id, archived_as FROM dw_meta.published_versions WHERE asset_key = 'dbt/dim_seller' AND archived_as IS NOT NULL AND dropped_at IS NULL ORDER BY id DESC LIMIT 1`,
    );
    const keptOid = await oid(kept.archived_as);
    const publishedOid = await oid('analytics.dim_seller');
    const r = await rollbackModel(env.pool, relation, 'dbt/dim_seller');
    expect(r.restored.id).toBe(kept.id);
    expect(await oid('analytics.dim_seller')).toBe(keptOid);
    expect(await oid(r.retiredAs as string)).toBe(publishedOid);
    const [current] =
      await rows(`SELECT p.run_id, c.materialization_id = p.materialization_id AS checkpoint FROM dw_meta.published_versions p
      JOIN dw_meta.checkpoints c ON c.asset_key = p.asset_key AND c.partition_key = '' WHERE p.asset_key = 'dbt/dim_seller' AND p.retired_at IS NULL`);
    expect(current).toEqual({ run_id: `rollback:${kept.id}`, checkpoint: true });
    await expect(rollbackModel(env.pool, relation, 'dbt/dim_seller', 999999)).rejects.toThrow(/has no kept version 999999/);
  });
});
