// A worker SIGKILLed during dbt build: dbt dies with it, no two dbt builds ever overlap, and the result equals a clean run.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../activities/dbt/manifest';
import { select } from '../../assets';
import { DEFAULT_SOURCE_DIR } from '../../infra/config';
import { awaitSummary, startMaterialize } from '../../cli/temporal-client';
import { warehouseDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { spawnWorker, waitUntil } from '../support/private-cluster';

let killed: TestEnv;
let clean: TestEnv;
let worker: ChildProcess | undefined;
let logDir: string;
const SELECTION = '*';

beforeAll(async () => {
  [killed, clean] = await Promise.all([createTestEnv('dbtkill'), createTestEnv('dbtclean')]);
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-dbt-kill-'));
  await clean.startWorker();
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await Promise.all([killed?.close(), clean?.close()]);
  fs.rmSync(logDir, { recursive: true, force: true });
});

/** dbt build processes (not their watchdog shells) working on a database, from the process list. */
function dbtBuilds(database: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => a.endsWith('/dbt')) || !argv.includes('build') || argv[0] === '/bin/sh') continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`DW_PG_DATABASE=${database}`)) pids.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}

describe('worker killed during dbt build', () => {
  it('when the worker is SIGKILLed mid-build and restarted, then dbt dies with it, builds never overlap and the warehouse equals a clean run', async () => {
    const cleanRun = clean.materialize({ selection: SELECTION, sourceDir: DEFAULT_SOURCE_DIR });
    worker = spawnWorker(killed.databaseUrl, killed.taskQueue, path.join(logDir, 'worker-1.log'));
    const input = { selection: SELECTION, sourceDir: DEFAULT_SOURCE_DIR };
    const handle = await startMaterialize(killed.client, input, select(await loadGraph(killed.databaseUrl), SELECTION), killed.taskQueue);

    // The process list, sampled every 50 ms for the whole run: at most one dbt build of this database at a time.
    let maxConcurrent = 0;
    const seen = new Map<number, { first: number; last: number }>();
    const sampler = setInterval(() => {
      const now = Date.now();
      const pids = dbtBuilds(killed.database);
      maxConcurrent = Math.max(maxConcurrent, pids.length);
      for (const pid of pids) seen.set(pid, { first: seen.get(pid)?.first ?? now, last: now });
    }, 50);
    try {
      const building = await waitUntil(
        killed.pool,
        `SELECT EXISTS (SELECT 1 FROM dw_meta.dbt_leases WHERE released_at IS NULL AND dbt_pid IS NOT NULL)
            AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dbt' AND state = 'active') AS ok`,
        [killed.database],
        150_000,
        50,
      );
      expect(building).toBe(true);
      const dbtPid = Number((await killed.pool.query(`SELECT dbt_pid FROM dw_meta.dbt_leases WHERE released_at IS NULL`)).rows[0].dbt_pid);
      const killedAt = Date.now();
      worker.kill('SIGKILL');
      await new Promise((res) => worker?.once('exit', res));

      // The watchdog stops dbt within seconds; the retry only starts after the 20 s heartbeat timeout.
      while (dbtBuilds(killed.database).includes(dbtPid) && Date.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 50));
      expect(dbtBuilds(killed.database)).not.toContain(dbtPid);
      expect(Date.now() - killedAt).toBeLessThan(4_000);

      worker = spawnWorker(killed.databaseUrl, killed.taskQueue, path.join(logDir, 'worker-2.log'));
      const summary = await awaitSummary(killed.client, handle.workflowId, handle.firstExecutionRunId);
      expect(summary.status, JSON.stringify(summary.rootCauses)).toBe('success');
    } finally {
      clearInterval(sampler);
    }

    expect(maxConcurrent).toBe(1);
    const intervals = [...seen.values()].sort((a, b) => a.first - b.first);
    expect(intervals.length).toBeGreaterThanOrEqual(2); // the killed build and its retry
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]?.first).toBeGreaterThan(intervals[i - 1]?.last as number);

    // The lease table tells the same: every lease released, each acquired after the previous one ended.
    const leases = (await killed.pool.query(`SELECT holder, acquired_at, released_at FROM dw_meta.dbt_leases ORDER BY acquired_at`)).rows;
    expect(leases.length).toBeGreaterThanOrEqual(2);
    expect(new Set(leases.map((l) => l.holder)).size).toBeGreaterThanOrEqual(2); // the killed worker's and the new one's
    for (const l of leases) expect(l.released_at).not.toBeNull();
    for (let i = 1; i < leases.length; i++)
      expect(leases[i].acquired_at.getTime()).toBeGreaterThanOrEqual(leases[i - 1].released_at.getTime());

    expect((await cleanRun).status).toBe('success');
    expect(await warehouseDigest(killed.pool)).toEqual(await warehouseDigest(clean.pool));
  }, 240_000); // about 130-155 s alone; two full runs of the pipeline, more when other tests share the 2 cores
});
