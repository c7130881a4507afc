// Runs dbt from the project's virtualenv: connection from DATABASE_URL, own target path per run, JSON log lines streamed,
// writing commands under the database's dbt lease, dbt stopped by a watchdog if the worker dies.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT, STATE_DIR, loadConfig } from './config';
import { connectClient } from './db';
import { LEASE_ENV, acquireDbtLease } from './dbt-lease';
import { markInUse, pruneDbtRuns, unmarkInUse } from './dbt-runs';
import { NoSpaceError, mentionsNoSpace, tightest } from './disk-space';
import { keyProvider, sessionKeys } from './keys';
import { logger, stripRowLines } from './logger';

export const DBT_PROJECT = path.join(ROOT, 'dbt');

export function dbtBinary(): string {
  const bin = path.join(ROOT, '.venv', 'bin', 'dbt');
  if (!fs.existsSync(bin)) throw new Error('dbt is not installed in .venv: run `npm run setup`');
  return bin;
}

/** dbt's profile reads these; they come from the one DATABASE_URL the platform uses. */
export function dbtEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const u = new URL(databaseUrl);
  return {
    ...process.env,
    DW_PG_HOST: u.hostname,
    DW_PG_PORT: u.port || '5432',
    DW_PG_USER: decodeURIComponent(u.username),
    DW_PG_PASSWORD: decodeURIComponent(u.password),
    DW_PG_DATABASE: u.pathname.slice(1),
    DW_DBT_SCHEMA: loadConfig().dbtSchema,
    DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
    // The server checks every second that dbt is still connected, so a killed dbt's queries stop with it.
    PGOPTIONS: `${process.env.PGOPTIONS ?? ''} -c client_connection_check_interval=1000`.trim(),
  };
}

export interface DbtRun {
  code: number | null;
  targetPath: string;
  signal: NodeJS.Signals | null;
  /** dbt's output said a write failed on a full disk (ENOSPC, "No space left on device"). */
  noSpace?: boolean;
}

/** Below this much free space on the dbt runs' or the embedded database's disk, dbt does not start (DBT.NO_SPACE). */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

/** The disks a dbt run writes to: its target/log directory and, for the embedded cluster, the database's files. */
function diskPaths(targetPath: string): string[] {
  const pgData = path.join(STATE_DIR, 'pg', 'data');
  return loadConfig().embeddedDatabase && fs.existsSync(pgData) ? [targetPath, pgData] : [targetPath];
}

/** The one failure a full disk gives: the path, its free space, and the fix. */
export function noSpace(disk: { path: string; free: number }): NoSpaceError {
  return new NoSpaceError(
    disk.path,
    disk.free,
    `free space on that disk, or set DW_DBT_KEEP_RUNS lower (now ${loadConfig().dbtKeepRuns}) so that fewer dbt runs are kept under ${DBT_RUNS_DIR}; then run again`,
  );
}

export interface DbtOptions {
  databaseUrl: string;
  targetPath: string;
  signal?: AbortSignal;
  /** Called for each dbt log event (parsed JSON line). */
  onEvent?: (event: { info?: { msg?: string; level?: string; name?: string } }) => void;
  /** The run recorded in dw_meta.dbt_leases for writing commands; default: the target directory's name. */
  runId?: string;
  /** Run directories kept under .dw/dbt/runs after this run; default DW_DBT_KEEP_RUNS. */
  keepRuns?: number;
}

/** Commands that write to the warehouse run under the lease; parse, compile, ls and the like do not. */
const WRITE_COMMANDS = new Set(['build', 'run', 'test', 'seed', 'snapshot']);

/**
 * `sh -c WATCHDOG dw-dbt <worker pid> dbt args…`: a watchdog in the background, then exec dbt, so dbt keeps the
 * shell's pid, which is also the process group's id ($$). The watchdog ignores SIGTERM (a group kill reaches it),
 * polls every second (a zombie counts as gone), ends with dbt, and once the worker is gone
 * stops the group: SIGTERM, then SIGKILL (dbt's stragglers and itself) when dbt has ended or after 10 s.
 */
const WATCHDOG = `w=$1; shift
alive() { kill -0 "$1" 2>/dev/null || return 1; [ -r /proc/$1/stat ] || return 0; s=$(sed 's/.*) //' /proc/$1/stat) && [ "\${s%% *}" != Z ]; }
( trap '' TERM INT
  while alive "$w" && alive $$; do sleep 1; done
  if alive $$; then kill -TERM -$$; i=0; while alive $$ && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done; kill -KILL -$$; fi ) </dev/null >/dev/null 2>&1 &
exec "$@"`;

/**
 * Runs `dbt <args>` in its own process group, with a watchdog that stops it if this process dies. An abort
 * (activity cancellation) stops dbt and its children (SIGTERM, then SIGKILL after 10 s). Writing commands hold
 * the dbt lease of the database for their whole run: if its connection is lost, dbt is killed and the call
 * throws (a plain, retryable error). Afterwards old run directories are pruned.
 */
