// One isolated environment per test file: its own database (from the migrated template) and task queue.
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import { loadGraph } from '../../activities/dbt/manifest';
import { type AssetGraph, select } from '../../assets';
import { EMBEDDED, embeddedDatabaseUrl, loadConfig, workerUrlFor } from '../../infra/config';
import { createPool, type Pool } from '../../infra/db';
import { attachPiiKeys } from '../../infra/keys';
import { dropDatabase, ensureDatabase } from '../../infra/services/postgres';
import { awaitSummary, connectClient, startMaterialize } from '../../cli/temporal-client';
import type { MaterializeInput, RunSummary } from '../../workflows/definitions';

let runtimeInstalled = false;

export interface TestEnv {
  database: string;
  databaseUrl: string;
  taskQueue: string;
  pool: Pool;
  client: Client;
  /** Starts an in-process worker for this env (not needed when a test runs its own worker process); default graph: the platform's. */
  startWorker(graph?: AssetGraph): Promise<void>;
  stopWorker(): Promise<void>;
  materialize(input: Omit<MaterializeInput, 'sourceDir'> & { sourceDir: string }): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function createTestEnv(name: string): Promise<TestEnv> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const suffix = randomBytes(3).toString('hex');
  const database = `dw_test_${name.replace(/\W/g, '_')}_${suffix}`;
  await ensureDatabase(database, inject('templateDb'));
  const databaseUrl = embeddedDatabaseUrl(database);
  const pool = createPool(databaseUrl, 8);
  const stopKeys = await attachPiiKeys(pool, loadConfig().masterKeyFile); // the PII keys, as the CLI and the worker load them
  const taskQueue = `test-${name}-${suffix}`;
  const client = await connectClient(`127.0.0.1:${EMBEDDED.temporalPort}`, 'default');
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let connection: NativeConnection | undefined;
  let workerPool: Pool | undefined;

  const env: TestEnv = {
    database,
    databaseUrl,
    taskQueue,
    pool,
    client,
    async startWorker(graph?: AssetGraph) {
      connection = await NativeConnection.connect({ address: `127.0.0.1:${EMBEDDED.temporalPort}` });
      workerPool = createPool(workerUrlFor(databaseUrl), 8);
      await attachPiiKeys(workerPool, loadConfig().masterKeyFile);
      worker = await Worker.create({
        connection,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        // The worker connects as dw_worker, as in production: a missing grant fails the test, not the deployment.
        activities: createActivities(workerPool, graph ?? (await loadGraph(databaseUrl)), workerUrlFor(databaseUrl)),
        maxConcurrentActivityTaskExecutions: 4,
      });
      running = worker.run();
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection?.close();
      connection = undefined;
      await workerPool?.end();
      workerPool = undefined;
      worker = undefined;
    },
    async materialize(input) {
      const keys = select(await loadGraph(databaseUrl), input.selection);
      const handle = await startMaterialize(client, input, keys, taskQueue);
      return awaitSummary(client, handle.workflowId, handle.firstExecutionRunId);
    },
    async close() {
      await env.stopWorker();
      await client.connection.close();
      stopKeys();
      await pool.end();
      await dropDatabase(database);
    },
  };
  return env;
}
