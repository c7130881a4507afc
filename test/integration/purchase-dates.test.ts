// Dates that make sense (issue 11 item 5): a purchase after the load's as-of date or before the marketplace existed is
// quarantined by the contract in staging, with file and record, and no partition is ever made for its month.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageSource } from '../../activities/staging/stage';
import { contract } from '../../schema/contracts/olist';
import { dw } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let source: string;
const ORDERS = contract('orders').file;
const MARTS = ['dbt/fact_orders', 'dbt/fact_deliveries', 'dbt/dim_customer', 'dbt/mart_executive_dashboard', 'dbt/mart_customer_analytics'];

beforeAll(async () => {
  env = await createTestEnv('purchase_dates');
  await env.startWorker();
  source = copySource();
}, 60_000);

afterAll(async () => {
  await env?.close();
  if (source) fs.rmSync(source, { recursive: true, force: true });
});

/** Sets the purchase timestamp of the given records (1-based, header excluded) by rewriting their line in place. */
function setPurchase(dir: string, changes: Record<number, string>): string[] {
  const file = path.join(dir, ORDERS);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const ids: string[] = [];
  for (const [record, at] of Object.entries(changes)) {
    const cells = lines[Number(record)]!.split(',');
    cells[3] = at;
    lines[Number(record)] = cells.join(',');
    ids.push(cells[0]!);
  }
  fs.writeFileSync(file, lines.join('\n'));
  return ids;
}

describe('purchase dates outside the marketplace and the load', () => {
  it('when one order is bought in 2031 and one in 2015, then each is quarantined under its rule with file and record, every mart builds, and no 2031 or 2015 partition exists', async () => {
    const [future, past] = setPurchase(source, { 7: '2031-07-15 10:00:00', 12: '2015-12-31 23:59:59' });
    const s = await env.materialize({ selection: '*', sourceDir: source });
    expect(s.rootCauses).toEqual([]);
    for (const key of MARTS) expect(s.assets.find((a) => a.key === key)?.state, key).toMatch(/^(materialized|skipped)$/);

    const q = await env.pool.query(`SELECT rule_code, source_file, source_row, reason, record->>'order_id' AS order_id FROM quarantine.rows
      WHERE asset_key = 'staging/orders' ORDER BY source_row`);
    const runDay = (await env.pool.query(`SELECT to_char(min(started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d FROM dw_meta.runs`)).rows[0]
      .d as string;
    expect(q.rows).toEqual([
      {
        rule_code: 'SALES.PURCHASE_DATE_IN_FUTURE',
        source_file: ORDERS,
        source_row: 7,
        order_id: future,
        reason: `order_purchase_timestamp: 2031-07-15 10:00:00 is after the load's as-of date ${runDay} (DW_AS_OF, else the run's start date)`,
      },
      {
        rule_code: 'SALES.PURCHASE_DATE_BEFORE_MARKETPLACE',
        source_file: ORDERS,
        source_row: 12,
        order_id: past,
        reason: `order_purchase_timestamp: 2015-12-31 23:59:59 is before 2016-01-01, the marketplace's first day`,
      },
    ]);
    // The as-of date defaulted to the run's start date, and the check says so.
    const meta = await env.pool
      .query(`SELECT c.metadata FROM dw_meta.check_results c JOIN dw_meta.checkpoints k ON k.materialization_id = c.materialization_id
      WHERE c.asset_key = 'staging/orders' AND c.check_name = 'row_conservation'`);
    expect(meta.rows[0].metadata).toMatchObject({ asOf: runDay, asOfFrom: 'run start' });

    // No partition anywhere for those months: not in the data's months, the ledger, the domain tables or dw partitions.
    const months = (await env.pool.query(`SELECT DISTINCT partition_key FROM staging.order_partitions ORDER BY 1`)).rows.map(
      (r) => r.partition_key,
    );
    expect(months.filter((m) => m < '2016' || m > '2019')).toEqual([]);
    const ledger = await env.pool.query(
      `SELECT DISTINCT partition_key FROM dw_meta.materializations WHERE partition_key IN ('2031-07', '2015-12')`,
    );
    expect(ledger.rows).toEqual([]);
    expect((await env.pool.query(`SELECT count(*)::int AS n FROM sales.orders WHERE order_id = ANY($1)`, [[future, past]])).rows[0].n).toBe(
      0,
    );
    const grid = dw(env, ['partitions', '--json']);
    expect(grid.code, grid.stderr).toBe(0);
    const shown = new Set<string>(
      JSON.parse(grid.stdout).assets.flatMap((a: { partitions: Record<string, string> }) => Object.keys(a.partitions)),
    );
    expect([...shown].sort()).toEqual(months);

    // Their items and payments have no order: orphans, quarantined with their own codes in the first month.
    const children = await env.pool.query(
      `SELECT DISTINCT rule_code FROM quarantine.rows WHERE record->>'order_id' = ANY($1) AND asset_key <> 'staging/orders' ORDER BY 1`,
      [[future, past]],
    );
    const items = parseRecords(path.join(source, contract('order_items').file)).filter((r) => r[0] === future || r[0] === past).length;
    expect(items).toBeGreaterThan(0);
    expect(children.rows.map((r) => r.rule_code)).toContain('SALES.ORPHAN_ITEM');
  }, 600_000);

  it('when the as-of date is given (DW_AS_OF, or the caller), then exactly the purchases after it are SALES.PURCHASE_DATE_IN_FUTURE', async () => {
    const asOf = '2018-08-20';
    const later = parseRecords(path.join(source, ORDERS)).filter((r) => r[3]!.slice(0, 10) > asOf && r[3]!.slice(0, 10) < '2031').length;
    expect(later).toBeGreaterThan(0);
    const client = await env.pool.connect();
    let counted: number;
    try {
      await client.query('BEGIN');
      await stageSource(client, contract('orders'), 'staging/orders', asOf);
      counted = (
        await client.query(
          `SELECT count(*)::int AS n FROM quarantine.rows WHERE asset_key = 'staging/orders' AND rule_code = 'SALES.PURCHASE_DATE_IN_FUTURE'`,
        )
      ).rows[0].n;
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(counted).toBe(later + 1); // + the 2031 order
  });
});
