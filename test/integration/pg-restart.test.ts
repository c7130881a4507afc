// PostgreSQL crashed (pg_ctl stop -m immediate) and restarted mid-run: the same worker process finishes the run.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../activities/dbt/manifest';
import { select } from '../../assets';
import { DEFAULT_SOURCE_DIR, EMBEDDED, loadConfig } from '../../infra/config';
import { connectClient as connectPg, createPool, type Pool } from '../../infra/db';
import { attachPiiKeys } from '../../infra/keys';
import { awaitSummary, connectClient, startMaterialize } from '../../cli/temporal-client';
import { warehouseDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { type PrivateCluster, createPrivateCluster, spawnWorker, waitUntil } from '../support/private-cluster';

let pc: PrivateCluster | undefined;
let pool: Pool;
let client: Client;
let clean: TestEnv;
let worker: ChildProcess | undefined;
let logFile: string;
const SELECTION = '*';

beforeAll(async () => {
  [pc, clean] = await Promise.all([createPrivateCluster('restart'), createTestEnv('pgclean')]);
  pool = createPool(pc.databaseUrl, 2);
  // The clean database's data keys (wrapped by the same master key file): the marts' pseudonyms are keyed, so the two
  // warehouses compare only under one pseudonym key. Before any worker or pool loads the keys.
  const keys = (await clean.pool.query('SELECT id, scope, wrapped, master_key_id, active, created_at FROM pii.data_keys')).rows;
  await pool.query('DELETE FROM pii.data_keys');
  await pool.query(
    `INSERT INTO pii.data_keys (id, scope, wrapped, master_key_id, active, created_at) SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS k(id bigint, scope text, wrapped text, master_key_id text, active boolean, created_at timestamptz)`,
    [JSON.stringify(keys)],
  );
  await attachPiiKeys(pool, loadConfig().masterKeyFile); // the digest opens sealed values
  client = await connectClient(`127.0.0.1:${EMBEDDED.temporalPort}`, 'default');
  logFile = path.join(pc.cluster.dir, 'worker.log');
  await clean.startWorker();
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await pool?.end();
  await client?.connection.close();
  await clean?.close();
  await pc?.destroy();
});

/** Crashes the server, waits a moment (attempts in between fail and are retried), and starts it again. */
async function crashAndRestart(downMs: number): Promise<void> {
  await pc?.stop('immediate');
  await new Promise((r) => setTimeout(r, downMs));
  await pc?.start();
}

describe('PostgreSQL restarted mid-run', () => {
  it('when the server crashes during asset transactions and again during dbt build, then the same worker process finishes the run and the warehouse equals a clean run', async () => {
    const cleanRun = clean.materialize({ selection: SELECTION, sourceDir: DEFAULT_SOURCE_DIR });
    const taskQueue = `test-pgrestart-${process.pid}`;
    worker = spawnWorker(pc?.databaseUrl as string, taskQueue, logFile);
    const workerPid = worker.pid;
    const input = { selection: SELECTION, sourceDir: DEFAULT_SOURCE_DIR };
    const handle = await startMaterialize(client, input, select(await loadGraph(pc?.databaseUrl as string), SELECTION), taskQueue);

    // 1. Some assets are done; the test then holds the ledger's table so that the next asset transactions, their
    // data written, wait to record it: the crash lands in transactions in flight (clients checked out of the pool).
    expect(await waitUntil(pool, `SELECT count(*) >= 5 AS ok FROM dw_meta.materializations WHERE status = 'success'`, [], 120_000)).toBe(
      true,
    );
    const blocker = await connectPg(pc?.databaseUrl as string, 'dw-test-blocker');
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE dw_meta.materializations IN EXCLUSIVE MODE');
    const waiting = await waitUntil(
      pool,
      `SELECT count(*) > 0 AS ok FROM pg_stat_activity WHERE application_name = 'dw' AND backend_xid IS NOT NULL AND wait_event_type = 'Lock'`,
      [],
      60_000,
    );
    expect(waiting).toBe(true);
    await crashAndRestart(1_500);
    await blocker.end().catch(() => undefined);

    // 2. dbt build runs under its lease, with its sessions open.
    const inDbt = await waitUntil(
      pool,
      `SELECT EXISTS (SELECT 1 FROM dw_meta.dbt_leases WHERE released_at IS NULL AND dbt_pid IS NOT NULL)
          AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'dbt' AND state = 'active') AS ok`,
      [],
      150_000,
      50,
    );
    expect(inDbt).toBe(true);
    await crashAndRestart(1_500);

    const summary = await awaitSummary(client, handle.workflowId, handle.firstExecutionRunId);
    expect(summary.status, JSON.stringify(summary.rootCauses)).toBe('success');
    expect(worker.exitCode).toBeNull(); // the same worker process, still running
    expect(worker.pid).toBe(workerPid);

    // Both crashes hit work in flight: activities were retried, and the first dbt lease was ended by its successor.
    const history = await client.workflow.getHandle(handle.workflowId).fetchHistory();
    const retried = history.events?.filter((e) => Number(e.activityTaskStartedEventAttributes?.attempt ?? 0) >= 2).length ?? 0;
    expect(retried).toBeGreaterThanOrEqual(2);
    const leases = (await pool.query(`SELECT run_id, released_at IS NOT NULL AS released FROM dw_meta.dbt_leases ORDER BY id`)).rows;
    expect(leases.length).toBeGreaterThanOrEqual(2);
    expect(leases.every((l) => l.released)).toBe(true);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('lost a PostgreSQL connection');
    expect(log).not.toMatch(/worker failed|Unhandled|unhandled/);

    expect((await cleanRun).status).toBe('success');
    expect(await warehouseDigest(pool)).toEqual(await warehouseDigest(clean.pool));
  }, 240_000); // about 130-155 s alone; two full runs of the pipeline, more when other tests share the 2 cores
});
