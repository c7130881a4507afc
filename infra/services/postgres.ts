// The embedded PostgreSQL cluster under .dw/pg, made and started from the system's PostgreSQL binaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED, SECRETS_FILE, STATE_DIR, embeddedDatabaseUrl } from '../config';
import { connectClient } from '../db';
import { type RoleName, type Secrets, ensureSecrets, readSecrets, withRole } from '../secrets';
import { adoptDatabase, ensureRoles, hbaNeedsUpgrade, writeHba } from './pg-roles';
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
export const EMBEDDED_CLUSTER: PgCluster = {
  dir: path.join(STATE_DIR, 'pg'),
  port: EMBEDDED.pgPort,
  logFile: path.join(LOG_DIR, 'postgres.log'),
};

const dataDir = (c: PgCluster) => path.join(c.dir, 'data');
const socketDir = (c: PgCluster) => path.join(c.dir, 'run');

/**
 * The server log holds no row contents (no personal data in any log, docs/security.md): an error is logged without its
 * DETAIL/CONTEXT (`COPY order_reviews, line 330: "…review text…"`, `Key (…)=(…)`, `Failing row contains (…)`), without
 * the failing statement or its parameters (audit keys, review text), and no statement is logged by kind or by duration.
 * Application roles are not superusers, so a session cannot turn these back on.
 */
export const PRIVACY_SETTINGS = [
  'log_error_verbosity = terse',
  'log_min_error_statement = panic',
  'log_statement = none',
  'log_min_duration_statement = -1',
  'log_duration = off',
  'log_parameter_max_length = 0',
  'log_parameter_max_length_on_error = 0',
];

/**
 * pg_wal stays bounded (it reached 289 MB under max_wal_size = 4GB): checkpoints come by 256 MB of WAL, at most 64 MB of
 * recycled segments are kept, and none for standbys (wal_level = minimal, no archiving). Archiving for backups will
 * be configured later (wal_level, archive_mode): whoever adds it revisits these bounds.
 */
export const WAL_SETTINGS = ['max_wal_size = 256MB', 'min_wal_size = 64MB', 'wal_keep_size = 0'];

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
  ...WAL_SETTINGS,
  'checkpoint_timeout = 15min',
  'max_connections = 200',
  'synchronous_commit = off',
  `timezone = 'UTC'`,
  ...PRIVACY_SETTINGS,
  ...(c.settings ?? []),
];

const SETTINGS_MARK = '# dw embedded cluster';

/**
 * Writes the project's settings as the last block of postgresql.conf (replacing the block an earlier version wrote), so
 * a cluster initialized before a setting existed gets it too. Returns whether the file changed.
 */
export function writeSettings(c: PgCluster): boolean {
  const conf = path.join(dataDir(c), 'postgresql.conf');
  const text = fs.readFileSync(conf, 'utf8');
  const at = text.indexOf(`\n${SETTINGS_MARK}\n`);
  const next = `${at < 0 ? text : text.slice(0, at)}\n${SETTINGS_MARK}\n${settings(c).join('\n')}\n`;
  if (next === text) return false;
  fs.writeFileSync(conf, next);
  return true;
}

/** Where a cluster's generated passwords live: .dw/secrets for the embedded one, beside the data for others. */
export const secretsFileOf = (c: PgCluster) => (c === EMBEDDED_CLUSTER ? SECRETS_FILE : path.join(c.dir, 'secrets'));

/** A database of the cluster as `role` (default: the owner; `dw` is the superuser, for cluster administration only). */
export function clusterUrl(c: PgCluster, database: string, role: RoleName = 'dw_owner'): string {
  if (c === EMBEDDED_CLUSTER) return embeddedDatabaseUrl(database, role);
  const secrets = readSecrets(secretsFileOf(c));
  return withRole(`postgres://127.0.0.1:${c.port}/${database}`, secrets ? role : EMBEDDED.pgUser, secrets);
}

export function pgBinDir(): string {
  const candidates = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of candidates) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) not found: run `npm run setup` (installs postgresql-15) or set DATABASE_URL',
  );
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

/**
 * initdb with password authentication (scram-sha-256) for every connection; the superuser's password comes from
 * the secrets. `trust` only reproduces a cluster made before passwords (the upgrade test).
 */
