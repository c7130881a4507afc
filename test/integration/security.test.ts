// Least privilege, tried as an attacker would: an OS user without the password, and the application roles reaching
// for the server's programs and files, other roles, other objects and the audit log. Plus the upgrade of a trust cluster.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED, STATE_DIR, workerUrlFor } from '../../infra/config';
import { connectClient, createPool } from '../../infra/db';
import { applyMigrations } from '../../infra/migrate';
import { type PgCluster, clusterUrl, initCluster, startPostgres, startServer, stopPostgres } from '../../infra/services/postgres';
import { readSecrets, withRole } from '../../infra/secrets';
import { createTestEnv, type TestEnv } from '../support/env';

const asNobody = (cmd: string, args: string[]) =>
  spawnSync('runuser', ['-u', 'nobody', '--', cmd, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '5' },
    cwd: '/',
  });

async function refusal(url: string, sql: string): Promise<string> {
  const client = await connectClient(url);
  try {
    await client.query(sql);
    return 'ALLOWED';
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  } finally {
    await client.end();
  }
}

async function freshCluster(name: string): Promise<PgCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dw-pg-${name}-`));
  fs.chmodSync(dir, 0o755);
  return {
    dir,
    port: 20000 + Math.floor(Math.random() * 20000),
    logFile: path.join(dir, 'postgres.log'),
    settings: ['shared_buffers = 32MB'],
  };
}

describe('least privilege', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('security');
  });
  afterAll(async () => env?.close());

  const sqlAttempts: Record<string, string> = {
    'COPY FROM PROGRAM': `COPY dw_meta.runs (run_id) FROM PROGRAM 'id'`,
    'a server file': `SELECT pg_read_file('/etc/passwd')`,
    'CREATE ROLE': 'CREATE ROLE intruder SUPERUSER',
    'ALTER … OWNER': 'ALTER TABLE dw_meta.runs OWNER TO dw_reader',
    'reading audit': 'SELECT * FROM audit.events',
    'writing audit': `INSERT INTO audit.events (id, at, os_user, host, db_user, action, phase, prev_hash, hash) VALUES (1, now(), 'x', 'x', 'x', 'x', 'x', 'x', 'x')`,
    'SET ROLE owner': 'SET ROLE dw_owner',
    'SET ROLE superuser': 'SET ROLE dw',
    pg_read_server_files: 'SET ROLE pg_read_server_files',
    'a superuser setting': `ALTER SYSTEM SET listen_addresses = '*'`,
  };

  for (const role of ['dw_worker', 'dw_reader'] as const) {
    it(`when ${role} reaches for programs, files, roles, ownership or the audit log, then each is refused`, async () => {
      const url = withRole(env.databaseUrl, role, readSecrets(path.join(STATE_DIR, 'secrets')));
      const results = Object.fromEntries(
        await Promise.all(Object.entries(sqlAttempts).map(async ([what, sql]) => [what, await refusal(url, sql)])),
      );
      // 42501 insufficient_privilege for each; none ran.
      expect(results).toEqual(Object.fromEntries(Object.keys(sqlAttempts).map((k) => [k, '42501'])));
    });
  }

  it('when the roles are listed, then none is a superuser, creates roles or bypasses RLS, and none holds the server-file roles', async () => {
    const { rows } = await env.pool.query(`
      SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
             (SELECT array_agg(b.rolname ORDER BY b.rolname) FROM pg_roles b WHERE pg_has_role(r.oid, b.oid, 'USAGE')
                AND b.rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program', 'pg_read_all_data', 'pg_write_all_data', 'pg_signal_backend')) AS builtins
        FROM pg_roles r WHERE r.rolname IN ('dw_owner', 'dw_worker', 'dw_reader', 'dw_auditor') ORDER BY 1`);
    expect(rows).toEqual(
      ['dw_auditor', 'dw_owner', 'dw_reader', 'dw_worker'].map((rolname) => ({
        rolname,
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolbypassrls: false,
        builtins: null,
      })),
    );
  });

  it("when dw_reader reads, then the published schema is reachable and the pipeline's layers are not", async () => {
    const url = withRole(env.databaseUrl, 'dw_reader', readSecrets(path.join(STATE_DIR, 'secrets')));
    expect(await refusal(url, 'SELECT count(*) FROM raw.orders')).toBe('42501');
    expect(await refusal(url, 'SELECT count(*) FROM quarantine.rows')).toBe('42501');
    expect(await refusal(url, `SELECT count(*) FROM pg_class WHERE relnamespace = 'analytics'::regnamespace`)).toBe('ALLOWED');
    expect(await refusal(url, 'CREATE TABLE analytics.x (a int)')).toBe('42501');
  });

  it('when the worker connects, then it is dw_worker', async () => {
    const client = await connectClient(workerUrlFor(env.databaseUrl));
    const who = (await client.query('SELECT current_user AS u')).rows[0].u;
    await client.end();
    expect(who).toBe('dw_worker');
  });

  it('when an unprivileged OS user tries the state directory, then .dw, the socket directory and the secrets are closed to it', () => {
    expect(asNobody('ls', [STATE_DIR]).status).not.toBe(0);
    expect(asNobody('ls', [path.join(STATE_DIR, 'pg', 'run')]).status).not.toBe(0);
    expect(asNobody('cat', [path.join(STATE_DIR, 'secrets')]).status).not.toBe(0);
    expect(fs.statSync(path.join(STATE_DIR, 'secrets')).mode & 0o077).toBe(0);
    expect(fs.statSync(STATE_DIR).mode & 0o007).toBe(0);
  });
});

describe("the cluster's authentication", () => {
  const clusters: PgCluster[] = [];
  afterAll(async () => {
    for (const c of clusters) {
      await stopPostgres(c, 'immediate').catch(() => undefined);
      fs.rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('when a new cluster is made, then nobody connects without the password, as any role, over TCP or the socket', async () => {
    const c = await freshCluster('auth');
    clusters.push(c);
    await startPostgres('dw', c);
    for (const role of ['dw', 'dw_owner', 'dw_worker']) {
      const tcp = asNobody('psql', ['-w', '-h', '127.0.0.1', '-p', String(c.port), '-U', role, '-d', 'dw', '-c', 'SELECT 1']);
      expect(tcp.status, tcp.stdout).not.toBe(0);
      expect(tcp.stderr).toMatch(/password/);
      const socket = asNobody('psql', [
        '-w',
        '-h',
        path.join(c.dir, 'run'),
        '-p',
        String(c.port),
        '-U',
        role,
        '-d',
        'dw',
        '-c',
        'SELECT 1',
      ]);
      expect(socket.status).not.toBe(0);
      expect(socket.stderr).toMatch(/Permission denied|password/);
    }
    const wrong = await connectClient(`postgres://dw_owner:wrong@127.0.0.1:${c.port}/dw`).then(
      () => 'connected',
      (e) => (e as { code?: string }).code,
    );
    expect(wrong).toBe('28P01');
    const owner = await connectClient(clusterUrl(c, 'dw'));
    expect((await owner.query('SELECT current_user AS u')).rows[0].u).toBe('dw_owner');
    await owner.end();
  });

  it("when a cluster made with trust and its database are upgraded by dw up, then passwords are required, the roles own the objects and the pipeline's grants hold", async () => {
    const c = await freshCluster('upgrade');
    clusters.push(c);
    initCluster(c, 'trust');
    await startServer(c);
    // The database as it was before roles: created and migrated by the superuser, a dbt table in analytics.
    const legacy = `postgres://${EMBEDDED.pgUser}@127.0.0.1:${c.port}/postgres`;
    const admin = await connectClient(legacy);
    await admin.query('CREATE DATABASE dw');
    await admin.end();
    const pool = createPool(legacy.replace(/\/postgres$/, '/dw'), 1);
    await applyMigrations(pool);
    await pool.query('CREATE TABLE analytics.dim_legacy AS SELECT 1 AS id');
    await pool.end();
    expect(readSecrets(path.join(c.dir, 'secrets'))).toBeUndefined();

    await startPostgres('dw', c); // what `dw up` does with a running cluster

    const refused = await connectClient(`postgres://dw@127.0.0.1:${c.port}/dw`).then(
      () => 'connected',
      (e) => (e as Error).message,
    );
    expect(refused).toMatch(/password/);
    const owner = await connectClient(clusterUrl(c, 'dw'));
    const owners = (
      await owner.query(`
      SELECT c.relnamespace::regnamespace::text || '.' || c.relname AS rel, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
       WHERE c.oid IN ('dw_meta.runs'::regclass, 'raw.orders'::regclass, 'staging.order_partitions'::regclass, 'analytics.dim_legacy'::regclass)
       UNION ALL SELECT 'database', pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'dw' ORDER BY 1`)
    ).rows;
    expect(owners).toEqual([
      { rel: 'analytics.dim_legacy', owner: 'dw_worker' },
      { rel: 'database', owner: 'dw_owner' },
      { rel: 'dw_meta.runs', owner: 'dw_owner' },
      { rel: 'raw.orders', owner: 'dw_worker' },
      { rel: 'staging.order_partitions', owner: 'dw_worker' },
    ]);
    await owner.end();
    const migrate = createPool(clusterUrl(c, 'dw'), 1);
    await applyMigrations(migrate); // the owner can run (no-op) migrations
    await migrate.end();
    const worker = await connectClient(clusterUrl(c, 'dw', 'dw_worker'));
    await worker.query('TRUNCATE raw.orders RESTART IDENTITY');
    await worker.query('REFRESH MATERIALIZED VIEW staging.order_partitions');
    await worker.query('DROP TABLE analytics.dim_legacy');
    const append = `SELECT * FROM audit.append($1, 'u', 'h', 'test', 'event', 'ok', NULL, '{}')`;
    expect((await worker.query(append, [randomBytes(32)])).rowCount).toBe(1);
    await worker.end();
    expect(await refusal(clusterUrl(c, 'dw', 'dw_worker'), `COPY dw_meta.runs (run_id) FROM PROGRAM 'id'`)).toBe('42501');
  });
});
