// dw logs RUN_ID on a real run: the worker's lines for that run, each with workflow, run, activity, asset and attempt.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_DIR } from '../../infra/config';
import { dw } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, corruptPaymentsOfMonth } from '../support/fixtures';
import { type TestWorker, startTestWorker } from '../support/metrics-worker';

let env: TestEnv;
let worker: TestWorker;

beforeAll(async () => {
  env = await createTestEnv('logs');
  worker = startTestWorker(env, 0, 'info');
});

afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

describe('dw logs', () => {
  it('when a run has materialized assets, then dw logs RUN_ID shows its lines with the activity context', async () => {
    const summary = await env.materialize({ selection: 'raw/orders staging/orders', sourceDir: DEFAULT_SOURCE_DIR });
    expect(summary.status).toBe('success');
    const { run_id: runId, workflow_id: workflowId } = (await env.pool.query(`SELECT run_id, workflow_id FROM dw_meta.runs`)).rows[0];

    let r = dw(env, ['logs', runId, '--json']);
    for (let i = 0; i < 20 && !r.stdout.includes('"asset":"staging/orders"'); i++) {
      await new Promise((res) => setTimeout(res, 250)); // the file transport writes asynchronously
      r = dw(env, ['logs', runId, '--json']);
    }
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.every((l) => l.runId === runId && l.workflowId === workflowId)).toBe(true);
    for (const asset of ['raw/orders', 'staging/orders']) {
      const line = lines.find((l) => l.asset === asset && l.message === 'materialized');
      expect(line, asset).toMatchObject({ activity: 'materializeAsset', attempt: 1, level: 'info', component: 'materialize' });
      expect(line.activityId).toMatch(/\S/);
    }

    const human = dw(env, ['logs', workflowId]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/info\s+staging\/orders: materialized/);

    const none = dw(env, ['logs', 'no-such-run']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no log lines for run 'no-such-run'");
  });

  it('when a partition fails, then dw logs RUN_ID shows its root cause as an error line of that asset and partition', async () => {
    const source = copySource();
    corruptPaymentsOfMonth(source, '2017-11');
    expect((await env.materialize({ selection: 'raw/* staging/*', sourceDir: source })).status).toBe('success');
    const failed = await env.materialize({ selection: 'domain/sales/orders', partitionKey: '2017-11', sourceDir: source });
    expect(failed.status).toBe('failed');
    const { run_id: runId } = (await env.pool.query(`SELECT run_id FROM dw_meta.runs WHERE status = 'failed'`)).rows[0];
    let r = dw(env, ['logs', runId, '--json']);
    for (let i = 0; i < 20 && !r.stdout.includes('asset failed'); i++) {
      await new Promise((res) => setTimeout(res, 250));
      r = dw(env, ['logs', runId, '--json']);
    }
    const errors = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ asset: 'domain/sales/orders', partition: '2017-11', runId, activity: 'materializeAsset' }),
    ]);
    expect(errors[0].message).toMatch(/^asset failed: /);
    expect(errors[0].code).toMatch(/\S/);
    fs.rmSync(source, { recursive: true, force: true });
  });
});