export async function runDbt(args: string[], opts: DbtOptions): Promise<DbtRun> {
  // A full disk fails here once, naming the path, rather than as an error on every model and a dbt.log that cannot be written.
  const disk = tightest(diskPaths(opts.targetPath));
  if (disk.free < MIN_FREE_BYTES) throw noSpace(disk);
  fs.mkdirSync(opts.targetPath, { recursive: true });
  let child: ChildProcess | undefined;
  const killGroup = (signal: NodeJS.Signals) => {
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* gone */
    }
  };
  const lease = WRITE_COMMANDS.has(args[0] ?? '')
    ? await acquireDbtLease(opts.databaseUrl, {
        runId: opts.runId ?? path.basename(opts.targetPath),
        signal: opts.signal,
        onLost: () => killGroup('SIGKILL'),
      })
    : undefined;
  markInUse(opts.targetPath);
  try {
    if (opts.signal?.aborted) throw new Error(`dbt ${args[0]} cancelled`);
    if (lease?.lost())
      throw new Error(`lost the database connection holding the dbt lease before dbt ${args[0]} started: ${lease.lost()?.message}`);
    // Models pseudonymize with pii.pseudonym(): the session gets the pseudonym key only (no sealing key).
    const pii = lease ? await pseudonymKeys(opts.databaseUrl) : undefined;
    child = spawnDbt(args, opts, lease?.tag, pii);
    const done = waitForDbt(child, opts);
    const kill = () => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    };
    opts.signal?.addEventListener('abort', kill, { once: true });
    try {
      if (child.pid !== undefined) await lease?.setPid(child.pid).catch(() => undefined); // a lost lease is reported below
      const run = await done;
      if (run.code !== 0 && (run.noSpace || tightest(diskPaths(opts.targetPath)).free < MIN_FREE_BYTES))
        throw noSpace(tightest(diskPaths(opts.targetPath)));
      if (run.code !== 0) await lease?.verify(); // dbt may have failed because the database went away
      const lost = lease?.lost();
      if (lost)
        throw new Error(
          `lost the database connection holding the dbt lease during dbt ${args[0]} (${lost.message}): dbt was stopped; retry when the database is back`,
        );
      return run;
    } finally {
      opts.signal?.removeEventListener('abort', kill);
      await done.catch(() => undefined);
    }
  } finally {
    await lease?.release();
    unmarkInUse(opts.targetPath);
    if (path.dirname(opts.targetPath) === DBT_RUNS_DIR) {
      try {
        pruneDbtRuns(DBT_RUNS_DIR, opts.keepRuns ?? loadConfig().dbtKeepRuns);
      } catch (err) {
        logger('dbt').warn('could not prune old dbt run directories', { dir: DBT_RUNS_DIR, error: (err as Error).message });
      }
    }
  }
}

/** `dw.pii_keys` holding the pseudonym key alone, or undefined before migration 0010 (no pii schema). */
async function pseudonymKeys(databaseUrl: string): Promise<string | undefined> {
  const client = await connectClient(databaseUrl, 'dw-dbt-keys');
  try {
    const ready = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'pii'`);
    return ready.rowCount ? await sessionKeys(client, keyProvider(loadConfig().masterKeyFile), ['pseudonym']) : undefined;
  } finally {
    await client.end();
  }
}

function spawnDbt(args: string[], opts: DbtOptions, leaseTag: string | undefined, piiKeys: string | undefined): ChildProcess {
  const dbtArgs = [
    ...args,
    '--project-dir',
    DBT_PROJECT,
    '--profiles-dir',
    DBT_PROJECT,
    '--target-path',
    opts.targetPath,
    '--log-path',
    opts.targetPath,
    '--log-format',
    'json',
  ];
  const env = dbtEnv(opts.databaseUrl);
  if (leaseTag !== undefined) env[LEASE_ENV] = leaseTag;
  // PGOPTIONS splits on whitespace only: the compact JSON passes whole (and stays out of dbt's logs and argv).
  if (piiKeys !== undefined) env.PGOPTIONS = `${env.PGOPTIONS} -c dw.pii_keys=${piiKeys}`;
  return spawn('/bin/sh', ['-c', WATCHDOG, 'dw-dbt', String(process.pid), dbtBinary(), ...dbtArgs], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForDbt(child: ChildProcess, opts: DbtOptions): Promise<DbtRun> {
  const log = logger('dbt');
  let noSpace = false;
  readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!noSpace && mentionsNoSpace(line)) noSpace = true;
    try {
      const event = JSON.parse(line);
      opts.onEvent?.(event);
      const level = event.info?.level === 'error' ? 'error' : event.info?.level === 'warn' ? 'warn' : 'debug';
      log.log(level, stripRowLines(event.info?.msg ?? line), { dbtEvent: event.info?.name });
    } catch {
      if (stripRowLines(line)) log.debug(stripRowLines(line));
    }
  });
  readline.createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    if (!noSpace && mentionsNoSpace(line)) noSpace = true;
    if (stripRowLines(line)) log.warn(stripRowLines(line));
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, targetPath: opts.targetPath, noSpace }));
  });
}

export const DBT_STATE_DIR = path.join(STATE_DIR, 'dbt');
/** One target/log directory per dbt run (activities/dbt/build.ts names them), pruned to DW_DBT_KEEP_RUNS. */
export const DBT_RUNS_DIR = path.join(DBT_STATE_DIR, 'runs');
