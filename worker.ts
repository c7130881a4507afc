// The Temporal worker process: runs the workflows and the activities against the configured Postgres.
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadGraph, loadManifest } from './activities/dbt/manifest';
import { assertSuitesValid, type SuiteBinding } from './activities/quality/suites';
import type { AssetGraph } from './assets';
import { freshnessSlaSeconds } from './assets/freshness';
import { loadConfig } from './infra/config';
import { createPool } from './infra/db';
import { attachPiiKeys } from './infra/keys';
import { logToFile, logger } from './infra/logger';
import { activityLogContext, scrubActivityErrors } from './infra/activity-log-context';
import { activityMetrics } from './infra/activity-metrics';
import { createMetrics } from './infra/metrics';
import { serveMetrics } from './infra/metrics-server';
import { LOG_DIR } from './infra/services/process';
import { installTemporalRuntime } from './infra/temporal-runtime';
import { temporalTls } from './infra/temporal-tls';

export interface WorkerOptions {
  databaseUrl: string;
  /** The asset graph; default: the platform's assets and the dbt models. */
  graph?: AssetGraph;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** Where /metrics is served on 127.0.0.1 (0: any free port); none when undefined. */
  metricsPort?: number;
  /** false (DW_OBSERVABILITY=off): no metrics and no activity interceptors but the scrub of row contents; default true. */
  observability?: boolean;
  /** The quality suites checked at start (default: the platform's); a suite naming a missing column stops the start. */
  suites?: readonly SuiteBinding[];
}

/** Builds a worker; the caller runs it (worker.run()) and closes the pool and connection afterwards. */
export async function createWorker(opts: WorkerOptions) {
  // Every suite's columns against the domain tables and the dbt models, before anything starts (QUALITY.INVALID_SUITE).
  assertSuitesValid(await loadManifest(opts.databaseUrl), opts.suites);
  const pool = createPool(opts.databaseUrl, 10);
  const stopKeys = await attachPiiKeys(pool, loadConfig().masterKeyFile); // sealing and pseudonyms (docs/security.md)
  const graph = opts.graph ?? (await loadGraph(opts.databaseUrl));
  const connection = await NativeConnection.connect({ address: opts.temporalAddress, tls: temporalTls() }); // TLS/mTLS in production
  const slas = graph.keys().flatMap((key) => {
    const seconds = freshnessSlaSeconds(key);
    return seconds === undefined ? [] : [[key, seconds] as const];
  });
  const metrics = opts.observability === false ? undefined : createMetrics(pool, new Map(slas));
  const metricsServer =
    metrics === undefined || opts.metricsPort === undefined ? undefined : await serveMetrics(metrics.registry, opts.metricsPort);
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities(pool, graph, opts.databaseUrl),
    maxConcurrentActivityTaskExecutions: 4,
    shutdownGraceTime: '10 seconds',
    // Row contents never leave in an error, whatever the observability mode (docs/security.md).
    interceptors: { activity: metrics === undefined ? [scrubActivityErrors()] : [activityLogContext(), activityMetrics(metrics)] },
  });
  const close = async () => {
    await metricsServer?.close();
    stopKeys();
    await pool.end();
    await connection.close();
  };
  return { worker, close, metricsPort: metricsServer?.port };
}

export async function main(): Promise<void> {
  const config = loadConfig();
  // One bounded JSON log per task queue under .dw/logs, read by `dw logs RUN_ID`.
  if (config.observability) logToFile(path.join(LOG_DIR, `activities-${config.taskQueue.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`));
  const log = logger('worker');
  // The SDK's own metrics sit beside ours, on the next port (DW_METRICS_PORT + 1, 9465 by default); none with port 0.
  const sdkMetrics = config.observability && config.metricsPort !== 0 && (await installTemporalRuntime(config.metricsPort + 1));
  const { worker, close, metricsPort } = await createWorker({
    databaseUrl: config.workerDatabaseUrl, // dw_worker: the pipeline's least privilege (docs/security.md)
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    metricsPort: config.metricsPort,
    observability: config.observability,
  });
  log.info('worker started', {
    taskQueue: config.taskQueue,
    temporal: config.temporalAddress,
    pid: process.pid,
    metrics: metricsPort === undefined ? 'off' : `http://127.0.0.1:${metricsPort}/metrics`,
    sdkMetrics: sdkMetrics ? `http://127.0.0.1:${config.metricsPort + 1}/metrics` : 'off',
  });
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
