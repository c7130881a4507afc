// Cardinality: 500 partitions in the ledger (a backfill's worth) add no series to /metrics, only larger values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../infra/metrics';
import { createTestEnv, type TestEnv } from '../support/env';
import { parseMetrics, sum } from '../support/prom-text';

let env: TestEnv;
const ASSET = 'domain/sales/orders';

/** Months [from, to) after 1980-01 of ASSET as a backfill's successful child runs, with their materializations, checks and checkpoints. */
async function seed(from: number, to: number): Promise<void> {
  await env.pool.query(
    `
    WITH p AS (SELECT to_char(date '1980-01-01' + make_interval(months => i), 'YYYY-MM') AS k FROM generate_series($1::int, $2::int - 1) i),
    r AS (INSERT INTO dw_meta.runs (run_id, workflow_id, selection, partition_key, status, finished_at)
          SELECT 'run-' || k, 'backfill:cardinality/' || k, $3, k, 'success', now() FROM p),
    m AS (INSERT INTO dw_meta.materializations (run_id, asset_key, partition_key, status, input_version, data_version, rows_read, rows_written, rows_quarantined, rows_deduplicated)
          SELECT 'run-' || k, $3, k, 'success', 'in-' || k, 'data-' || k, 10, 9, 1, 0 FROM p RETURNING id, partition_key),
    c AS (INSERT INTO dw_meta.checkpoints (asset_key, partition_key, input_version, data_version, materialization_id)
          SELECT $3, partition_key, 'in-' || partition_key, 'data-' || partition_key, id FROM m)
    INSERT INTO dw_meta.check_results (materialization_id, asset_key, partition_key, check_name, passed, blocking, message)
    SELECT id, $3, partition_key, 'row_conservation', true, true, 'ok' FROM m`,
    [from, to, ASSET],
  );
}

async function scrape() {
  const metrics = createMetrics(env.pool);
  return parseMetrics(await metrics.registry.metrics()).filter((s) => s.name.startsWith('dw_') && !s.name.startsWith('dw_worker_'));
}

beforeAll(async () => {
  env = await createTestEnv('metrics_cardinality');
});

afterAll(async () => {
  await env?.close();
});

describe('metrics cardinality', () => {
  it('when a backfill grows from 1 to 500 partitions, then the ledger series stay the same and their values count the partitions', async () => {
    await seed(0, 1);
    const one = await scrape();
    await seed(1, 500);
    const many = await scrape();
    const series = (samples: typeof one) => samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`).sort();
    expect(series(many)).toEqual(series(one));
    expect(many.length).toBeLessThan(40);
    expect(many.filter((s) => Object.values(s.labels).some((v) => /^\d{4}-\d{2}$/.test(v)))).toEqual([]);
    expect(sum(many, 'dw_asset_partitions', { asset: ASSET, state: 'materialized' })).toBe(500);
    expect(sum(many, 'dw_asset_rows', { asset: ASSET, kind: 'read' })).toBe(5000);
    expect(sum(many, 'dw_backfill_partitions', { state: 'success' })).toBe(500);
    expect(sum(many, 'dw_check_results', { asset: ASSET, outcome: 'passed' })).toBe(500);
  });
});
