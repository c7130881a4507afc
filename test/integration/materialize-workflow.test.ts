// The materialize workflow on the real Temporal dev server with real activities: checkpoints, change detection, blocking.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformGraph, select } from '../../assets';
import { startMaterialize } from '../../cli/temporal-client';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';

let env: TestEnv;
let source: string;

beforeAll(async () => {
  env = await createTestEnv('workflow');
  await env.startWorker();
  source = copySource();
});
afterAll(async () => {
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

/** The raw and staging assets (the domain layer has its own tests). */
const SOURCES = 'raw/*, staging/*';

const states = (s: { assets: { key: string; state: string }[] }) => Object.fromEntries(s.assets.map((a) => [a.key, a.state]));

describe('materialize workflow', () => {
  it('when run on the sample, then every raw and staging asset is materialized with its rows accounted', async () => {
    const s = await env.materialize({ selection: SOURCES, sourceDir: source });
    expect(s.status).toBe('success');
    expect(s.assets).toHaveLength(18);
    expect(new Set(s.assets.map((a) => a.state))).toEqual(new Set(['materialized']));
    const geo = s.assets.find((a) => a.key === 'staging/geolocation');
    expect(geo?.rowsRead).toBe(10_000);
    expect((geo?.rowsWritten ?? 0) + (geo?.rowsDeduplicated ?? 0) + (geo?.rowsQuarantined ?? 0)).toBe(10_000);
    expect(geo?.rowsDeduplicated).toBeGreaterThan(0);
    const { rows } = await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.checkpoints`);
    expect(rows[0].n).toBe(18);
  });

  it('when run again with nothing changed, then every asset is a checkpoint hit and nothing is written', async () => {
    const before = await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.materializations`);
    const s = await env.materialize({ selection: SOURCES, sourceDir: source });
    expect(s.status).toBe('success');
    expect(new Set(s.assets.map((a) => a.state))).toEqual(new Set(['skipped']));
    const after = await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.materializations`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("when one source file changes, then only that file's raw and staging assets are re-materialized", async () => {
    const file = path.join(source, 'olist_sellers_dataset.csv');
    fs.appendFileSync(file, '0000000000000000000000000000beef,01046,sao paulo,SP\n');
    const s = await env.materialize({ selection: SOURCES, sourceDir: source });
    const changed = s.assets.filter((a) => a.state === 'materialized').map((a) => a.key);
    expect(changed).toEqual(['raw/sellers', 'staging/sellers']);
    expect(s.assets.filter((a) => a.state === 'skipped')).toHaveLength(16);
    const { rows } = await env.pool.query(`SELECT count(*)::int AS n FROM staging.sellers`);
    expect(rows[0].n).toBe(513);
  });

  it('when a file breaks its contract, then its raw asset fails with the cause, its staging asset is blocked by it, and the rest succeeds', async () => {
    const file = path.join(source, 'olist_order_payments_dataset.csv');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('payment_installments', 'installments'));
    try {
      const s = await env.materialize({ selection: SOURCES, sourceDir: source });
      expect(s.status).toBe('failed');
      expect(s.rootCauses).toEqual(['raw/order_payments']);
      const raw = s.assets.find((a) => a.key === 'raw/order_payments');
      expect(raw?.error?.code).toBe('EXTRACT.HEADER_MISMATCH');
      expect(raw?.error?.message).toContain('missing payment_installments');
      expect(raw?.error?.message).toContain('unexpected installments');
      const staged = s.assets.find((a) => a.key === 'staging/order_payments');
      expect(staged).toMatchObject({ state: 'blocked', blockedBy: 'raw/order_payments' });
      expect(states(s)['staging/orders']).toBe('skipped');
      const { rows } = await env.pool.query(`SELECT count(*)::int AS n FROM raw.order_payments`);
      expect(rows[0].n).toBe(1036); // the previous load is untouched
      const ledger = await env.pool.query(
        `SELECT status, blocked_by FROM dw_meta.materializations WHERE asset_key = 'staging/order_payments' ORDER BY id DESC LIMIT 1`,
      );
      expect(ledger.rows[0]).toEqual({ status: 'blocked', blocked_by: 'raw/order_payments' });
    } finally {
      fs.writeFileSync(file, original);
    }
    const fixed = await env.materialize({ selection: SOURCES, sourceDir: source });
    expect(fixed.status).toBe('success');
    expect(states(fixed)['raw/order_payments']).toBe('skipped'); // the fixed file is the one already loaded
  });

  it('when a selection with upstream is run, then the planner includes exactly the upstream assets', async () => {
    const s = await env.materialize({ selection: '+staging/orders', sourceDir: source });
    expect(s.assets.map((a) => a.key)).toEqual(['raw/orders', 'staging/orders']);
  });

  it('when two identical runs are started at once, then they are one workflow execution', async () => {
    const keys = select(platformGraph(), 'group:staging');
    const input = { selection: 'group:staging', sourceDir: source, force: true };
    const [a, b] = await Promise.all([
      startMaterialize(env.client, input, keys, env.taskQueue),
      startMaterialize(env.client, input, keys, env.taskQueue),
    ]);
    expect(a.workflowId).toBe(b.workflowId);
    expect(a.firstExecutionRunId).toBe(b.firstExecutionRunId);
    await a.result();
    const { rows } = await env.pool.query(`SELECT count(DISTINCT run_id)::int AS runs FROM dw_meta.materializations WHERE run_id = $1`, [
      a.firstExecutionRunId,
    ]);
    expect(rows[0].runs).toBe(1);
  });
});
