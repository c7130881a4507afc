// A worker killed in the middle of a domain partition and restarted leaves exactly the result of a clean run.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformGraph, select } from '../../assets';
import { generate } from '../../generator';
import { awaitSummary, startMaterialize } from '../../cli/temporal-client';
import { warehouseDigest } from '../support/digest';
import { startWorkerProcess } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';

let killed: TestEnv;
let clean: TestEnv;
let worker: ChildProcess | undefined;
let source: string;
const SELECTION = 'raw/* staging/* domain/sales/orders';

beforeAll(async () => {
  source = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-kill-'));
  await generate({ scale: 0.3, seed: 11, outDir: source, faults: 0.001 });
  [killed, clean] = await Promise.all([createTestEnv('domkill'), createTestEnv('domclean')]);
  await clean.startWorker();
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await Promise.all([killed?.close(), clean?.close()]);
  fs.rmSync(source, { recursive: true, force: true });
});

describe('worker killed mid-partition', () => {
  it('when the worker is SIGKILLed while partitions are being validated and restarted, then the result equals a clean run', async () => {
    const cleanRun = await clean.materialize({ selection: SELECTION, sourceDir: source });
    expect(cleanRun.status).toBe('success');

    worker = startWorkerProcess(killed);
    const graph = platformGraph();
    const first = await startMaterialize(
      killed.client,
      { selection: 'raw/* staging/*', sourceDir: source },
      select(graph, 'raw/* staging/*'),
      killed.taskQueue,
    );
    expect((await awaitSummary(killed.client, first.workflowId, first.firstExecutionRunId)).status).toBe('success');

    const handle = await startMaterialize(
      killed.client,
      { selection: SELECTION, sourceDir: source },
      select(graph, SELECTION),
      killed.taskQueue,
    );
    // Wait until a sales partition holds an open transaction that has written rows, then kill without warning.
    let inFlight = 0;
    const deadline = Date.now() + 120_000;
    while (inFlight === 0 && Date.now() < deadline) {
      const r = await killed.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_xid IS NOT NULL AND query ILIKE '%sales.%' AND pid <> pg_backend_pid()`,
        [killed.database],
      );
      inFlight = r.rows[0].n;
      if (inFlight === 0) await new Promise((res) => setTimeout(res, 5));
    }
    expect(inFlight).toBeGreaterThan(0);
    worker.kill('SIGKILL');
    await new Promise((res) => worker?.once('exit', res));

    worker = startWorkerProcess(killed);
    const summary = await awaitSummary(killed.client, handle.workflowId, handle.firstExecutionRunId);
    expect(summary.status).toBe('success');
    expect(await warehouseDigest(killed.pool)).toEqual(await warehouseDigest(clean.pool));
  });
});
