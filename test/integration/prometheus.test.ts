// A real Prometheus scraping a real worker: the materialization counter and quality score in its API, DwRunFailed firing.
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusStatus, startPrometheus, stopPrometheus } from '../../infra/services/prometheus';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, corruptPaymentsOfMonth } from '../support/fixtures';
import { type TestWorker, startTestWorker, waitForHttp } from '../support/metrics-worker';
import { freePortPair } from '../support/prom-text';

let env: TestEnv;
let worker: TestWorker;
let source: string;
let promDir: string;
let promPort: number;
let promName: string;
const MONTH = '2017-11';

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}

async function api<T>(pathAndQuery: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/${pathAndQuery}`);
  const body = (await res.json()) as { status: string; data: T };
  expect(body.status).toBe('success');
  return body.data;
}

/** The value of an instant query (one series expected), or undefined while Prometheus has none. */
async function query(expr: string): Promise<number | undefined> {
  const data = await api<{ result: { value: [number, string] }[] }>(`query?query=${encodeURIComponent(expr)}`);
  return data.result.length ? Number(data.result[0]!.value[1]) : undefined;
}

async function eventually<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
    last = await probe();
  }
  return last;
}

beforeAll(async () => {
  env = await createTestEnv('prometheus');
  source = copySource();
  const metricsPort = await freePortPair();
  worker = startTestWorker(env, metricsPort);
  await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`);
  promDir = fs.mkdtempSync(`${os.tmpdir()}/dw-prometheus-`);
  promPort = await freePortPair();
  promName = `prometheus-${env.taskQueue}`;
  expect(await startPrometheus({ dir: promDir, port: promPort, metricsPort, scrapeInterval: '1s', name: promName })).toBe('started');
  await waitForHttp(`http://127.0.0.1:${promPort}/-/ready`);
});

afterAll(async () => {
  if (promName) await stopPrometheus(promName);
  await worker?.stop();
  await env?.close();
  for (const d of [source, promDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('Prometheus', () => {
  it("when it runs, then it scrapes the worker (job dw-worker) and has loaded the repo's alert rules, none firing", async () => {
    expect((await prometheusStatus({ port: promPort, name: promName })).state).toBe('up');
    await eventually(
      'up{job="dw-worker"}',
      () => query('up{job="dw-worker"}'),
      (v) => v === 1,
    );
    const rules = await api<{ groups: { rules: { name: string }[] }[] }>('rules');
    expect(rules.groups.flatMap((g) => g.rules.map((r) => r.name))).toEqual(
      expect.arrayContaining(['DwRunFailed', 'DwWorkerDown', 'DwDbtTestFailed']),
    );
    expect((await api<{ alerts: Alert[] }>('alerts')).alerts.filter((a) => a.labels.alertname === 'DwRunFailed')).toEqual([]);
  });

  it("when a selection is materialized, then Prometheus holds the ledger's materialization count and quality score", async () => {
    const summary = await env.materialize({ selection: 'raw/* staging/* domain/sales/orders', sourceDir: source });
    expect(summary.status).toBe('success');
    const {
      rows: [ledger],
    } = await env.pool.query(`SELECT (SELECT count(*) FROM dw_meta.materializations WHERE status = 'success')::int AS n,
      (SELECT count(*) FILTER (WHERE passed)::float8 / count(*) FROM dw_meta.check_results) AS score`);
    expect(ledger.n).toBeGreaterThan(20);
    await eventually(
      'materializations',
      () => query('sum(dw_materializations{outcome="success"})'),
      (v) => v === ledger.n,
    );
    expect(await query('dw_quality_score_overall')).toBeCloseTo(ledger.score, 9);
  });

  it('when a partition fails, then DwRunFailed fires for that asset with its runbook link', async () => {
    corruptPaymentsOfMonth(source, MONTH);
    expect((await env.materialize({ selection: 'raw/* staging/*', sourceDir: source })).status).toBe('success');
    const failed = await env.materialize({ selection: 'domain/sales/orders', partitionKey: MONTH, sourceDir: source });
    expect(failed.status).toBe('failed');
    const alerts = await eventually(
      'DwRunFailed',
      async () => (await api<{ alerts: Alert[] }>('alerts')).alerts.filter((a) => a.labels.alertname === 'DwRunFailed'),
      (a) => a.some((x) => x.state === 'firing'),
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        state: 'firing',
        labels: expect.objectContaining({ asset: 'domain/sales/orders', severity: 'critical', job: 'dw-worker' }),
        annotations: expect.objectContaining({
          runbook_url: 'docs/runbook.md#alert-dwrunfailed',
          summary: 'Asset domain/sales/orders failed: its latest attempt failed in 1 partition(s)',
        }),
      }),
    ]);
  });
});
