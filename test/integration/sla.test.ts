// Freshness SLAs: dw sla reports each asset's last success, age and breach from the ledger; the metrics carry the same figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshnessSlaSeconds } from '../../assets/freshness';
import { createMetrics } from '../../infra/metrics';
import { dw } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { parseMetrics, sum } from '../support/prom-text';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('sla');
  // fact_orders last succeeded 30 h ago (SLA 26 h), dim_date 1 h ago; the other marts never did.
  await env.pool.query(`INSERT INTO dw_meta.materializations (run_id, asset_key, status, created_at) VALUES
    ('r1', 'dbt/fact_orders', 'success', now() - interval '30 hours'), ('r1', 'dbt/dim_date', 'success', now() - interval '1 hour'),
    ('r2', 'dbt/dim_date', 'failed', now())`);
});

afterAll(async () => {
  await env?.close();
});

describe('dw sla', () => {
  it('when one mart is older than its SLA and others never ran, then dw sla says so per asset and exits 1', () => {
    const r = dw(env, ['sla', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const rows: { assetKey: string; slaHours: number; ageHours: number | null; state: string }[] = JSON.parse(r.stdout);
    const by = new Map(rows.map((x) => [x.assetKey, x]));
    expect(by.get('dbt/fact_orders')).toMatchObject({ slaHours: 26, state: 'breached' });
    expect(by.get('dbt/fact_orders')!.ageHours).toBeCloseTo(30, 1);
    expect(by.get('dbt/dim_date')).toMatchObject({ slaHours: 26, state: 'ok' });
    expect(by.get('dbt/mart_executive_dashboard')).toMatchObject({ state: 'never', ageHours: null });
    expect(by.has('staging/orders')).toBe(false);
  });

  it('when the metrics are scraped, then freshness exceeds the SLA gauge for the breached asset only', async () => {
    const slas = new Map(
      ['dbt/fact_orders', 'dbt/dim_date', 'staging/orders'].flatMap((k) => {
        const s = freshnessSlaSeconds(k);
        return s === undefined ? [] : [[k, s] as const];
      }),
    );
    const samples = parseMetrics(await createMetrics(env.pool, slas).registry.metrics());
    expect(sum(samples, 'dw_asset_freshness_sla_seconds', { asset: 'dbt/fact_orders' })).toBe(26 * 3600);
    expect(
      samples
        .filter((s) => s.name === 'dw_asset_freshness_sla_seconds')
        .map((s) => s.labels.asset)
        .sort(),
    ).toEqual(['dbt/dim_date', 'dbt/fact_orders']);
    expect(sum(samples, 'dw_asset_freshness_seconds', { asset: 'dbt/fact_orders' })).toBeGreaterThan(26 * 3600);
    expect(sum(samples, 'dw_asset_freshness_seconds', { asset: 'dbt/dim_date' })).toBeLessThan(2 * 3600);
  });
});
