// Guards and the safe prune: a truncated or broken export fails with its counts and leaves the published warehouse
// byte-identical; a month the data lost is pruned only after a clean load, with every removed row on record.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../workflows/definitions';
import { dw, stopCliWorker } from '../support/cli';
import { warehouseDigest } from '../support/digest';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let published: Record<string, string>;
const sources: string[] = [];
const LOST_MONTH = '2017-01';
const PARTITIONED_TABLES = [
  'sales.orders',
  'sales.order_items',
  'sales.order_payments',
  'customer.customers',
  'customer.reviews',
  'fulfillment.shipments',
  'quarantine.rows',
  'events.outbox',
];

function source(): string {
  const dir = copySource();
  sources.push(dir);
  return dir;
}

const file = (dir: string, name: string) => path.join(dir, `olist_${name}_dataset.csv`);

function headerOnly(dir: string, name: string): void {
  fs.writeFileSync(file(dir, name), `${fs.readFileSync(file(dir, name), 'utf8').split('\n')[0]}\n`);
}

/** Keeps the records (header aside) for which `keep` holds; the file is rewritten as CSV. */
function filterRecords(dir: string, name: string, keep: (r: string[]) => boolean): number {
  const f = file(dir, name);
  const header = fs.readFileSync(f, 'utf8').split('\n')[0] as string;
  const rows = parseRecords(f);
  const kept = rows.filter(keep);
  fs.writeFileSync(f, `${header}\n${stringify(kept).trimEnd()}\n`);
  return rows.length - kept.length;
}

/** Removes every order of `month` and the items, payments, reviews and customers that belong to them. */
function loseMonth(dir: string, month: string): number {
  const orders = parseRecords(file(dir, 'orders')).filter((r) => (r[3] as string).startsWith(month));
  const ids = new Set(orders.map((r) => r[0]));
  const customers = new Set(orders.map((r) => r[1]));
  filterRecords(dir, 'order_items', (r) => !ids.has(r[0]));
  filterRecords(dir, 'order_payments', (r) => !ids.has(r[0]));
  filterRecords(dir, 'order_reviews', (r) => !ids.has(r[1]));
  filterRecords(dir, 'customers', (r) => !customers.has(r[0]));
  return filterRecords(dir, 'orders', (r) => !ids.has(r[0]));
}

async function rowsOfMonth(month: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of PARTITIONED_TABLES)
    out[t] = (await env.pool.query(`SELECT count(*)::int AS n FROM ${t} WHERE partition_key = $1`, [month])).rows[0].n;
  return out;
}

async function prunedRows(): Promise<{ run_id: string; partition_key: string; table_name: string; n: number }[]> {
  return (
    await env.pool.query(`SELECT run_id, partition_key, table_name, rows_removed::int AS n FROM dw_meta.pruned_rows ORDER BY table_name`)
  ).rows;
}

/** 60% of the customers broken: every fifth from the first two with a bad zip, the third with a bad state. */
function breakCustomers(dir: string): void {
  const lines = fs.readFileSync(file(dir, 'customers'), 'utf8').split('\n');
  const broken = lines.map((line, i) => {
    if (i === 0 || !line) return line;
    const cells = line.split(',');
    if (i % 5 === 1 || i % 5 === 2) cells[2] = '1A345';
    else if (i % 5 === 3) cells[4] = 'S1';
    return cells.join(',');
  });
  fs.writeFileSync(file(dir, 'customers'), broken.join('\n'));
}

const failedAssets = (s: RunSummary) => s.assets.filter((a) => a.state === 'failed');
const state = (s: RunSummary, key: string) => s.assets.find((a) => a.key === key)?.state;

beforeAll(async () => {
  env = await createTestEnv('guards');
  await env.startWorker();
  const s = await env.materialize({ selection: '*', sourceDir: source() });
  expect(failedAssets(s)).toEqual([]);
  published = await warehouseDigest(env.pool);
  expect(published['analytics.dim_seller']).toMatch(/^512:/);
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  for (const d of sources) fs.rmSync(d, { recursive: true, force: true });
});

