// A worker process like worker.ts, whose graph also holds the no-op assets (handed to the workflow as extra assets).
import { loadGraph } from '../activities/dbt/manifest';
import { AssetGraph } from '../assets';
import { loadConfig } from '../infra/config';
import { createWorker } from '../worker';
import { noopAssets } from './noop-assets';

async function main(): Promise<void> {
  const config = loadConfig();
  const base = await loadGraph(config.databaseUrl);
  const { worker, close } = await createWorker({
    databaseUrl: config.databaseUrl,
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    graph: new AssetGraph([...base.assets, ...noopAssets()]),
  });
  await worker.run();
  await close();
}

main().catch((err) => {
  process.stderr.write(`noop worker failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
