// dw up / down / status for the local services: Postgres, Temporal dev server, worker. Idempotent.
import { EMBEDDED, loadConfig } from '../config';
import { createPool } from '../db';
import { applyMigrations } from '../migrate';
import { postgresRunning, startPostgres, stopPostgres } from './postgres';
import { startTemporal, stopTemporal, temporalRunning } from './temporal';
import { startWorker, stopWorker, workerPid, workerPolling } from './worker-process';

export interface ServiceStatus {
  name: string;
  state: 'up' | 'down' | 'external';
  detail: string;
}

/** Starts what is missing (embedded services only) and applies migrations; `worker` false skips the worker. */
export async function up(opts: { worker?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  if (config.embeddedDatabase) await startPostgres();
  const pool = createPool(config.databaseUrl, 1);
  try {
    await applyMigrations(pool);
  } catch (err) {
    throw new Error(`cannot prepare the database at ${redact(config.databaseUrl)}: ${(err as Error).message}`);
  } finally {
    await pool.end();
  }
  if (config.embeddedTemporal) await startTemporal();
  if (opts.worker !== false) await startWorker();
}

export async function down(): Promise<void> {
  const config = loadConfig();
  await stopWorker();
  if (config.embeddedTemporal) await stopTemporal();
  if (config.embeddedDatabase) await stopPostgres();
}

export async function status(): Promise<ServiceStatus[]> {
  const config = loadConfig();
  const pg = config.embeddedDatabase
    ? { name: 'postgres', state: (await postgresRunning()) ? 'up' : 'down', detail: `127.0.0.1:${EMBEDDED.pgPort} (.dw/pg)` }
    : { name: 'postgres', state: 'external', detail: redact(config.databaseUrl) };
  const temporal = config.embeddedTemporal
    ? {
        name: 'temporal',
        state: (await temporalRunning()) ? 'up' : 'down',
        detail: `${config.temporalAddress}, UI http://localhost:${EMBEDDED.temporalUiPort}`,
      }
    : { name: 'temporal', state: 'external', detail: config.temporalAddress };
  const pid = workerPid();
  const polling = temporal.state !== 'down' && (await workerPolling());
  const worker = {
    name: 'worker',
    state: polling ? 'up' : 'down',
    detail: `task queue ${config.taskQueue}${pid ? `, pid ${pid}` : polling ? ' (another process)' : ''}`,
  };
  return [pg, temporal, worker] as ServiceStatus[];
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
