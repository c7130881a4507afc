// The Temporal worker process: runs the workflows and the activities against the configured Postgres.
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadGraph } from './activities/dbt/manifest';
import type { AssetGraph } from './assets';
import { loadConfig } from './infra/config';
import { createPool } from './infra/db';
import { logger } from './infra/logger';

export interface WorkerOptions {
  databaseUrl: string;
  /** The asset graph; default: the platform's assets and the dbt models. */
  graph?: AssetGraph;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
}

/** Builds a worker; the caller runs it (worker.run()) and closes the pool and connection afterwards. */
export async function createWorker(opts: WorkerOptions) {
  const pool = createPool(opts.databaseUrl, 10);
  const graph = opts.graph ?? (await loadGraph(opts.databaseUrl));
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities(pool, graph, opts.databaseUrl),
    maxConcurrentActivityTaskExecutions: 4,
    shutdownGraceTime: '10 seconds',
  });
  const close = async () => {
    await pool.end();
    await connection.close();
  };
  return { worker, close };
}

export async function main(): Promise<void> {
  const config = loadConfig();
  const log = logger('worker');
  const { worker, close } = await createWorker({
    databaseUrl: config.databaseUrl,
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
  });
  log.info('worker started', { taskQueue: config.taskQueue, temporal: config.temporalAddress, pid: process.pid });
  await worker.run();
  await close();
  log.info('worker stopped');
}

if (require.main === module) {
  main().catch((err) => {
    logger('worker').error('worker failed', { error: (err as Error).stack ?? String(err) });
    process.exit(1);
  });
}
