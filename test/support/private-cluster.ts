// A PostgreSQL cluster of a test's own (temp dir, free port), for tests that stop the server: the shared one stays up.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../infra/config';
import { createPool, type Pool } from '../../infra/db';
import { applyMigrations } from '../../infra/migrate';
import { type PgCluster, clusterUrl, startPostgres, stopPostgres } from '../../infra/services/postgres';
import { workerArgs } from '../../infra/services/worker-process';

export interface PrivateCluster {
  cluster: PgCluster;
  databaseUrl: string;
  /** Starts the server again (after stop); the database and its data are kept. */
  start(): Promise<void>;
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb into a temp dir, start on a free port (as the unprivileged user when root), create `dw` and migrate it. */
export async function createPrivateCluster(name: string): Promise<PrivateCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dw-pg-${name}-`));
  fs.chmodSync(dir, 0o755);
  const cluster: PgCluster = { dir, port: await freePort(), logFile: path.join(dir, 'postgres.log'), settings: ['shared_buffers = 128MB'] };
  const pc: PrivateCluster = {
    cluster,
    databaseUrl: '', // set once the cluster exists: its URL carries the password generated at initdb
    start: () => startPostgres('dw', cluster),
    stop: (mode) => stopPostgres(cluster, mode),
    async destroy() {
      await stopPostgres(cluster, 'immediate').catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await pc.start();
    pc.databaseUrl = clusterUrl(cluster, 'dw');
    const pool = createPool(pc.databaseUrl, 1);
    await applyMigrations(pool).finally(() => pool.end());
  } catch (err) {
    await pc.destroy();
    throw err;
  }
  return pc;
}

/** The worker as `dw worker` runs it, against a database and task queue, its output in a log file. */
export function spawnWorker(databaseUrl: string, taskQueue: string, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, workerArgs(), {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_TASK_QUEUE: taskQueue, DW_LOG_LEVEL: 'info' },
  });
  fs.closeSync(out);
  return child;
}

/** Polls a query on a pool until it returns a row whose `ok` is true; errors (a server going away) count as no. */
export async function waitUntil(pool: Pool, sql: string, params: unknown[], timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await pool.query(sql, params).then(
      (r) => r.rows[0]?.ok === true,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}
