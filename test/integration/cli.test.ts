// The dw command as a user runs it: materialize on the shipped sample, again as checkpoint hits, status, usage errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dw as run, dwAsync as runAsync, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
const dw = (args: string[]) => run(env, args);

beforeAll(async () => {
  env = await createTestEnv('cli');
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
});

describe('dw', () => {
  it('when materialize runs on the shipped sample, then every asset is materialized and status lists their row counts', () => {
    const r = dw(['materialize', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.status).toBe('success');
    expect(new Set(summary.assets.map((a: { state: string }) => a.state))).toEqual(new Set(['materialized']));

    const s = dw(['status', '--json']);
    expect(s.code, s.stderr).toBe(0);
    const status = JSON.parse(s.stdout);
    expect(status.services.map((x: { name: string; state: string }) => `${x.name}:${x.state}`)).toContain('worker:up');
    const orders = status.assets.find((a: { assetKey: string }) => a.assetKey === 'staging/orders');
    expect(orders).toMatchObject({ status: 'success', current: true, rowsRead: 1000, rowsWritten: 1000 });
    expect(status.assets.every((a: { status: string }) => a.status === 'success')).toBe(true);
    // The size of .dw by part, with the total of the parts.
    const disk = status.disk as { part: string; bytes: number }[];
    expect(disk.map((p) => p.part)).toEqual(
      expect.arrayContaining(['postgres data', 'pg_wal', 'temporal db', 'logs', 'dbt runs', 'keys', 'total']),
    );
    expect(disk.find((p) => p.part === 'postgres data')?.bytes).toBeGreaterThan(0);
    expect(disk.find((p) => p.part === 'total')?.bytes).toBe(disk.filter((p) => p.part !== 'total').reduce((n, p) => n + p.bytes, 0));
  });

  it('when a run has happened, then the Temporal UI answers and lists it with its search attributes', async () => {
    const ui = await fetch('http://127.0.0.1:8233/');
    expect(ui.status).toBe(200);
    const runs = [];
    for await (const w of env.client.workflow.list({
      query: `WorkflowType = 'materializeWorkflow' AND DwSelection = '*' AND TaskQueue = '${env.taskQueue}'`,
    }))
      runs.push(w);
    expect(runs.length).toBeGreaterThan(0);
    // The id: task queue, selection, partition and the fingerprint of the input (source files' hashes and flags).
    expect(runs[0]?.workflowId).toMatch(new RegExp(`^${env.taskQueue}/materialize:\\*:all:[0-9a-f]{12}$`));
  });

  it('when materialize runs again, then every asset is a checkpoint hit', () => {
    const r = dw(['materialize', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(JSON.parse(r.stdout).assets.map((a: { state: string }) => a.state))).toEqual(new Set(['skipped']));
  });

  it('when two identical materialize commands start at once, then the work runs once', async () => {
    const before = (await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.materializations WHERE asset_key = 'staging/orders'`))
      .rows[0].n;
    const args = ['materialize', '--select', 'raw/* staging/*', '--force', '--json'];
    const [a, b] = await Promise.all([runAsync(env, args), runAsync(env, args)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    const after = (await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.materializations WHERE asset_key = 'staging/orders'`))
      .rows[0].n;
    expect(after - before).toBe(1);
  });

  it('when the selection matches nothing, then it exits 2 with a suggestion', () => {
    const r = dw(['materialize', '--select', 'orders']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("selection 'orders' matches no asset: did you mean raw/orders, staging/orders, domain/sales/orders");
  });

  it('when an option is unknown or malformed, then it exits 2', () => {
    expect(dw(['materialize', '--frobnicate']).code).toBe(2);
    expect(dw(['materialize', '--partition', '2017-13']).code).toBe(2);
  });

  it('when assets and quarantine list are asked for, then they answer from the ledger', () => {
    const a = dw(['assets', '--json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).find((x: { key: string }) => x.key === 'staging/orders').deps).toEqual(['raw/orders']);
    const q = dw(['quarantine', 'list', '--json']);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual({ total: 0, offset: 0, limit: 50, masked: true, rows: [] });
    const replay = dw(['quarantine', 'replay', '--json']);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toEqual([]);
  });
});