export function initCluster(c: PgCluster, auth: 'scram-sha-256' | 'trust' = 'scram-sha-256'): void {
  const bin = pgBinDir();
  fs.mkdirSync(socketDir(c), { recursive: true });
  fs.mkdirSync(dataDir(c), { recursive: true, mode: 0o700 });
  const user = serviceUser();
  if (user) run('chown', ['-R', `${user}:`, c.dir]);
  const pwFile = path.join(c.dir, '.initdb-password');
  const args = ['-D', dataDir(c), '-U', EMBEDDED.pgUser, `--auth=${auth}`, '-E', 'UTF8', '--locale=C'];
  if (auth !== 'trust') {
    fs.writeFileSync(pwFile, ensureSecrets(secretsFileOf(c)).dw, { mode: 0o600 });
    if (user) run('chown', [`${user}:`, pwFile]);
    args.push(`--pwfile=${pwFile}`);
  }
  try {
    asServiceUser(path.join(bin, 'initdb'), args);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  writeSettings(c);
}

/**
 * Only the owner reaches the cluster's files: .dw (where the passwords, the Temporal history and the logs are) and
 * the cluster directory with its socket are 0700. As root, .dw is 0710 with the service user's group, so that the
 * server can reach its directory and nobody else can list or read anything.
 */
function lockDown(c: PgCluster): void {
  const user = serviceUser();
  if (c === EMBEDDED_CLUSTER) {
    if (user) {
      run('chown', [`root:${run('id', ['-gn', user]).trim()}`, STATE_DIR]);
      fs.chmodSync(STATE_DIR, 0o710);
    } else fs.chmodSync(STATE_DIR, 0o700);
  }
  for (const dir of [c.dir, socketDir(c)]) fs.chmodSync(dir, 0o700);
}

/**
 * Roles and passwords (idempotent), and a cluster made with trust upgraded: its pg_hba.conf rewritten to
 * scram-sha-256 and reloaded (`requirePasswords: false` leaves a running cluster's authentication as it is).
 */
async function secureCluster(c: PgCluster, secrets: Secrets, requirePasswords: boolean): Promise<void> {
  const admin = await connectClient(clusterUrl(c, 'postgres', 'dw')).catch((err: { code?: string; message: string }) => {
    if (err.code !== '28P01') throw err;
    throw new Error(
      `the cluster under ${c.dir} refuses the superuser's password in ${secretsFileOf(c)} (${err.message}): ` +
        "the file was replaced or lost; restore it, or set the passwords again as the server's OS user (docs/security.md)",
    );
  });
  try {
    // A cluster already running when the settings changed takes the reloadable ones now (logging, WAL bounds).
    if (writeSettings(c)) await admin.query('SELECT pg_reload_conf()');
    await ensureRoles(admin, secrets);
    if (requirePasswords && hbaNeedsUpgrade(dataDir(c))) {
      writeHba(dataDir(c));
      await admin.query('SELECT pg_reload_conf()');
    }
  } finally {
    await admin.end();
  }
}

export function postgresRunning(c: PgCluster = EMBEDDED_CLUSTER): Promise<boolean> {
  return portOpen(c.port);
}

export interface StartOptions {
  /** false: a running cluster made with trust keeps trusting local connections (a test run must not lock out the developer's processes). */
  requirePasswords?: boolean;
}

/**
 * Creates (first time, with passwords) and starts the cluster, secures it (roles, passwords, pg_hba.conf, file
 * modes), then makes sure the database exists, owned by dw_owner. Idempotent; upgrades a cluster made with trust.
 */
export async function startPostgres(
  database: string = EMBEDDED.pgDatabase,
  c: PgCluster = EMBEDDED_CLUSTER,
  opts: StartOptions = {},
): Promise<void> {
  ensureDirs();
  if (!(await postgresRunning(c))) {
    if (!fs.existsSync(path.join(dataDir(c), 'PG_VERSION'))) initCluster(c);
    await startServer(c);
  }
  await secureCluster(c, ensureSecrets(secretsFileOf(c)), opts.requirePasswords !== false);
  lockDown(c);
  await ensureDatabase(database, undefined, c);
}

/** pg_ctl start of an initialized cluster, as the service user, waiting until it accepts connections. */
export async function startServer(c: PgCluster): Promise<void> {
  writeSettings(c);
  const user = serviceUser();
  if (user) {
    fs.closeSync(fs.openSync(c.logFile, 'a'));
    run('chown', [`${user}:`, c.logFile]);
  }
  asServiceUser(path.join(pgBinDir(), 'pg_ctl'), ['-D', dataDir(c), '-l', c.logFile, '-w', '-t', '60', 'start']);
  await waitFor('PostgreSQL', () => postgresRunning(c), 30_000, c.logFile);
}

/** Stops the cluster: 'fast' rolls back and disconnects clients; 'immediate' is a crash (recovery at the next start). */
export async function stopPostgres(c: PgCluster = EMBEDDED_CLUSTER, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  if (!fs.existsSync(path.join(dataDir(c), 'postmaster.pid'))) return;
  asServiceUser(path.join(pgBinDir(), 'pg_ctl'), ['-D', dataDir(c), '-m', mode, '-w', 'stop']);
}

/**
 * Creates the database (owned by dw_owner; the worker may create schemas in it, for dbt) unless it exists; an
 * existing one made before the roles is adopted by them (infra/services/pg-roles.ts). As the cluster's superuser.
 */
export async function ensureDatabase(database: string, template?: string, c: PgCluster = EMBEDDED_CLUSTER): Promise<void> {
  const client = await connectClient(clusterUrl(c, 'postgres', 'dw'));
  const db = pg.escapeIdentifier(database);
  try {
    const roles = (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = 'dw_owner'`)).rowCount === 1;
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      const tpl = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${db}${tpl}${roles ? ' OWNER dw_owner' : ''}`);
      if (roles) await client.query(`GRANT CREATE ON DATABASE ${db} TO dw_worker`);
    } else if (roles) {
      const target = await connectClient(clusterUrl(c, database, 'dw'));
      try {
        if (await adoptDatabase(target)) await client.query(`GRANT CREATE ON DATABASE ${db} TO dw_worker`);
      } finally {
        await target.end();
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
  } finally {
    await client.end();
  }
}

export async function dropDatabase(database: string, c: PgCluster = EMBEDDED_CLUSTER): Promise<void> {
  const client = await connectClient(clusterUrl(c, 'postgres', 'dw'));
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export const POSTGRES_LOG = EMBEDDED_CLUSTER.logFile;
