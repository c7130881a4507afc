// Backfills as CI runs them: every partition of the sample, the same again as a no-op, a bad month that fails alone
// and, once fixed, is the only one that runs again; the plan and the status commands.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillId, backfillWorkflowId } from '../../cli/temporal-client';
import { type BackfillProgress, SA_PARTITION_KEY, SA_ROOT_CAUSE, backfillProgressQuery } from '../../workflows/definitions';
import { dw as run, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR, copySource, corruptPaymentsOfMonth, parseRecords } from '../support/fixtures';

let env: TestEnv;
let source: string;
let months: string[];
const BAD_MONTH = '2017-11';
const dw = (args: string[]) => run(env, args);
const backfill = (...extra: string[]) => dw(['backfill', '--source', source, '--max-parallel', '3', ...extra]);
const byState = (p: BackfillProgress, state: string) => p.partitions.filter((x) => x.state === state).map((x) => x.partitionKey);

beforeAll(async () => {
  env = await createTestEnv('backfill');
  source = copySource();
  months = [...new Set(parseRecords(path.join(source, 'olist_orders_dataset.csv')).map((r) => (r[3] as string).slice(0, 7)))].sort();
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

describe('dw backfill', () => {
  it('when a backfill covers every partition of the sample, then every partition succeeds and dw partitions shows all materialized', () => {
    const r = backfill('--wait', '--json');
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as BackfillProgress;
    expect(p.status).toBe('success');
    expect(p.partitions.map((x) => x.partitionKey)).toEqual(months);
    expect(new Set(p.partitions.map((x) => x.state))).toEqual(new Set(['materialized']));
    expect([p.upstream.state, p.downstream.state]).toEqual(['materialized', 'materialized']);

    const parts = dw(['partitions', '--json']);
    expect(parts.code, parts.stderr).toBe(0);
    const grid = JSON.parse(parts.stdout);
    expect(grid.problems).toEqual([]);
    expect(grid.assets.map((a: { key: string }) => a.key)).toEqual([
      'domain/sales/orders',
      'domain/customer/customers',
      'domain/fulfillment/shipments',
    ]);
    for (const a of grid.assets) expect(a.partitions).toEqual(Object.fromEntries(months.map((m) => [m, 'materialized'])));
    const human = dw(['partitions']).stdout;
    expect(human).toContain(`domain/sales/orders: ${months.length} materialized`);
    expect(human).toMatch(/2017 {2}(✔ ){11}✔/);
  });

  it('when the same backfill runs again, then it starts no child run: every partition and phase is current', async () => {
    const r = backfill('--wait', '--json');
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as BackfillProgress;
    expect(new Set(p.partitions.map((x) => x.state))).toEqual(new Set(['current']));
    expect([p.upstream.state, p.downstream.state]).toEqual(['current', 'current']);
    const history = await env.client.workflow
      .getHandle(backfillWorkflowId(backfillId('*', undefined, undefined), env.taskQueue))
      .fetchHistory();
    expect(history.events?.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toHaveLength(0);

    const plan = JSON.parse(backfill('--plan', '--json').stdout);
    expect(plan.partitions.filter((x: { toRun: unknown[] }) => x.toRun.length)).toEqual([]);
  });

  it('when one month holds bad data, then the plan sees the changed file, and the backfill exits 1 naming that partition and its root cause while every other partition stays materialized', async () => {
    expect(corruptPaymentsOfMonth(source, BAD_MONTH)).toBeGreaterThan(50);
    const plan = JSON.parse(backfill('--plan', '--json').stdout);
    expect(plan.upstream.toRun.map((s: { node: string; reason: string }) => `${s.node}: ${s.reason}`)).toContain(
      'raw/order_payments: source file changed',
    );
    expect(plan.upstream.predictedMs).toBeGreaterThan(0);

    const r = backfill('--wait', '--json');
    expect(r.code, r.stderr).toBe(1);
    const p = JSON.parse(r.stdout) as BackfillProgress;
    expect(p.status).toBe('failed');
    expect(byState(p, 'failed')).toEqual([BAD_MONTH]);
    expect(byState(p, 'current')).toEqual(months.filter((m) => m !== BAD_MONTH));
    const failed = p.partitions.find((x) => x.partitionKey === BAD_MONTH);
    expect(failed?.rootCause).toMatch(/^domain\/sales\/orders@2017-11 GUARD\.REJECTION_RATE: quarantine_rate_limit: 100\.00% /);
    expect(p.downstream).toMatchObject({ state: 'blocked', rootCause: expect.stringContaining(`partition ${BAD_MONTH}`) });

    const grid = JSON.parse(dw(['partitions', '--json']).stdout);
    expect(grid.problems.map((s: { node: string; status: string }) => `${s.node} ${s.status}`)).toEqual([
      `domain/sales/orders@${BAD_MONTH} failed`,
      `domain/customer/customers@${BAD_MONTH} blocked`,
      `domain/fulfillment/shipments@${BAD_MONTH} blocked`,
    ]);

    // In the Temporal UI: the failed child of that month is one filter away, and the parent names the root cause.
    const id = backfillId('*', undefined, undefined);
    const failedRuns = [];
    for await (const w of env.client.workflow.list({
      query: `DwBackfillId = '${id}' AND ExecutionStatus = 'Failed' AND TaskQueue = '${env.taskQueue}'`,
    }))
      failedRuns.push(w);
    expect(failedRuns.map((w) => [w.workflowId, w.typedSearchAttributes.get(SA_PARTITION_KEY)])).toEqual(
      expect.arrayContaining([[`${backfillWorkflowId(id, env.taskQueue)}/${BAD_MONTH}`, BAD_MONTH]]),
    );
    const parent = await env.client.workflow.getHandle(backfillWorkflowId(id, env.taskQueue)).describe();
    expect(parent.typedSearchAttributes.get(SA_ROOT_CAUSE)).toBe(`${BAD_MONTH}: domain/sales/orders@${BAD_MONTH} GUARD.REJECTION_RATE`);

    // The failed attempt was rolled back: the month keeps its last published rows and no quarantine.
    const kept = (
      await env.pool.query(
        `SELECT (SELECT count(*) FROM sales.orders WHERE partition_key = $1)::int AS orders, (SELECT count(*) FROM quarantine.rows WHERE partition_key = $1)::int AS quarantined`,
        [BAD_MONTH],
      )
    ).rows[0];
    expect(kept.quarantined).toBe(0);
    expect(kept.orders).toBeGreaterThan(50);

    const status = dw(['backfill', 'status', backfillId('*', undefined, undefined)]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/✘ 2017-11 +failed .*quarantine_rate_limit/);
  });

  it('when the data is fixed, then the same backfill re-runs only that partition and exits 0', () => {
    fs.copyFileSync(path.join(SAMPLE_DIR, 'olist_order_payments_dataset.csv'), path.join(source, 'olist_order_payments_dataset.csv'));
    const r = backfill('--wait', '--json');
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as BackfillProgress;
    expect(byState(p, 'materialized')).toEqual([BAD_MONTH]);
    expect(byState(p, 'current')).toHaveLength(months.length - 1);
    // The fixed file is the one published before: the runs confirm the checkpoints and rewrite nothing.
    expect(p.partitions.find((x) => x.partitionKey === BAD_MONTH)).toMatchObject({ materialized: 0, skipped: 3 });
    expect(p.downstream).toMatchObject({ state: 'materialized', materialized: 0 });
    expect(JSON.parse(dw(['partitions', '--json']).stdout).problems).toEqual([]);

    const list = JSON.parse(dw(['backfill', 'status', '--json']).stdout);
    expect(list[0]).toMatchObject({ backfillId: backfillId('*', undefined, undefined), status: 'COMPLETED', selection: '*' });
  });

  it('when a running backfill is cancelled, then status says so, and the same command later resumes it to the end', async () => {
    const started = backfill('--force', '--max-parallel', '1', '--json');
    expect(started.code, started.stderr).toBe(0);
    const { backfillId: id } = JSON.parse(started.stdout);
    const handle = env.client.workflow.getHandle(backfillWorkflowId(id, env.taskQueue));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(await handle.query(backfillProgressQuery)).partitions.some((p) => p.state === 'materialized'))
      await new Promise((r) => setTimeout(r, 100));
    const cancel = dw(['backfill', 'cancel', id]);
    expect(cancel.code, cancel.stderr).toBe(0);
    await handle.result().catch(() => undefined);
    const status = JSON.parse(dw(['backfill', 'status', id, '--json']).stdout) as BackfillProgress;
    expect(status.status).toBe('cancelled');
    expect(byState(status, 'materialized').length).toBeGreaterThan(0);
    expect(dw(['backfill', 'cancel', id]).stderr).toContain('is not running');

    const resumed = backfill('--wait', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).status).toBe('success');
  });

  it('when a range or selection is wrong, then it exits 2 with the reason', () => {
    expect(dw(['backfill', '--from', '2018-02', '--to', '2017-01']).stderr).toContain('--from 2018-02 is after --to 2017-01');
    const r = dw(['backfill', '--select', 'raw/*']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the selection has no partitioned asset');
    expect(dw(['backfill', '--from', '2017-13']).code).toBe(2);
    expect(dw(['backfill', 'status', 'bf-nothere']).code).toBe(2);
  });
});
