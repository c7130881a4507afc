// The background worker started by `dw up`: restarted when the code it runs has changed since it started.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ROOT, loadConfig } from '../config';
import { WORKER_LOG_ROTATION } from './log-rotate';
import { LOG_DIR, readPid, readPidTag, removePid, sleep, spawnDetached, stopProcess, waitFor, writePid } from './process';

const CODE_DIRS = ['domain', 'assets', 'workflows', 'activities', 'schema', 'infra', 'dbt'];

/** A fingerprint of the worker's code (paths, sizes, modification times): cheap, and changes on any edit. */
export function codeFingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'target', 'logs'].includes(entry.name)) walk(p);
      } else {
        const st = fs.statSync(p);
        h.update(`${p}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  for (const d of CODE_DIRS) walk(path.join(ROOT, d));
  const w = fs.statSync(path.join(ROOT, 'worker.ts'));
  h.update(`worker.ts:${w.size}:${w.mtimeMs}`);
  return h.digest('hex').slice(0, 16);
}

/** node with tsx's loader, so the pid is the worker itself (signals reach it directly). */
export function workerArgs(): string[] {
  return ['--import', 'tsx', path.join(ROOT, 'worker.ts')];
}

/** Whether some worker polls the task queue (ours or another replica). */
export async function workerPolling(): Promise<boolean> {
  const config = loadConfig();
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: 2_000 });
    const r = await connection.workflowService.describeTaskQueue({
      namespace: config.temporalNamespace,
      taskQueue: { name: config.taskQueue, kind: 1 },
      taskQueueType: 1,
    });
    const cutoff = Date.now() / 1000 - 70;
    return (r.pollers ?? []).some((p) => Number(p.lastAccessTime?.seconds ?? 0) >= cutoff);
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

/** One background worker per task queue, so a test's worker never replaces the developer's. */
function pidName(): string {
  const queue = loadConfig().taskQueue;
  return queue === 'dw' ? 'worker' : `worker-${queue.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export function workerPid(): number | undefined {
  return readPid(pidName());
}

export async function startWorker(): Promise<'started' | 'running' | 'restarted'> {
  const fingerprint = codeFingerprint();
  const pid = workerPid();
  if (pid && readPidTag(pidName()) === fingerprint) return 'running';
  if (pid) await stopProcess(pid);
  const child = spawnDetached(process.execPath, workerArgs(), workerLog(), process.env, WORKER_LOG_ROTATION);
  writePid(pidName(), child, fingerprint);
  await sleep(300);
  await waitFor('the worker', async () => (workerPid() !== undefined || fail()) && workerPolling(), 90_000, workerLog());
  return pid ? 'restarted' : 'started';
}

function fail(): never {
  throw new Error(`the worker exited at start: see ${workerLog()}`);
}

export function workerLog(): string {
  return path.join(LOG_DIR, `${pidName()}.log`);
}

export async function stopWorker(): Promise<void> {
  const pid = workerPid();
  if (pid) await stopProcess(pid, 15_000);
  removePid(pidName());
}
