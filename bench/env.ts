// The benchmark's own databases and worker processes: never the developer's database or task queue.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { EMBEDDED, ROOT, embeddedDatabaseUrl } from '../infra/config';
import { createPool } from '../infra/db';
import { applyMigrations } from '../infra/migrate';
import { dropDatabase, ensureDatabase } from '../infra/services/postgres';
import { progress, sleep } from './util';

export const TEMPORAL_ADDRESS = `127.0.0.1:${EMBEDDED.temporalPort}`;
const created = new Set<string>();
const workers = new Set<BenchWorker>();

/** A fresh migrated database; any leftover of the same name is dropped first. */
export async function createBenchDatabase(name: string, migrate = true): Promise<string> {
  await dropDatabase(name);
  await ensureDatabase(name);
  created.add(name);
  const url = embeddedDatabaseUrl(name);
  if (migrate) {
    const pool = createPool(url, 1);
    try {
      await applyMigrations(pool);
    } finally {
      await pool.end();
    }
  }
  return url;
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await dropDatabase(name);
  created.delete(name);
}

/** Peak and current memory of a process from /proc/<pid>/status, in KiB. */
export function procMemory(pid: number): { rssKiB: number; hwmKiB: number } | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { rssKiB: get('VmRSS'), hwmKiB: get('VmHWM') };
  } catch {
    return undefined;
  }
}

/** The pids of a process's descendants (dbt and its children, for the worker). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const p = frontier.pop() as number;
    for (const [child, pp] of parent)
      if (pp === p) {
        out.push(child);
        frontier.push(child);
      }
  }
  return out;
}

export interface WorkerMemory {
  /** VmHWM of the worker process right after it started polling (bundling the workflows included). */
  startupHwmKiB: number;
  /** VmHWM of the worker process at the end (its peak resident memory over the whole scale). */
  peakHwmKiB: number;
  /** VmRSS at the end. */
  endRssKiB: number;
  /** The largest sampled sum of VmRSS over the worker's child processes (dbt), sampled every 250 ms. */
  childrenPeakRssKiB: number;
}

/** A worker as its own process (`node --import tsx <script>`), on its own database and task queue. */
export class BenchWorker {
  readonly child: ChildProcess;
  readonly logFile: string;
  startupMs = 0;
  startupHwmKiB = 0;
  private childrenPeak = 0;
  private sampler: NodeJS.Timeout | undefined;
  private exited = false;

  private constructor(
    readonly name: string,
    readonly taskQueue: string,
    script: string,
    env: NodeJS.ProcessEnv,
    logDir: string,
  ) {
    this.logFile = path.join(logDir, `${name}.log`);
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.child.once('exit', () => {
      this.exited = true;
    });
    workers.add(this);
  }

  static async start(opts: {
    name: string;
    databaseUrl: string;
    taskQueue: string;
    logDir: string;
    script?: string;
    env?: Record<string, string>;
  }): Promise<BenchWorker> {
    const started = performance.now();
    // opts.env last: the observability bench sets DW_LOG_LEVEL, DW_METRICS_PORT and DW_OBSERVABILITY itself.
    const env = {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      TEMPORAL_ADDRESS: TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      DW_LOG_LEVEL: 'warn',
      DW_METRICS_PORT: '0',
      ...opts.env,
    };
    const w = new BenchWorker(opts.name, opts.taskQueue, opts.script ?? path.join(ROOT, 'worker.ts'), env, opts.logDir);
    await w.waitPolling();
    w.startupMs = performance.now() - started;
    w.startupHwmKiB = procMemory(w.pid)?.hwmKiB ?? 0;
    w.sampler = setInterval(() => w.sample(), 250);
    progress(
      `worker ${opts.name} (pid ${w.pid}, queue ${opts.taskQueue}) polling after ${(w.startupMs / 1000).toFixed(1)} s, VmHWM ${(w.startupHwmKiB / 1024).toFixed(0)} MiB`,
    );
    return w;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private sample(): void {
    let sum = 0;
    for (const p of descendants(this.pid)) sum += procMemory(p)?.rssKiB ?? 0;
    if (sum > this.childrenPeak) this.childrenPeak = sum;
  }

  private async waitPolling(): Promise<void> {
    const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    try {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        if (this.exited) throw new Error(`worker ${this.name} exited at start (code ${this.child.exitCode}): ${tail(this.logFile)}`);
        const r = await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: this.taskQueue, kind: 1 },
          taskQueueType: 1,
        });
        if ((r.pollers ?? []).length > 0) return;
        await sleep(200);
      }
      throw new Error(`worker ${this.name} did not poll ${this.taskQueue} within 120 s: ${tail(this.logFile)}`);
    } finally {
      await connection.close();
    }
  }

  memory(): WorkerMemory {
    const m = procMemory(this.pid);
    return {
      startupHwmKiB: this.startupHwmKiB,
      peakHwmKiB: m?.hwmKiB ?? 0,
      endRssKiB: m?.rssKiB ?? 0,
      childrenPeakRssKiB: this.childrenPeak,
    };
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    workers.delete(this);
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }

  /** The worker's log, when something went wrong. */
  logTail(): string {
    return tail(this.logFile);
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops every worker this process started and drops every database it created (also after a failure). */
export async function cleanup(): Promise<void> {
  for (const w of [...workers]) await w.stop().catch(() => undefined);
  for (const db of [...created]) await dropBenchDatabase(db).catch((e) => progress(`could not drop ${db}: ${(e as Error).message}`));
}
