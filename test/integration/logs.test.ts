// dw logs RUN_ID on a real run: the worker's lines for that run, each with workflow, run, activity, asset and attempt.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_DIR, ROOT } from '../../infra/config';
import { workerArgs } from '../../infra/services/worker-process';
import { dw } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
let worker: ChildProcess;

beforeAll(async () => {
  env = await createTestEnv('logs');
  worker = spawn(process.execPath, workerArgs(), {
    cwd: ROOT, stdio: 'ignore',
    env: { ...process.env, DATABASE_URL: env.databaseUrl, TEMPORAL_TASK_QUEUE: env.taskQueue, DW_METRICS_PORT: '0', DW_LOG_LEVEL: 'info' },
  });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const gone = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await gone;
  }
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
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
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
});
