// A backfill of 500 monthly partitions of a cheap test asset: it completes, continuing as new so that no workflow
// run's history grows with the range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraph, expandPlan, platformAssets } from '../../assets';
import { assess } from '../../activities/ledger/staleness';
import { awaitBackfill, backfillWorkflowId, startBackfill } from '../../cli/temporal-client';
import { createTestEnv, type TestEnv } from '../support/env';

const PARTITIONS = 500;
const PER_RUN = 60;
let env: TestEnv;
const graph = new AssetGraph([
  ...platformAssets(),
  {
    key: 'test/cheap',
    group: 'test',
    kind: 'domain',
    tags: [],
    deps: [],
    partitioned: true,
    description: 'a no-op monthly asset',
    op: { type: 'noop' },
    codeVersion: 'cheap-1',
    checks: [],
  },
]);

beforeAll(async () => {
  env = await createTestEnv('bfscale');
  // 500 months of synthetic orders (1980-01 …): the partitions come from the data, as always.
  await env.pool.query(`
    INSERT INTO staging.orders (order_id, customer_id, order_status, order_purchase_timestamp, order_estimated_delivery_date, _source_sha256, _source_row)
    SELECT md5(i::text), md5('c' || i), 'created', timestamp '1980-01-15' + make_interval(months => i), timestamp '1980-02-15' + make_interval(months => i), 'synthetic', i + 1
      FROM generate_series(0, ${PARTITIONS - 1}) i`);
  await env.pool.query('REFRESH MATERIALIZED VIEW staging.order_partitions');
  await env.startWorker(graph);
});

afterAll(async () => {
  await env?.close();
});

describe('backfill of many partitions', () => {
  it(`when ${PARTITIONS} partitions are backfilled, then all are materialized and each workflow run's history stays bounded`, async () => {
    const workflowId = backfillWorkflowId('bf-scale', env.taskQueue);
    await startBackfill(
      env.client,
      {
        backfillId: 'bf-scale',
        selection: 'test/cheap',
        assetKeys: ['test/cheap'],
        sourceDir: '/nonexistent',
        maxParallel: 10,
        childrenPerRun: PER_RUN,
      },
      env.taskQueue,
    );
    const result = await awaitBackfill(env.client, workflowId);
    expect(result.status).toBe('success');
    expect(result.partitions).toHaveLength(PARTITIONS);
    expect(result.partitions.every((p) => p.state === 'materialized')).toBe(true);
    expect(result.runs).toBe(Math.ceil(PARTITIONS / PER_RUN));

    // The chain of runs: every one but the last continued as new, none holds more than its share of children.
    const runs = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w);
    expect(runs).toHaveLength(Math.ceil(PARTITIONS / PER_RUN));
    expect(runs.filter((w) => w.status.name === 'CONTINUED_AS_NEW')).toHaveLength(runs.length - 1);
    for (const w of runs) {
      const history = await env.client.workflow.getHandle(workflowId, w.runId).fetchHistory();
      const children = history.events?.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length ?? 0;
      expect(children).toBeLessThanOrEqual(PER_RUN);
      expect(history.events?.length).toBeLessThan(PER_RUN * 12 + 50);
    }

    const states = await assess(
      env.pool,
      graph,
      expandPlan(
        graph,
        ['test/cheap'],
        result.partitions.map((p) => p.partitionKey),
      ),
    );
    expect([...states.values()].filter((s) => s.status === 'materialized')).toHaveLength(PARTITIONS);
  });
});
