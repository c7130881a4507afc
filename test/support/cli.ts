// The dw command as a user runs it, against a test env's database and task queue (its worker is a real process).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, STATE_DIR } from '../../infra/config';
import { workerArgs } from '../../infra/services/worker-process';
import type { TestEnv } from './env';

export interface DwResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function dwEnv(env: TestEnv): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: env.databaseUrl, TEMPORAL_TASK_QUEUE: env.taskQueue, DW_LOG_LEVEL: 'warn' };
}

/** Runs dw to its end (synchronously: nothing else in the test runs meanwhile). */
export function dw(env: TestEnv, args: string[], timeout = 240_000): DwResult {
  const r = spawnSync(path.join(ROOT, 'bin', 'dw'), args, { encoding: 'utf8', env: dwEnv(env), timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs dw in the background, so the test can act while it runs. */
export function dwAsync(env: TestEnv, args: string[]): Promise<DwResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'bin', 'dw'), args, { env: dwEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The worker that dw started for the env's task queue (it outlives the command). */
function cliWorkerPid(env: TestEnv): number | undefined {
  const pidFile = path.join(STATE_DIR, 'run', `worker-${env.taskQueue}.pid`);
  return fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
}

export function stopCliWorker(env: TestEnv, signal: NodeJS.Signals = 'SIGTERM'): void {
  const pid = cliWorkerPid(env);
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
  fs.rmSync(path.join(STATE_DIR, 'run', `worker-${env.taskQueue}.pid`), { force: true });
}

/** A worker process of its own for the env (as dw worker runs it), for tests that kill it. */
export function startWorkerProcess(env: TestEnv): ChildProcess {
  return spawn(process.execPath, workerArgs(), { cwd: ROOT, env: dwEnv(env), stdio: ['ignore', 'inherit', 'inherit'] });
}

/** SIGKILL, no warning, and wait until the process is gone. */
export async function killWorker(worker: ChildProcess): Promise<void> {
  const gone = new Promise((res) => worker.once('exit', res));
  worker.kill('SIGKILL');
  await gone;
}
