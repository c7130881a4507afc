// Three known runs of quality results written as the pipeline writes them (recordResults, scoreRun), for the dw quality tests.
import { recordResults, scoreRun, type StoredResult } from '../../activities/quality/store';
import { resolveSlaPolicy } from '../../domain/quality';
import type { Pool } from '../../infra/db';

export const SEEDED_RUNS = ['seed-run-1', 'seed-run-2', 'seed-run-3'] as const;
export const SEEDED_ASSETS = [
  'dbt/dim_customer',
  'dbt/fact_orders',
  'dbt/mart_executive_dashboard',
  'domain/sales/orders',
  'staging/orders',
];

type Row = Omit<StoredResult, 'runId' | 'examples' | 'suite' | 'columnName' | 'observed'> & {
  columnName?: string;
  observed?: unknown;
  bad?: number;
};

/** The results of run i (0, 1, 2): the same expectations, more failures in later runs. */
function results(i: number): Row[] {
  const bad = [0, 4, 12][i] as number;
  const dup = [0, 0, 2][i] as number;
  const drift = [0, 1, 1][i] as number;
  const r = (x: Omit<Row, 'outcome'>): Row => ({ ...x, outcome: x.failed === 0 ? 'pass' : x.severity === 'block' ? 'fail' : 'warn' });
  return [
    r({
      assetKey: 'staging/orders',
      partitionKey: '2017-01',
      expectationId: 'orders.order_id.not_null',
      kind: 'not_null',
      source: 'suite',
      dimension: 'completeness',
      severity: 'block',
      weight: 1,
      evaluated: 400,
      failed: 0,
      columnName: 'order_id',
    }),
    r({
      assetKey: 'staging/orders',
      partitionKey: '2017-02',
      expectationId: 'orders.order_id.not_null',
      kind: 'not_null',
      source: 'suite',
      dimension: 'completeness',
      severity: 'block',
      weight: 1,
      evaluated: 600,
      failed: 0,
      columnName: 'order_id',
    }),
    r({
      assetKey: 'staging/orders',
      partitionKey: '2017-01',
      expectationId: 'orders.order_status.in_set',
      kind: 'in_set',
      source: 'suite',
      dimension: 'validity',
      severity: 'warn',
      weight: 2,
      evaluated: 400,
      failed: bad,
      columnName: 'order_status',
      bad,
    }),
    r({
      assetKey: 'domain/sales/orders',
      partitionKey: '2017-01',
      expectationId: 'SALES.PRICE_NOT_POSITIVE',
      kind: 'domain_rule',
      source: 'domain',
      dimension: 'validity',
      severity: 'block',
      weight: 1,
      evaluated: 1000,
      failed: 0,
    }),
    r({
      assetKey: 'domain/sales/orders',
      partitionKey: '2017-01',
      expectationId: 'conservation',
      kind: 'conservation',
      source: 'conservation',
      dimension: 'consistency',
      severity: 'block',
      weight: 1,
      evaluated: 1,
      failed: 0,
    }),
    r({
      assetKey: 'dbt/dim_customer',
      partitionKey: '',
      expectationId: 'dim_customer.customer_unique_id.unique',
      kind: 'unique',
      source: 'suite',
      dimension: 'uniqueness',
      severity: 'block',
      weight: 1,
      evaluated: 900,
      failed: dup,
      columnName: 'customer_unique_id',
    }),
    r({
      assetKey: 'dbt/dim_customer',
      partitionKey: '',
      expectationId: 'dim_customer.customer_segment.in_set',
      kind: 'in_set',
      source: 'suite',
      dimension: 'validity',
      severity: 'warn',
      weight: 1,
      evaluated: 900,
      failed: 0,
      columnName: 'customer_segment',
    }),
    r({
      assetKey: 'dbt/mart_executive_dashboard',
      partitionKey: '',
      expectationId: 'mart_executive_dashboard.cancellation_share.drift',
      kind: 'drift',
      source: 'suite',
      dimension: 'accuracy',
      severity: 'warn',
      weight: 1,
      evaluated: 1,
      failed: drift,
      observed: { value: 0.04 + 0.1 * drift, message: 'share of canceled orders' },
    }),
    r({
      assetKey: 'dbt/mart_executive_dashboard',
      partitionKey: '',
      expectationId: 'mart_executive_dashboard.month.freshness',
      kind: 'freshness',
      source: 'suite',
      dimension: 'timeliness',
      severity: 'warn',
      weight: 1,
      evaluated: 1,
      failed: 0,
      observed: { value: '2018-10-17', message: 'newest month' },
    }),
    r({
      assetKey: 'dbt/fact_orders',
      partitionKey: '',
      expectationId: 'relationships_fact_orders_customer_key',
      kind: 'dbt_test',
      source: 'dbt',
      dimension: 'consistency',
      severity: 'block',
      weight: 1,
      evaluated: 0,
      failed: 0,
    }),
    // Passes within its tolerance although some rows fail: scored 1 by its outcome.
    {
      assetKey: 'dbt/fact_orders',
      partitionKey: '',
      expectationId: 'fact_orders.delivered_at.not_null',
      kind: 'not_null',
      source: 'suite',
      dimension: 'completeness',
      severity: 'warn',
      weight: 1,
      evaluated: 1000,
      failed: 5,
      outcome: 'pass',
      columnName: 'delivered_at',
    },
  ];
}

