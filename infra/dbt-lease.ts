// The dbt lease: one writing dbt command per database at a time, even across workers that were killed mid-build.
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { connectClient } from './db';
import { logger } from './logger';

/** Session advisory lock key of dbt builds (migrations use 0x64770001); advisory locks are per database. */
const LEASE_LOCK = 0x64770002;
/** dbt-postgres connects as application_name 'dbt' (it passes it explicitly, so PGAPPNAME cannot change it). */
const DBT_APPLICATION = 'dbt';
/** Env var naming the lease in dbt's (and its watchdog's) environment, so a successor finds them in /proc. */
export const LEASE_ENV = 'DW_DBT_LEASE';

export interface DbtLease {
  id: number;
  /** The lease's name on this host, for dbt's environment: server port, database and lease id. */
  tag: string;
  /** The error that cut the lease's connection (the lock is gone with it), if any. */
  lost(): Error | undefined;
  /** Asks the server whether the lease's connection still works (a loss may not have been noticed yet). */
  verify(): Promise<void>;
  setPid(pid: number): Promise<void>;
  /** Records the end and unlocks; a lost connection has already unlocked, and the successor records the end. */
  release(): Promise<void>;
}

export interface LeaseOptions {
  runId: string;
  signal?: AbortSignal;
  /** Called once when the lease's connection is lost while held. */
  onLost?: (err: Error) => void;
}

const log = logger('dbt-lease');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function leaseHolder(): string {
  return `${os.hostname()}:${process.pid}`;
}

/**
 * Waits for the lock on a dedicated connection, then makes sure no dbt of an earlier holder still runs (a killed
 * worker loses the lock with its connection, but its dbt may outlive it), then records the new lease.
 */
export async function acquireDbtLease(databaseUrl: string, opts: LeaseOptions): Promise<DbtLease> {
  let lostErr: Error | undefined;
  let held = false;
  let closing = false;
  const onError = (err: Error) => {
    if (lostErr || closing) return;
    lostErr = err;
    if (held) {
      log.warn('lost the connection holding the dbt lease', { error: err.message });
      opts.onLost?.(err);
    }
  };
  const client = await connectClient(databaseUrl, 'dw-dbt-lease', onError);
  client.on('end', () => onError(new Error('the connection holding the dbt lease ended')));
  try {
    let waitingLogged = false;
    while (!(await client.query('SELECT pg_try_advisory_lock($1) AS ok', [LEASE_LOCK])).rows[0].ok) {
      if (opts.signal?.aborted) throw new Error('cancelled while waiting for the dbt lease');
      if (!waitingLogged) {
        const r = await client.query(`SELECT holder, run_id FROM dw_meta.dbt_leases WHERE released_at IS NULL ORDER BY id DESC LIMIT 1`);
        log.info('waiting for the dbt lease', { heldBy: r.rows[0]?.holder, run: r.rows[0]?.run_id });
        waitingLogged = true;
      }
      await sleep(500);
    }
    held = true;
    const where = (await client.query(`SELECT coalesce(inet_server_port()::text, 'local') || '/' || current_database() AS db`)).rows[0]
      .db as string;
    const tagOf = (id: number) => `${where}#${id}`;
    await endAbandoned(client, tagOf);
    const { rows } = await client.query(
      `INSERT INTO dw_meta.dbt_leases (run_id, holder, acquired_at) VALUES ($1, $2, clock_timestamp()) RETURNING id`,
      [opts.runId, leaseHolder()],
    );
    const id = Number(rows[0].id);
    return {
      id,
      tag: tagOf(id),
      lost: () => lostErr,
      verify: async () => {
        if (!lostErr) await client.query('SELECT 1').catch((err: Error) => onError(err));
      },
      setPid: async (pid) => {
        await client.query('UPDATE dw_meta.dbt_leases SET dbt_pid = $2 WHERE id = $1', [id, pid]);
      },
      release: async () => {
        if (!lostErr) {
          await client.query('UPDATE dw_meta.dbt_leases SET released_at = clock_timestamp() WHERE id = $1', [id]).catch(() => undefined);
          await client.query('SELECT pg_advisory_unlock($1)', [LEASE_LOCK]).catch(() => undefined);
        }
        closing = true;
        await client.end().catch(() => undefined);
      },
    };
  } catch (err) {
    closing = true;
    await client.end().catch(() => undefined);
    throw err;
  }
}

/**
 * Leases never released belong to dead holders. Their dbt on this host is killed (found by its lease in /proc);
 * one on another host is given time to be stopped by its watchdog; then dbt's leftover server sessions in this
 * database are terminated, and only then are those leases marked released.
 */
async function endAbandoned(client: pg.Client, tagOf: (id: number) => string): Promise<void> {
  const { rows } = await client.query(`SELECT id, holder, dbt_pid FROM dw_meta.dbt_leases WHERE released_at IS NULL`);
  if (rows.length === 0) return;
  const ids = rows.map((r) => Number(r.id));
  const remote = rows.some((r) => String(r.holder).slice(0, String(r.holder).lastIndexOf(':')) !== os.hostname());
  log.warn('ending abandoned dbt leases', { leases: rows });
  await killLeaseProcesses(ids.map(tagOf));
  // dbt's sessions end on their own within a second (client_connection_check_interval); remote ones get longer.
  const deadline = Date.now() + (remote ? 30_000 : 0);
  for (;;) {
    const sessions = await client.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
      [DBT_APPLICATION],
    );
    if (sessions.rowCount === 0) break;
    if (Date.now() >= deadline)
      await client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid', [sessions.rows.map((s) => s.pid)]);
    if (Date.now() >= deadline + 10_000)
      throw new Error(`dbt sessions of an abandoned lease are still open in the database: ${sessions.rows.map((s) => s.pid).join(', ')}`);
    await sleep(100);
  }
  await client.query('UPDATE dw_meta.dbt_leases SET released_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [ids]);
}

/** The processes on this host whose environment names one of the leases (by tag): dbt and its watchdog. */
export function leaseProcesses(tags: string[]): number[] {
  const wanted = new Set(tags.map((t) => `${LEASE_ENV}=${t}`));
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.some((e) => wanted.has(e))) pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

async function killLeaseProcesses(tags: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pids = leaseProcesses(tags);
    if (pids.length === 0) return;
    if (Date.now() > deadline) throw new Error(`dbt processes of an abandoned lease do not end: ${pids.join(', ')}`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await sleep(100);
  }
}
