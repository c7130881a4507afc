// A worker process like worker.ts, whose graph also holds the no-op assets (handed to the workflow as "extra" assets).
import { NativeConnection, Worker } from '@temporalio/worker';
import { AssetGraph } from '../assets';
import { createActivities } from '../activities';
import { loadGraph } from '../activities/dbt/manifest';
import { loadConfig } from '../infra/config';
import { createPool } from '../infra/db';
import { noopAssets } from './noop-assets';

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.databaseUrl, 10);
  const base = await loadGraph(config.databaseUrl);
  const graph = new AssetGraph([...base.assets, ...noopAssets()]);
  const activities = createActivities(pool, graph, config.databaseUrl);
  // The workflow builds its graph from the platform's assets plus what this activity returns.
  const extra = graph.assets.filter((a) => a.kind === 'dbt' || a.tags.includes('bench'));
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: { ...activities, dbtAssets: async () => extra },
    maxConcurrentActivityTaskExecutions: 4,
    shutdownGraceTime: '10 seconds',
  });
  await worker.run();
  await pool.end();
  await connection.close();
}

main().catch((err) => {
  process.stderr.write(`noop worker failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
