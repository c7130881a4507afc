// A local Prometheus (Debian's binary) for `dw up --monitoring`: scrapes the worker and the Temporal SDK, loads the alert rules.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, STATE_DIR, loadConfig } from '../config';
import { LOG_DIR, readPid, removePid, spawnDetached, stopProcess, waitFor, writePid } from './process';

export const PROMETHEUS_PORT = 9090;

export interface PrometheusOptions {
  /** Where its config and TSDB live (default .dw/prometheus). */
  dir?: string;
  port?: number;
  /** The worker's metrics port; the Temporal SDK's is the next one. */
  metricsPort?: number;
  scrapeInterval?: string;
  /** A pid-file name of its own, so a test's Prometheus never replaces the developer's. */
  name?: string;
}

function resolved(o: PrometheusOptions) {
  return {
    dir: o.dir ?? path.join(STATE_DIR, 'prometheus'),
    port: o.port ?? PROMETHEUS_PORT,
    metricsPort: o.metricsPort ?? loadConfig().metricsPort,
    scrapeInterval: o.scrapeInterval ?? '15s',
    name: o.name ?? 'prometheus',
  };
}

/** prometheus.yml: the worker as job dw-worker (what DwWorkerDown watches), the SDK as temporal-sdk, the repo's alert rules. */
export function prometheusConfig(o: ReturnType<typeof resolved>): string {
  return [
    'global:',
    `  scrape_interval: ${o.scrapeInterval}`,
    `  evaluation_interval: ${o.scrapeInterval}`,
    'rule_files:',
    `  - ${JSON.stringify(path.join(ROOT, 'infra', 'monitoring', 'alerts.yml'))}`,
    'scrape_configs:',
    '  - job_name: dw-worker',
    '    static_configs:',
    `      - targets: ["127.0.0.1:${o.metricsPort}"]`,
    '  - job_name: temporal-sdk',
    '    static_configs:',
    `      - targets: ["127.0.0.1:${o.metricsPort + 1}"]`,
    '',
  ].join('\n');
}

async function ready(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/-/ready`).then(
    (r) => r.ok,
    () => false,
  );
}

/** Starts Prometheus when it is not running (idempotent); its data survives restarts under `dir`. */
export async function startPrometheus(opts: PrometheusOptions = {}): Promise<'started' | 'running'> {
  const o = resolved(opts);
  fs.mkdirSync(path.join(o.dir, 'data'), { recursive: true });
  const config = path.join(o.dir, 'prometheus.yml');
  fs.writeFileSync(config, prometheusConfig(o));
  const running = readPid(o.name);
  if (running) {
    process.kill(running, 'SIGHUP'); // reload the config written above
    return 'running';
  }
  const log = path.join(LOG_DIR, `${o.name}.log`);
  const pid = spawnDetached(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(o.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--storage.tsdb.retention.time=15d',
    ],
    log,
  );
  writePid(o.name, pid, String(o.port));
  await waitFor('Prometheus', async () => ready(o.port), 30_000, log);
  return 'started';
}

export async function stopPrometheus(name = 'prometheus'): Promise<void> {
  const pid = readPid(name);
  if (pid) await stopProcess(pid, 10_000);
  removePid(name);
}

export async function prometheusStatus(opts: PrometheusOptions = {}): Promise<{ name: string; state: 'up' | 'down'; detail: string }> {
  const o = resolved(opts);
  const up = readPid(o.name) !== undefined && (await ready(o.port));
  return {
    name: 'prometheus',
    state: up ? 'up' : 'down',
    detail: up ? `http://127.0.0.1:${o.port} (.dw/prometheus)` : 'dw up --monitoring starts it',
  };
}
