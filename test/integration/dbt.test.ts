// The dbt warehouse as assets: every model built and tested, marts checked against figures computed from the staged data.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../activities/dbt/manifest';
import { select } from '../../assets';
import { startMaterialize } from '../../cli/temporal-client';
import { analyticsDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR } from '../support/fixtures';

let env: TestEnv;
const source = SAMPLE_DIR;
const byKey = <T extends { key: string }>(rows: T[]) => new Map(rows.map((r) => [r.key, r]));

beforeAll(async () => {
  env = await createTestEnv('dbt');
  await env.startWorker();
  const s = await env.materialize({ selection: '*', sourceDir: source });
  expect(s.rootCauses).toEqual([]);
});
afterAll(() => env?.close());

async function rows(sql: string, params: unknown[] = []) {
  return (await env.pool.query(sql, params)).rows;
}

function dbtProcesses(): string[] {
  try {
    // The in-process worker of this test starts dbt as its child.
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'dbt build'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

describe('dbt models as assets', () => {
  it('when the graph is loaded, then every dbt model is an asset with its upstream domain assets and its tests as checks', async () => {
    const graph = await loadGraph(env.databaseUrl);
    const dbt = graph.assets.filter((a) => a.kind === 'dbt');
    expect(dbt.map((a) => a.key)).toEqual(
      expect.arrayContaining([
        'dbt/dim_customer',
        'dbt/dim_date',
        'dbt/dim_product',
        'dbt/dim_seller',
        'dbt/fact_orders',
        'dbt/fact_deliveries',
        'dbt/mart_executive_dashboard',
        'dbt/mart_customer_analytics',
        'dbt/mart_seller_performance',
      ]),
    );
    expect(graph.get('dbt/stg_olist__orders').deps).toEqual(['domain/sales/orders']);
    expect(graph.get('dbt/fact_orders').checks.some((c) => c.name.startsWith('unique_fact_orders_order_id'))).toBe(true);
    expect(select(graph, '+dbt/mart_executive_dashboard')).toContain('raw/orders');
  });

  it('when everything is materialized, then every model is built and every test passed', async () => {
    const checks = await rows(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT passed)::int AS failed FROM dw_meta.check_results WHERE asset_key LIKE 'dbt/%'`,
    );
    expect(checks[0].failed).toBe(0);
    expect(checks[0].n).toBeGreaterThan(200);
    const models = await rows(`SELECT count(*)::int AS n FROM dw_meta.checkpoints WHERE asset_key LIKE 'dbt/%'`);
    expect(models[0].n).toBe((await loadGraph(env.databaseUrl)).assets.filter((a) => a.kind === 'dbt').length);
  });

  it('when the facts are read, then fact_orders has one row per source order and dim_customer one per person', async () => {
    const [f] =
      await rows(`SELECT (SELECT count(*) FROM analytics.fact_orders)::int AS facts, (SELECT count(DISTINCT order_id) FROM analytics.fact_orders)::int AS ids,
      (SELECT count(*) FROM staging.orders)::int AS staged, (SELECT count(*) FROM analytics.dim_customer WHERE NOT is_unknown_member)::int AS customers,
      (SELECT count(DISTINCT customer_unique_id) FROM staging.customers)::int AS persons`);
    expect(f).toEqual({ facts: f.staged, ids: f.staged, staged: 1000, customers: f.persons, persons: f.persons });
  });

  it('when the executive mart is compared with figures computed from the staged rows, then GMV, orders, reviews and on-time rate agree to the centavo', async () => {
    const mart = byKey(
      await rows(
        `SELECT purchase_month AS key, gmv::text, orders_count::int, average_review_score::float8 AS review, on_time_rate::float8 AS on_time FROM analytics.mart_executive_dashboard`,
      ),
    );
    const expected = await rows(`
      WITH o AS (SELECT order_id, order_status, to_char(order_purchase_timestamp, 'YYYY-MM') AS m, order_delivered_customer_date AS delivered, order_estimated_delivery_date AS estimated FROM staging.orders),
           gmv AS (SELECT o.m, sum(i.price + i.freight_value) AS gmv FROM o JOIN staging.order_items i USING (order_id) WHERE o.order_status NOT IN ('canceled', 'unavailable') GROUP BY 1),
           r AS (SELECT order_id, avg(review_score::numeric) AS s FROM staging.order_reviews GROUP BY 1),
           rev AS (SELECT o.m, avg(r.s)::float8 AS review FROM o JOIN r USING (order_id) GROUP BY 1),
           del AS (SELECT m, (count(*) FILTER (WHERE delivered::date <= estimated::date))::float8 / count(*) AS on_time FROM o WHERE delivered IS NOT NULL GROUP BY 1)
      SELECT o.m AS key, coalesce(gmv.gmv, 0)::numeric(16,2)::text AS gmv, count(*)::int AS orders_count, rev.review, del.on_time
        FROM o LEFT JOIN gmv USING (m) LEFT JOIN rev USING (m) LEFT JOIN del USING (m) GROUP BY o.m, gmv.gmv, rev.review, del.on_time ORDER BY 1`);
    expect(expected.length).toBeGreaterThan(20);
    for (const e of expected) {
      const m = mart.get(e.key);
      expect(m, e.key).toBeDefined();
      expect(m?.gmv, `${e.key} GMV`).toBe(e.gmv);
      expect(m?.orders_count, `${e.key} orders`).toBe(e.orders_count);
      if (e.review === null) expect(m?.review).toBeNull();
      else expect(m?.review, `${e.key} review`).toBeCloseTo(e.review, 9);
      if (e.on_time === null) expect(m?.on_time).toBeNull();
      else expect(m?.on_time, `${e.key} on time`).toBeCloseTo(e.on_time, 9);
    }
  });

  it("when one partition is re-run, then exactly that month's fact rows are recomputed and the other months are kept", async () => {
    // Mark one published row of the month and one of another month: the month is recomputed, the rest carried over.
    const [inMonth] = await rows(`SELECT order_id FROM analytics.fact_orders WHERE purchase_month = '2017-11' ORDER BY order_id LIMIT 1`);
    const [other] = await rows(`SELECT order_id FROM analytics.fact_orders WHERE purchase_month = '2017-10' ORDER BY order_id LIMIT 1`);
    const mark = `UPDATE analytics.fact_orders SET review_count = review_count + 100 WHERE order_id = ANY($1)`;
    await env.pool.query(mark, [[inMonth.order_id, other.order_id]]);
    const reviewCount = async (id: string) =>
      (await rows(`SELECT review_count FROM analytics.fact_orders WHERE order_id = $1`, [id]))[0].review_count;
    const otherMarked = await reviewCount(other.order_id);
    const before = (await rows(`SELECT count(*)::int AS n FROM analytics.fact_orders`))[0].n;
    const s = await env.materialize({ selection: 'dbt/fact_orders', partitionKey: '2017-11', sourceDir: source, force: true });
    expect(s.status).toBe('success');
    expect(await reviewCount(inMonth.order_id)).toBeLessThan(100);
    expect(await reviewCount(other.order_id)).toBe(otherMarked);
    expect((await rows(`SELECT count(*)::int AS n FROM analytics.fact_orders`))[0].n).toBe(before);
    await env.pool.query(`UPDATE analytics.fact_orders SET review_count = review_count - 100 WHERE order_id = $1`, [other.order_id]);
  });

  it('when a dbt test fails, then its downstream models are blocked by it and every model keeps its published version; after the fix a plain re-run finds them current and settles the failure', async () => {
    const published = await analyticsDigest(env.pool);
    const [victim] = await rows(`SELECT review_id, order_id, review_score FROM customer.reviews LIMIT 1`);
    await env.pool.query(`UPDATE customer.reviews SET review_score = 9 WHERE review_id = $1 AND order_id = $2`, [
      victim.review_id,
      victim.order_id,
    ]);
    const failed = await env.materialize({ selection: 'kind:dbt', sourceDir: source, force: true });
    expect(failed.status).toBe('failed');
    const states = byKey(failed.assets);
    expect(failed.rootCauses).toContain('dbt/stg_olist__reviews');
    expect(states.get('dbt/stg_olist__reviews')?.error?.code).toBe('DBT.TEST_FAILED');
    expect(states.get('dbt/int_reviews_per_order')).toMatchObject({ state: 'blocked', blockedBy: 'dbt/stg_olist__reviews' });
    expect(states.get('dbt/mart_executive_dashboard')).toMatchObject({ state: 'blocked', blockedBy: 'dbt/stg_olist__reviews' });
    expect(states.get('dbt/dim_product')?.state).toBe('materialized');

    await env.pool.query(`UPDATE customer.reviews SET review_score = $3 WHERE review_id = $1 AND order_id = $2`, [
      victim.review_id,
      victim.order_id,
      victim.review_score,
    ]);
    // The failed candidate was never published: the published versions are still the checkpoints of these inputs.
    const again = await env.materialize({ selection: 'kind:dbt', sourceDir: source });
    expect(again.status).toBe('success');
    expect(again.assets.filter((a) => a.state !== 'skipped')).toEqual([]);
    const [settled] = await rows(
      `SELECT status, metadata->>'checkpointHit' AS hit FROM dw_meta.materializations WHERE asset_key = 'dbt/stg_olist__reviews' ORDER BY id DESC LIMIT 1`,
    );
    expect(settled).toEqual({ status: 'success', hit: 'true' });
    expect(await analyticsDigest(env.pool)).toEqual(published);
  });

  it('when the workflow is cancelled while dbt runs, then the dbt process is stopped', async () => {
    const graph = await loadGraph(env.databaseUrl);
    const input = { selection: 'kind:dbt', sourceDir: source, force: true };
    const handle = await startMaterialize(env.client, input, select(graph, input.selection), env.taskQueue);
    const deadline = Date.now() + 60_000;
    while (dbtProcesses().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(dbtProcesses().length).toBeGreaterThan(0);
    await handle.cancel();
    await handle.result().catch(() => undefined);
    const stopped = Date.now() + 30_000;
    while (dbtProcesses().length > 0 && Date.now() < stopped) await new Promise((r) => setTimeout(r, 200));
    expect(dbtProcesses()).toEqual([]);
  });
});
