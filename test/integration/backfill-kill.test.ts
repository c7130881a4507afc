// SIGKILL of the worker in the middle of a backfill: after a restart the backfill finishes, and every table equals a
// clean backfill's in another database.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../activities/dbt/manifest';
import { select } from '../../assets';
import { awaitBackfill, backfillWorkflowId, startBackfill } from '../../cli/temporal-client';
import { type BackfillInput, backfillProgressQuery } from '../../workflows/definitions';
import { killWorker, startWorkerProcess } from '../support/cli';
import { warehouseDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR } from '../support/fixtures';

let killed: TestEnv;
let clean: TestEnv;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  [killed, clean] = await Promise.all([createTestEnv('bfkill'), createTestEnv('bfclean')]);
  await clean.startWorker();
});

afterAll(async () => {
  if (worker && worker.exitCode === null) await killWorker(worker);
  await Promise.all([killed?.close(), clean?.close()]);
});

describe('worker killed mid-backfill', () => {
  it('when the worker is SIGKILLed while partitions run and then restarted, then the backfill finishes and every table equals a clean run', async () => {
    const input: BackfillInput = {
      backfillId: 'bf-kill',
      selection: '*',
      assetKeys: select(await loadGraph(clean.databaseUrl), '*'),
      sourceDir: SAMPLE_DIR,
      maxParallel: 3,
    };
    await startBackfill(clean.client, input, clean.taskQueue);
    expect((await awaitBackfill(clean.client, backfillWorkflowId(input.backfillId, clean.taskQueue))).status).toBe('success');

    worker = startWorkerProcess(killed);
    const workflowId = backfillWorkflowId(input.backfillId, killed.taskQueue);
    await startBackfill(killed.client, input, killed.taskQueue);
    // Kill once some partitions are done and others are in flight.
    const handle = killed.client.workflow.getHandle(workflowId);
    const deadline = Date.now() + 120_000;
    let seen = { done: 0, running: 0 };
    while (Date.now() < deadline) {
      const p = await handle.query(backfillProgressQuery).catch(() => undefined);
      seen = {
        done: p?.partitions.filter((x) => x.state === 'materialized').length ?? 0,
        running: p?.partitions.filter((x) => x.state === 'running').length ?? 0,
      };
      if (seen.done >= 3 && seen.running > 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(seen.done).toBeGreaterThanOrEqual(3);
    expect(seen.running).toBeGreaterThan(0);
    await killWorker(worker);

    worker = startWorkerProcess(killed);
    const result = await awaitBackfill(killed.client, workflowId);
    expect(result.status).toBe('success');
    expect(result.partitions.every((x) => x.state === 'materialized')).toBe(true);
    expect(await warehouseDigest(killed.pool)).toEqual(await warehouseDigest(clean.pool));
  });
});
