// What the off/on comparison scripts share: a work folder that a signal cleans up with the benchmark's databases and
// workers, and a session: the services started, the asset graph, a Temporal client and one generated data set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadGraph } from '../activities/dbt/manifest';
import type { AssetGraph } from '../assets';
import { connectClient } from '../cli/temporal-client';
import { generate } from '../generator';
import { embeddedDatabaseUrl } from '../infra/config';
import { startPostgres } from '../infra/services/postgres';
import { startTemporal } from '../infra/services/temporal';
import { TEMPORAL_ADDRESS, cleanup } from './env';
import { fmt, progress } from './util';

/** A fresh work folder under the OS temp dir; on SIGINT/SIGTERM the workers stop, the databases drop, the folder goes. */
export function workDir(prefix: string): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const onSignal = (sig: NodeJS.Signals) => {
    progress(`${sig}: stopping workers and dropping the benchmark's databases`);
    void cleanup().finally(() => {
      fs.rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return work;
}

/** One run of an off/on comparison, as the results files keep it. */
export interface PairedRun {
  mode: 'off' | 'on';
  /** 1-based, in run order. */
  index: number;
  wallMs: number;
  status: string;
  /** Share of the CPUs other processes used just before the run. */
  busyBefore: number;
}

export interface Session {
  graph: AssetGraph;
  client: Client;
  /** The generated files, the same for every run. */
  dir: string;
  rows: number;
}

/** Starts Postgres and Temporal when down, loads the graph, connects a client and generates the data into work/data. */
export async function openSession(work: string, scale: number, seed: string): Promise<Session> {
  await startPostgres();
  await startTemporal();
  const graph = await loadGraph(embeddedDatabaseUrl('postgres'));
  const client = await connectClient(TEMPORAL_ADDRESS, 'default');
  try {
    const dir = path.join(work, 'data');
    progress(`generating scale ${scale} (seed ${seed})`);
    const report = await generate({ scale, seed, outDir: dir });
    progress(`  ${fmt.int(report.totalRows)} rows`);
    return { graph, client, dir, rows: report.totalRows };
  } catch (err) {
    await client.connection.close().catch(() => undefined);
    throw err;
  }
}
