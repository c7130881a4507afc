// docs/runbook.md, step by step through the Temporal client API, on a real failure: find the failed run of a
// partition, read its root cause, fix the data, reset the run, and confirm that nothing was duplicated.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeWorkflowId } from '../../cli/temporal-client';
import { SA_PARTITION_KEY, SA_ROOT_CAUSE, SA_SELECTION } from '../../workflows/definitions';
import { dw as run, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR, copySource, corruptPaymentsOfMonth } from '../support/fixtures';

let env: TestEnv;
let source: string;
const MONTH = '2017-11';
const ASSET = 'domain/sales/orders';
const dw = (args: string[]) => run(env, [...args, '--source', source]);
let failedRunId: string;
let failedWorkflowId: string;

beforeAll(async () => {
  env = await createTestEnv('runbook');
  source = copySource();
  expect(dw(['materialize', '--select', `raw/* staging/* ${ASSET}`, '--json']).code).toBe(0);
  // The payments of one month become absurd: more than half of its orders break the payment rule.
  corruptPaymentsOfMonth(source, MONTH);
  expect(dw(['materialize', '--select', 'raw/* staging/*', '--json']).code).toBe(0);
  const failed = dw(['materialize', '--select', ASSET, '--partition', MONTH, '--json']);
  expect(failed.code).toBe(1);
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

describe('on-call runbook', () => {
  it('step 1: the failed run of a partition is found by its search attributes', async () => {
    const found = [];
    for await (const w of env.client.workflow.list({
      query: `ExecutionStatus = 'Failed' AND DwPartitionKey = '${MONTH}' AND TaskQueue = '${env.taskQueue}'`,
    }))
      found.push(w);
    expect(found).toHaveLength(1);
    // The id: the business key (selection, partition) and the fingerprint of the input.
    expect(found[0]?.workflowId).toMatch(new RegExp(`^${materializeWorkflowId(ASSET, MONTH, env.taskQueue)}:[0-9a-f]{12}$`));
    failedWorkflowId = found[0]?.workflowId as string;
    expect(found[0]?.typedSearchAttributes.get(SA_SELECTION)).toBe(ASSET);
    failedRunId = found[0]?.runId as string;
  });

  it('step 2: its root cause is a search attribute and the failure of its last event', async () => {
    const handle = env.client.workflow.getHandle(failedWorkflowId, failedRunId);
    const d = await handle.describe();
    expect(d.typedSearchAttributes.get(SA_ROOT_CAUSE)).toBe(`${ASSET}@${MONTH}: GUARD.REJECTION_RATE`);
    expect(d.typedSearchAttributes.get(SA_PARTITION_KEY)).toBe(MONTH);
    const events = (await handle.fetchHistory()).events ?? [];
    const failure = events.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
    expect(failure?.message).toMatch(/^1 asset\(s\) failed; root cause domain\/sales\/orders@2017-11: quarantine_rate_limit: 100\.00% /);
    // The failed attempt published nothing (its quarantine rows were rolled back too); the ledger keeps its checks.
    expect(failure?.message).toContain('SALES.PAYMENT_MISMATCH');
    const status = JSON.parse(run(env, ['status', '--json']).stdout);
    const row = status.assets.find((a: { assetKey: string; partitionKey: string }) => a.assetKey === ASSET && a.partitionKey === MONTH);
    expect(row).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('quarantine_rate_limit') });
  });

  it('step 3: after the fix, a reset to the first workflow task runs it again, and it succeeds', async () => {
    fs.copyFileSync(path.join(SAMPLE_DIR, 'olist_order_payments_dataset.csv'), path.join(source, 'olist_order_payments_dataset.csv'));
    expect(dw(['materialize', '--select', 'raw/* staging/*', '--json']).code).toBe(0);
    const workflowId = failedWorkflowId;
    const events = (await env.client.workflow.getHandle(workflowId, failedRunId).fetchHistory()).events ?? [];
    const firstTask = events.find((e) => e.workflowTaskCompletedEventAttributes);
    const { runId } = await env.client.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId, runId: failedRunId },
      workflowTaskFinishEventId: firstTask?.eventId,
      reason: 'payments file fixed',
      requestId: `runbook-${Date.now()}`,
    });
    expect(runId).toBeTruthy();
    const result = await env.client.workflow.getHandle(workflowId, runId as string).result();
    expect(result.status).toBe('success');
  });

  it('step 4: dw status and dw partitions show the partition materialized once, rows conserved, nothing twice', async () => {
    const status = JSON.parse(run(env, ['status', '--json']).stdout);
    const row = status.assets.find((a: { assetKey: string; partitionKey: string }) => a.assetKey === ASSET && a.partitionKey === MONTH);
    expect(row).toMatchObject({ status: 'success', current: true });
    const grid = JSON.parse(run(env, ['partitions', '--select', ASSET, '--json']).stdout);
    expect(grid.problems).toEqual([]);
    const counts = (
      await env.pool.query(
        `
      SELECT (SELECT count(*) FROM sales.orders WHERE partition_key = $1)::int AS written,
             (SELECT count(DISTINCT order_id) FROM sales.orders WHERE partition_key = $1)::int AS distinct_ids,
             (SELECT count(*) FROM staging.order_partitions WHERE partition_key = $1)::int AS staged,
             (SELECT count(*) FROM quarantine.rows WHERE asset_key = $2)::int AS quarantined`,
        [MONTH, ASSET],
      )
    ).rows[0];
    expect(counts).toEqual({ written: counts.staged, distinct_ids: counts.staged, staged: counts.staged, quarantined: 0 });
    expect(counts.staged).toBeGreaterThan(50);
  });
});