/** Writes the three runs, 2 h, 1 h and a minute ago, with their scores; returns their run ids, oldest first. */
export async function seedQualityRuns(pool: Pool): Promise<readonly string[]> {
  const policy = resolveSlaPolicy({ onBreach: 'warn' });
  for (const [i, runId] of SEEDED_RUNS.entries()) {
    const ago = `${(2 - i) * 60 + 1} minutes`;
    await pool.query(
      `INSERT INTO dw_meta.runs (run_id, workflow_id, selection, partition_key, status, started_at, finished_at)
      VALUES ($1, $1, '*', NULL, 'success', now() - $2::interval, now() - $2::interval + interval '30 seconds')`,
      [runId, ago],
    );
    await recordResults(
      pool,
      results(i).map(({ bad, ...x }) => ({
        ...x,
        runId,
        suite: x.assetKey.split('/')[1] ?? x.assetKey,
        columnName: x.columnName ?? null,
        observed: x.observed ?? { value: x.failed, message: `${x.failed} failed` },
        examples: Array.from({ length: Math.min(bad ?? 0, 20) }, (_, k) => ({
          sourceFile: 'olist_orders_dataset.csv',
          record: 100 + k,
          values: { order_status: `<b>bogus ${k}</b>` },
        })),
      })),
    );
    await pool.query(
      `UPDATE dw_meta.expectation_results SET evaluated_at = now() - $2::interval + interval '20 seconds' WHERE run_id = $1`,
      [runId, ago],
    );
    await scoreRun(pool, runId, policy);
    await pool.query(`UPDATE dw_meta.quality_scores SET computed_at = now() - $2::interval + interval '25 seconds' WHERE run_id = $1`, [
      runId,
      ago,
    ]);
  }
  return SEEDED_RUNS;
}

/**
 * The weighted score per group, straight from the stored rows: the row share when the counts show the outcome and the kind
 * counts rows, else 1/0 (rules, checks and dbt tests are scored whole).
 */
export const RECOMPUTE = (group: string) => `
  WITH r AS (SELECT *, CASE WHEN (failed > 0) = (outcome <> 'pass')
                                 AND kind NOT IN ('contract_rule', 'domain_rule', 'conservation', 'check', 'dbt_test')
                            THEN CASE WHEN evaluated = 0 THEN 1 ELSE 1 - failed::numeric / evaluated END
                            ELSE CASE WHEN outcome = 'pass' THEN 1 ELSE 0 END END AS s
               FROM dw_meta.expectation_results WHERE run_id = $1)
  SELECT ${group} AS k, (sum(weight * s) / sum(weight))::float8 AS score, count(*)::int AS expectations,
         count(*) FILTER (WHERE outcome <> 'pass')::int AS failed, sum(evaluated)::float8 AS evaluated_rows, sum(failed)::float8 AS failed_rows
    FROM r GROUP BY 1 ORDER BY 1`;
