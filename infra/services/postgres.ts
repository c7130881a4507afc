// The embedded PostgreSQL cluster under .dw/pg, made and started from the system's PostgreSQL binaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED, STATE_DIR, embeddedDatabaseUrl } from '../config';
import { LOG_DIR, ensureDirs, portOpen, run, waitFor } from './process';

const PG_DIR = path.join(STATE_DIR, 'pg');
const DATA_DIR = path.join(PG_DIR, 'data');
const SOCKET_DIR = path.join(PG_DIR, 'run');
const LOG_FILE = path.join(LOG_DIR, 'postgres.log');

/** Settings for a one-machine analytics cluster: WAL-light bulk loads (COPY after TRUNCATE skips WAL). */
const SETTINGS = [
  `port = ${EMBEDDED.pgPort}`,
  `listen_addresses = '127.0.0.1'`,
  `unix_socket_directories = '${SOCKET_DIR}'`,
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
];

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

function initCluster(): void {
  const bin = pgBinDir();
  fs.mkdirSync(SOCKET_DIR, { recursive: true });
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const user = serviceUser();
  if (user) run('chown', ['-R', `${user}:`, PG_DIR]);
  asServiceUser(path.join(bin, 'initdb'), ['-D', DATA_DIR, '-U', EMBEDDED.pgUser, '--auth=trust', '-E', 'UTF8', '--locale=C']);
  fs.appendFileSync(path.join(DATA_DIR, 'postgresql.conf'), `\n# dw embedded cluster\n${SETTINGS.join('\n')}\n`);
}

export function postgresRunning(): Promise<boolean> {
  return portOpen(EMBEDDED.pgPort);
}

/** Creates (first time) and starts the cluster, then makes sure the database exists. Idempotent. */
export async function startPostgres(database: string = EMBEDDED.pgDatabase): Promise<void> {
  ensureDirs();
  if (!(await postgresRunning())) {
    if (!fs.existsSync(path.join(DATA_DIR, 'PG_VERSION'))) initCluster();
    const user = serviceUser();
    if (user) {
      fs.closeSync(fs.openSync(LOG_FILE, 'a'));
      run('chown', [`${user}:`, LOG_FILE]);
    }
    asServiceUser(path.join(pgBinDir(), 'pg_ctl'), ['-D', DATA_DIR, '-l', LOG_FILE, '-w', '-t', '60', 'start']);
    await waitFor('PostgreSQL', postgresRunning, 30_000, LOG_FILE);
  }
  await ensureDatabase(database);
}

export async function stopPostgres(): Promise<void> {
  if (!fs.existsSync(path.join(DATA_DIR, 'postmaster.pid'))) return;
  asServiceUser(path.join(pgBinDir(), 'pg_ctl'), ['-D', DATA_DIR, '-m', 'fast', '-w', 'stop']);
}

export async function ensureDatabase(database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl('postgres') });
  await client.connect();
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

export async function dropDatabase(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export const POSTGRES_LOG = LOG_FILE;
