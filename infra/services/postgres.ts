// The embedded PostgreSQL cluster under .dw/pg, made and started from the system's PostgreSQL binaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED, STATE_DIR, embeddedDatabaseUrl } from '../config';
import { connectClient } from '../db';
import { LOG_DIR, ensureDirs, portOpen, run, waitFor } from './process';

/** A cluster made from the system's binaries: its directory (data/, run/), port and server log. */
export interface PgCluster {
  dir: string;
  port: number;
  logFile: string;
  /** Extra postgresql.conf lines, after the defaults (the last one wins). */
  settings?: string[];
}

/** The project's cluster under .dw/pg on the embedded port. */
export const EMBEDDED_CLUSTER: PgCluster = { dir: path.join(STATE_DIR, 'pg'), port: EMBEDDED.pgPort, logFile: path.join(LOG_DIR, 'postgres.log') };

const dataDir = (c: PgCluster) => path.join(c.dir, 'data');
const socketDir = (c: PgCluster) => path.join(c.dir, 'run');

/** Settings for a one-machine analytics cluster: WAL-light bulk loads (COPY after TRUNCATE skips WAL). */
const settings = (c: PgCluster) => [
  `port = ${c.port}`,
  `listen_addresses = '127.0.0.1'`,
  `unix_socket_directories = '${socketDir(c)}'`,
  'wal_level = minimal',
  'max_wal_senders = 0',
  'shared_buffers = 512MB',
  'work_mem = 64MB',
  'maintenance_work_mem = 256MB',
  'max_wal_size = 4GB',
  'checkpoint_timeout = 15min',
  'max_connections = 200',
  'synchronous_commit = off',
  `timezone = 'UTC'`,
  ...(c.settings ?? []),
];

export function clusterUrl(c: PgCluster, database: string): string {
  return c === EMBEDDED_CLUSTER ? embeddedDatabaseUrl(database) : `postgres://${EMBEDDED.pgUser}@127.0.0.1:${c.port}/${database}`;
}

export function pgBinDir(): string {
  const candidates = fs.existsSync('/usr/lib/postgresql')
    ? fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of candidates) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: run `npm run setup` (installs postgresql-15) or set DATABASE_URL');
}

/** As root, the cluster runs as an unprivileged system user (Postgres refuses to run as root). */
function serviceUser(): string | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  for (const name of ['postgres', 'dw']) {
    try {
      run('id', ['-u', name]);
      return name;
    } catch {
      /* try the next */
    }
  }
  run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'dw']);
  return 'dw';
}

function asServiceUser(cmd: string, args: string[]): string {
  const user = serviceUser();
  return user ? run('runuser', ['-u', user, '--', cmd, ...args]) : run(cmd, args);
}

function initCluster(c: PgCluster): void {
  const bin = pgBinDir();
  fs.mkdirSync(socketDir(c), { recursive: true });
  fs.mkdirSync(dataDir(c), { recursive: true, mode: 0o700 });
  const user = serviceUser();
  if (user) run('chown', ['-R', `${user}:`, c.dir]);
  asServiceUser(path.join(bin, 'initdb'), ['-D', dataDir(c), '-U', EMBEDDED.pgUser, '--auth=trust', '-E', 'UTF8', '--locale=C']);
  fs.appendFileSync(path.join(dataDir(c), 'postgresql.conf'), `\n# dw embedded cluster\n${settings(c).join('\n')}\n`);
}

export function postgresRunning(c: PgCluster = EMBEDDED_CLUSTER): Promise<boolean> {
  return portOpen(c.port);
}

/** Creates (first time) and starts the cluster, then makes sure the database exists. Idempotent. */
export async function startPostgres(database: string = EMBEDDED.pgDatabase, c: PgCluster = EMBEDDED_CLUSTER): Promise<void> {
  ensureDirs();
  if (!(await postgresRunning(c))) {
    if (!fs.existsSync(path.join(dataDir(c), 'PG_VERSION'))) initCluster(c);
    const user = serviceUser();
    if (user) {
      fs.closeSync(fs.openSync(c.logFile, 'a'));
      run('chown', [`${user}:`, c.logFile]);
    }
    asServiceUser(path.join(pgBinDir(), 'pg_ctl'), ['-D', dataDir(c), '-l', c.logFile, '-w', '-t', '60', 'start']);
    await waitFor('PostgreSQL', () => postgresRunning(c), 30_000, c.logFile);
  }
  await ensureDatabase(database, undefined, c);
}

/** Stops the cluster: 'fast' rolls back and disconnects clients; 'immediate' is a crash (recovery at the next start). */
export async function stopPostgres(c: PgCluster = EMBEDDED_CLUSTER, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  if (!fs.existsSync(path.join(dataDir(c), 'postmaster.pid'))) return;
  asServiceUser(path.join(pgBinDir(), 'pg_ctl'), ['-D', dataDir(c), '-m', mode, '-w', 'stop']);
}

export async function ensureDatabase(database: string, template?: string, c: PgCluster = EMBEDDED_CLUSTER): Promise<void> {
  const client = await connectClient(clusterUrl(c, 'postgres'));
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      const tpl = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}${tpl}`);
    }
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
  } finally {
    await client.end();
  }
}

export async function dropDatabase(database: string, c: PgCluster = EMBEDDED_CLUSTER): Promise<void> {
  const client = await connectClient(clusterUrl(c, 'postgres'));
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export const POSTGRES_LOG = EMBEDDED_CLUSTER.logFile;
