// SIGKILL of the worker in the middle of a COPY: after a restart the run completes and each row is loaded once.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformGraph, select } from '../../assets';
import { awaitSummary, startMaterialize } from '../../cli/temporal-client';
import { startWorkerProcess } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';

let env: TestEnv;
let source: string;
let worker: ChildProcess | undefined;
const COPIES = 1200;

beforeAll(async () => {
  env = await createTestEnv('kill');
  source = copySource();
  // A large orders file: the sample's records repeated, so the COPY lasts long enough to be interrupted.
  const file = path.join(source, 'olist_orders_dataset.csv');
  const [header, ...rest] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const body = `${rest.join('\n')}\n`;
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${header}\n`);
  for (let i = 0; i < COPIES; i++) fs.writeSync(fd, body);
  fs.closeSync(fd);
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

describe('worker killed during COPY', () => {
  it('when the worker is SIGKILLed mid-COPY and restarted, then the run completes and the table holds each row exactly once', async () => {
    worker = startWorkerProcess(env);
    const input = { selection: 'raw/orders', sourceDir: source };
    const handle = await startMaterialize(env.client, input, select(platformGraph(), input.selection), env.taskQueue);

    // Wait until the COPY is under way in Postgres, then kill the worker without warning.
    let copied = 0;
    const deadline = Date.now() + 90_000;
    while (copied === 0 && Date.now() < deadline) {
      const r = await env.pool.query(`SELECT coalesce(max(tuples_processed), 0)::int AS n FROM pg_stat_progress_copy WHERE datname = $1`, [
        env.database,
      ]);
      copied = r.rows[0].n;
      if (copied === 0) await new Promise((res) => setTimeout(res, 20));
    }
    expect(copied).toBeGreaterThan(0);
    worker.kill('SIGKILL');
    await new Promise((res) => worker?.once('exit', res));
    expect(copied).toBeLessThan(COPIES * 1000);
    const during = await env.pool.query(`SELECT count(*)::int AS n FROM raw.orders`);
    expect(during.rows[0].n).toBe(0); // the interrupted load was never visible

    worker = startWorkerProcess(env);
    const summary = await awaitSummary(env.client, handle.workflowId, handle.firstExecutionRunId);
    expect(summary.status).toBe('success');
    const { rows } = await env.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT _source_row)::int AS distinct_rows, max(_source_row)::int AS last FROM raw.orders`,
    );
    expect(rows[0]).toEqual({ n: COPIES * 1000, distinct_rows: COPIES * 1000, last: COPIES * 1000 });
    const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
    const attempts =
      history.events?.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes?.attempt) ?? [];
    expect(Math.max(...attempts.map(Number))).toBeGreaterThanOrEqual(2); // the activity was retried after the kill
  });
});