describe('shrink and emptiness guards', () => {
  it('when the sellers file has only its header, then raw/sellers fails with the shrink message, nothing downstream is rebuilt and the warehouse is unchanged', async () => {
    const dir = source();
    headerOnly(dir, 'sellers');
    const s = await env.materialize({ selection: '*', sourceDir: dir });
    expect(s.status).toBe('failed');
    expect(s.rootCauses).toEqual(['raw/sellers']);
    expect(failedAssets(s).map((a) => a.error)).toEqual([
      { code: 'GUARD.SHRINK', message: 'raw/sellers: 0 rows where the last version had 512; pass --allow-shrink if this is intended' },
    ]);
    for (const key of ['staging/sellers', 'domain/marketplace/catalog', 'dbt/dim_seller']) expect(state(s, key), key).toBe('blocked');
    const check = await env.pool.query(
      `SELECT passed, blocking FROM dw_meta.check_results WHERE asset_key = 'raw/sellers' AND check_name = 'shrink_guard' ORDER BY id DESC LIMIT 1`,
    );
    expect(check.rows[0]).toEqual({ passed: false, blocking: true });
    expect(await env.pool.query(`SELECT count(*)::int AS n FROM raw.sellers`).then((r) => r.rows[0].n)).toBe(512);
    expect(await warehouseDigest(env.pool)).toEqual(published);
  });

  it('when the orders file has only its header, then raw/orders fails with the shrink message, no month is pruned and the warehouse is unchanged', async () => {
    const dir = source();
    headerOnly(dir, 'orders');
    const s = await env.materialize({ selection: '*', sourceDir: dir });
    expect(s.status).toBe('failed');
    expect(s.rootCauses).toEqual(['raw/orders']);
    expect(failedAssets(s)[0]?.error).toEqual({
      code: 'GUARD.SHRINK',
      message: 'raw/orders: 0 rows where the last version had 1000; pass --allow-shrink if this is intended',
    });
    expect(s.prunedPartitions).toBeUndefined();
    expect(await prunedRows()).toEqual([]);
    expect(state(s, 'dbt/fact_orders')).toBe('blocked');
    expect(await warehouseDigest(env.pool)).toEqual(published);
  });
});

describe('rejection-rate gates', () => {
  it('when 60% of the customers have a broken zip or state, then staging/customers fails with the counts per rule and the warehouse is unchanged', async () => {
    const dir = source();
    breakCustomers(dir);
    const s = await env.materialize({ selection: '*', sourceDir: dir });
    expect(s.status).toBe('failed');
    expect(s.rootCauses).toEqual(['staging/customers']);
    const error = failedAssets(s)[0]?.error;
    expect(error?.code).toBe('GUARD.REJECTION_RATE');
    expect(error?.message).toContain(
      'quarantine_rate_limit: 60.00% of 1000 rows quarantined (CONTRACT.INVALID_STATE: 200, CONTRACT.INVALID_ZIP: 400), over the limit of 20%: the export looks broken; fix it and run again',
    );
    expect(state(s, 'domain/customer/customers@2017-11')).toBe('blocked');
    expect(await warehouseDigest(env.pool)).toEqual(published);
  });
});

