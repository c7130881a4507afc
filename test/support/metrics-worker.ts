// A worker process of its own for a test env, with a chosen metrics port and log level; stopped with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from '../../infra/config';
import { workerArgs } from '../../infra/services/worker-process';
import type { TestEnv } from './env';

export interface TestWorker {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export function startTestWorker(env: TestEnv, metricsPort: number, logLevel = 'warn'): TestWorker {
  const child = spawn(process.execPath, workerArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      DW_METRICS_PORT: String(metricsPort),
      DW_LOG_LEVEL: logLevel,
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** Waits until an HTTP endpoint answers (a worker's /metrics, Prometheus' readiness). */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
