// The quality storage contract (migration 0008): results written in one statement, the run's scores, the views, retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, recordResults, scoreRun, type StoredResult } from '../../activities/quality/store';
import { resolveSlaPolicy } from '../../domain/quality';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv('quality-store');
});
afterAll(async () => env?.close());

const result = (over: Partial<StoredResult>): StoredResult => ({
  runId: 'run-a',
  assetKey: 'dbt/dim_customer',
  partitionKey: '',
  suite: 'marts',
  expectationId: 'x',
  kind: 'not_null',
  source: 'suite',
  dimension: 'completeness',
  severity: 'warn',
  weight: 1,
  columnName: 'customer_unique_id',
  evaluated: 100,
  failed: 0,
  observed: { value: 0 },
  outcome: 'pass',
  examples: [],
  ...over,
});

describe('quality storage', () => {
  it('when a run has results, then its scores per asset, dimension and overall follow the weighted pass rate, and the views show them', async () => {
    await env.pool.query(`INSERT INTO dw_meta.runs (run_id, workflow_id, selection, status) VALUES ('run-a', 'wf-a', '*', 'success')`);
    await recordResults(env.pool, [
      result({
        expectationId: 'a',
        evaluated: 100,
        failed: 10,
        outcome: 'warn',
        examples: [{ sourceFile: 'olist_customers_dataset.csv', record: 7, values: { customer_unique_id: null } }],
      }),
      result({ expectationId: 'b', kind: 'unique', dimension: 'uniqueness', evaluated: 100, failed: 0 }),
      result({
        expectationId: 'c',
        assetKey: 'domain/sales/orders',
        partitionKey: '2017-01',
        kind: 'sum_equals',
        dimension: 'accuracy',
        weight: 2,
        evaluated: 1,
        failed: 0,
      }),
    ]);
    const q = await scoreRun(env.pool, 'run-a', resolveSlaPolicy({ onBreach: 'warn' }));
    // (0.9 + 1 + 2 × 1) / 4
    expect(q?.verdict.scores.overall?.score).toBeCloseTo(0.975, 9);
    const scores = (
      await env.pool.query(
        `SELECT asset_key, dimension, score::float AS score, evaluated, failed, sla_status FROM quality.latest_scores ORDER BY 1, 2`,
      )
    ).rows;
    expect(scores).toContainEqual({ asset_key: '*', dimension: 'overall', score: 0.975, evaluated: 201, failed: 10, sla_status: 'warn' });
    expect(scores).toContainEqual({
      asset_key: 'dbt/dim_customer',
      dimension: 'completeness',
      score: 0.9,
      evaluated: 100,
      failed: 10,
      sla_status: 'warn',
    });
    expect(scores).toContainEqual({
      asset_key: 'dbt/dim_customer',
      dimension: 'overall',
      score: 0.95,
      evaluated: 200,
      failed: 10,
      sla_status: 'warn',
    });
    expect(scores).toContainEqual({
      asset_key: 'domain/sales/orders',
      dimension: 'overall',
      score: 1,
      evaluated: 1,
      failed: 0,
      sla_status: 'pass',
    });
    const failures = (await env.pool.query(`SELECT expectation_id, examples FROM quality.failures`)).rows;
    expect(failures).toEqual([
      { expectation_id: 'a', examples: [{ sourceFile: 'olist_customers_dataset.csv', record: 7, values: { customer_unique_id: null } }] },
    ]);
    const history = (
      await env.pool.query(
        `SELECT count(*)::int AS n, bool_and(started_at IS NOT NULL) AS dated FROM quality.score_history WHERE run_id = 'run-a'`,
      )
    ).rows[0];
    expect(history).toEqual({ n: scores.length, dated: true });
  });

  it('when results and scores are older than the retention window, then the end-of-run retention deletes them and keeps the rest', async () => {
    await recordResults(env.pool, [result({ runId: 'run-old', expectationId: 'old' })]);
    await scoreRun(env.pool, 'run-old', resolveSlaPolicy());
    await env.pool.query(`UPDATE dw_meta.expectation_results SET evaluated_at = now() - interval '91 days' WHERE run_id = 'run-old'`);
    await env.pool.query(`UPDATE dw_meta.quality_scores SET computed_at = now() - interval '91 days' WHERE run_id = 'run-old'`);
    const removed = await applyRetention(env.pool, 90);
    expect(removed.results).toBe(1);
    expect(removed.scores).toBeGreaterThan(0);
    const left = (
      await env.pool.query(
        `SELECT DISTINCT run_id FROM dw_meta.expectation_results UNION SELECT DISTINCT run_id FROM dw_meta.quality_scores`,
      )
    ).rows;
    expect(left).toEqual([{ run_id: 'run-a' }]);
  });

  it('when a run evaluated nothing, then it has no score', async () => {
    expect(await scoreRun(env.pool, 'run-none', resolveSlaPolicy())).toBeNull();
  });
});
