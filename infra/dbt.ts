// Runs dbt from the project's virtualenv: connection from DATABASE_URL, own target path per run, JSON log lines streamed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT, STATE_DIR } from './config';
import { logger } from './logger';

export const DBT_PROJECT = path.join(ROOT, 'dbt');
export const DBT_SCHEMA = 'analytics';

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
    DW_DBT_SCHEMA: process.env.DW_DBT_SCHEMA ?? DBT_SCHEMA,
    DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
  };
}

export interface DbtRun {
  code: number | null;
  targetPath: string;
  signal: NodeJS.Signals | null;
}

export interface DbtOptions {
  databaseUrl: string;
  targetPath: string;
  signal?: AbortSignal;
  /** Called for each dbt log event (parsed JSON line). */
  onEvent?: (event: { info?: { msg?: string; level?: string; name?: string } }) => void;
}

/**
 * Runs `dbt <args>` in its own process group; an abort (activity cancellation) stops dbt and its children
 * (SIGTERM, then SIGKILL after 10 s), so no orphan process is left behind.
 */
export function runDbt(args: string[], opts: DbtOptions): Promise<DbtRun> {
  fs.mkdirSync(opts.targetPath, { recursive: true });
  const log = logger('dbt');
  const child = spawn(dbtBinary(), [...args, '--project-dir', DBT_PROJECT, '--profiles-dir', DBT_PROJECT,
    '--target-path', opts.targetPath, '--log-path', opts.targetPath, '--log-format', 'json'], {
    env: dbtEnv(opts.databaseUrl), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000).unref();
  };
  opts.signal?.addEventListener('abort', kill, { once: true });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const event = JSON.parse(line);
      opts.onEvent?.(event);
      const level = event.info?.level === 'error' ? 'error' : event.info?.level === 'warn' ? 'warn' : 'debug';
      log.log(level, event.info?.msg ?? line, { dbtEvent: event.info?.name });
    } catch {
      log.debug(line);
    }
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => log.warn(line));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, targetPath: opts.targetPath });
    });
  });
}

export const DBT_STATE_DIR = path.join(STATE_DIR, 'dbt');