describe('safe prune', () => {
  it('when a load lacks a month, then the grow-only raw guards fail it; allowed, but with another guard firing, nothing is pruned: the month keeps its rows and checkpoints', async () => {
    const dir = source();
    expect(loseMonth(dir, LOST_MONTH)).toBe(9);
    const before = await rowsOfMonth(LOST_MONTH);
    expect(before['sales.orders']).toBe(9);
    const cut = await env.materialize({ selection: '*', sourceDir: dir });
    expect([...(cut.rootCauses ?? [])].sort()).toEqual([
      'raw/customers',
      'raw/order_items',
      'raw/order_payments',
      'raw/order_reviews',
      'raw/orders',
    ]);
    expect(failedAssets(cut).every((a) => a.error?.code === 'GUARD.SHRINK')).toBe(true);
    breakCustomers(dir);
    const s = await env.materialize({ selection: '*', sourceDir: dir, allowShrink: true });
    expect(s.status).toBe('failed');
    expect(s.rootCauses).toEqual(['staging/customers']);
    expect(s.prunedPartitions).toBeUndefined();
    expect(await prunedRows()).toEqual([]);
    expect(await rowsOfMonth(LOST_MONTH)).toEqual(before);
    // The other months re-ran from the rewritten files (other record numbers): only the lost month must stay whole.
    const checkpoints = await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.checkpoints WHERE partition_key = $1`, [LOST_MONTH]);
    expect(checkpoints.rows[0].n).toBeGreaterThan(0);
  });

  it('when a clean load lacks a month, then dw materialize prunes it, prints it, and dw_meta.pruned_rows accounts for every removed row', async () => {
    const dir = source();
    loseMonth(dir, LOST_MONTH);
    const before = await rowsOfMonth(LOST_MONTH);
    const r = dw(env, ['materialize', '--source', dir, '--allow-shrink']); // a month lost from a full export is a shrink
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`pruned 1 month(s) the data no longer has: ${LOST_MONTH} (removed rows in dw_meta.pruned_rows)`);
    const run = (await env.pool.query(`SELECT run_id, summary FROM dw_meta.runs WHERE selection = '*' ORDER BY started_at DESC LIMIT 1`))
      .rows[0];
    expect(run.summary.prunedPartitions).toEqual([LOST_MONTH]);
    const pruned = await prunedRows();
    expect(pruned.every((p) => p.run_id === run.run_id && p.partition_key === LOST_MONTH)).toBe(true);
    expect(Object.fromEntries(pruned.map((p) => [p.table_name, p.n]))).toEqual(
      Object.fromEntries(Object.entries(before).filter(([, n]) => n > 0)),
    );
    expect(Object.values(await rowsOfMonth(LOST_MONTH)).every((n) => n === 0)).toBe(true);
    const checkpoints = await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.checkpoints WHERE partition_key = $1`, [LOST_MONTH]);
    expect(checkpoints.rows[0].n).toBe(0);
  }, 400_000); // a full dw run with dbt, its worker started by dw
});

describe('warnings and intended shrinks', () => {
  it('when 1.5% of the customers are broken, then the run succeeds, staging/customers carries a failed non-blocking check and dw materialize prints the warning', async () => {
    const dir = source();
    const lines = fs.readFileSync(file(dir, 'customers'), 'utf8').split('\n');
    for (let i = 1; i <= 15; i++) lines[i] = (lines[i] as string).replace(/,[A-Z]{2}$/, ',S1');
    fs.writeFileSync(file(dir, 'customers'), lines.join('\n'));
    const r = dw(env, ['materialize', '--source', dir, '--select', 'raw/customers,staging/customers']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const warning = 'quarantine_rate: 1.50% of 1000 rows quarantined (CONTRACT.INVALID_STATE: 15), above the warning level of 1%';
    expect(r.stdout).toContain(`warning: staging/customers: ${warning}`);
    const check = await env.pool.query(
      `SELECT passed, blocking FROM dw_meta.check_results WHERE asset_key = 'staging/customers' AND check_name = 'quarantine_rate' ORDER BY id DESC LIMIT 1`,
    );
    expect(check.rows[0]).toEqual({ passed: false, blocking: false });
  }, 400_000);

  it('when a shrink is intended, then allowShrink lets the empty sellers file through and the guard records it', async () => {
    const dir = source();
    headerOnly(dir, 'sellers');
    const s = await env.materialize({ selection: 'raw/sellers,staging/sellers', sourceDir: dir, allowShrink: true });
    expect(s.status).toBe('success');
    expect(s.assets.map((a) => [a.key, a.state, a.rowsWritten])).toEqual([
      ['raw/sellers', 'materialized', 0],
      ['staging/sellers', 'materialized', 0],
    ]);
    const check = await env.pool.query(
      `SELECT passed, message FROM dw_meta.check_results WHERE asset_key = 'staging/sellers' AND check_name = 'shrink_guard' ORDER BY id DESC LIMIT 1`,
    );
    expect(check.rows[0]).toEqual({
      passed: true,
      message: 'staging/sellers: 0 rows where the last version had 512; allowed by --allow-shrink',
    });
  });

  it('when an intended shrink empties the orders, then a dependant of its pruned months is not told they were never materialized', async () => {
    const dir = source();
    headerOnly(dir, 'orders');
    const s = await env.materialize({ selection: '+domain/customer/profiles', sourceDir: dir, allowShrink: true });
    expect(s.prunedPartitions).toHaveLength(21);
    const error = s.assets.find((a) => a.key === 'domain/customer/profiles')?.error;
    expect(error?.code).toBe('ASSET.UPSTREAM_MISSING');
    expect(error?.message).toContain(
      'domain/sales/orders, which has no current version (its months were pruned: the data no longer has them)',
    );
    expect(error?.message).not.toContain('never been materialized');
  });
});
