// Domain validation on the shipped sample and with injected faults: conservation, rule codes, idempotent re-runs.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('domain');
  await env.startWorker();
});
afterAll(() => env?.close());

const csv = (header: string, rows: string[][]) => `${header}\n${stringify(rows).trimEnd()}\n`;

function rewrite(dir: string, file: string, edit: (rows: string[][]) => string[][]): void {
  const full = path.join(dir, file);
  const header = fs.readFileSync(full, 'utf8').split('\n')[0] as string;
  fs.writeFileSync(full, csv(header, edit(parseRecords(full))));
}

async function tableDigest(table: string, order: string): Promise<string> {
  const r = await env.pool.query(
    `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS d, count(*)::int AS n FROM ${table} t`,
  );
  return `${r.rows[0].n}:${r.rows[0].d}`;
}

describe('domain validation of the shipped sample', () => {
  it('when everything is materialized, then every partition validates and conserves its rows', async () => {
    const source = copySource();
    const s = await env.materialize({ selection: '*', sourceDir: source });
    expect(s.rootCauses).toEqual([]);
    expect(s.status).toBe('success');
    const partitions = s.assets.filter((a) => a.key.startsWith('domain/sales/orders@'));
    expect(partitions.length).toBeGreaterThan(20);
    expect(partitions.map((p) => p.key)).toEqual([...partitions.map((p) => p.key)].sort());
    expect(partitions[0]?.key).toBe('domain/sales/orders@2016-10'); // the sample's first purchase month
    const checks = await env.pool.query(
      `SELECT asset_key, partition_key, passed, message FROM dw_meta.check_results WHERE check_name = 'row_conservation' AND asset_key LIKE 'domain/%'`,
    );
    expect(checks.rows.length).toBe(partitions.length * 3 + 1);
    expect(checks.rows.filter((c) => !c.passed)).toEqual([]);
    const totals = await env.pool
      .query(`SELECT (SELECT count(*) FROM sales.orders)::int AS orders, (SELECT count(*) FROM sales.order_items)::int AS items,
      (SELECT count(*) FROM customer.reviews)::int AS reviews, (SELECT count(*) FROM fulfillment.shipments)::int AS shipments,
      (SELECT count(*) FROM customer.profiles)::int AS profiles, (SELECT count(DISTINCT customer_unique_id) FROM staging.customers)::int AS persons,
      (SELECT count(*) FROM quarantine.rows WHERE asset_key LIKE 'domain/%')::int AS quarantined`);
    // The real sample breaks no rule: every row is validated.
    expect(totals.rows[0]).toEqual({
      orders: 1000,
      items: 1121,
      reviews: 996,
      shipments: 1000,
      profiles: totals.rows[0].persons,
      persons: totals.rows[0].persons,
      quarantined: 0,
    });
    const events = await env.pool.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM events.outbox`);
    expect(events.rows[0].n).toBe(events.rows[0].ids);
    fs.rmSync(source, { recursive: true, force: true });
  });

  it('when a partition is re-materialized twice, then its tables, quarantine and outbox are identical', async () => {
    const source = copySource();
    const digests = async () =>
      Promise.all([
        tableDigest('sales.orders', 'order_id'),
        tableDigest('sales.order_items', 'order_id, order_item_id'),
        tableDigest('customer.reviews', 'review_id, order_id'),
        tableDigest('fulfillment.shipments', 'order_id'),
        tableDigest(`(SELECT event_id, event_type, payload FROM events.outbox)`, 'event_id'),
        tableDigest(`(SELECT asset_key, partition_key, rule_code, reason, source_row FROM quarantine.rows)`, 'asset_key, source_row'),
      ]);
    const before = await digests();
    for (let i = 0; i < 2; i++) {
      const s = await env.materialize({ selection: 'domain/*', partitionKey: '2017-11', sourceDir: source, force: true });
      expect(s.status).toBe('success');
      expect(s.assets.find((a) => a.key === 'domain/sales/orders@2017-11')?.state).toBe('materialized');
      expect(await digests()).toEqual(before);
    }
    fs.rmSync(source, { recursive: true, force: true });
  });
});

describe('domain faults, one injected row each', () => {
  it('when each fault is injected, then it lands in quarantine under its own rule and everything else still loads', async () => {
    const source = copySource();
    const orders = parseRecords(path.join(source, 'olist_orders_dataset.csv'));
    const items = parseRecords(path.join(source, 'olist_order_items_dataset.csv'));
    const payments = parseRecords(path.join(source, 'olist_order_payments_dataset.csv'));
    const count = (rows: string[][], id: string) => rows.filter((r) => r[0] === id).length;
    // Delivered orders with exactly one item and one payment, so each fault breaks one rule only.
    const simple = orders
      .filter((o) => o[2] === 'delivered' && count(items, o[0] as string) === 1 && count(payments, o[0] as string) === 1)
      .map((o) => o[0] as string);
    const [unknownStatus, deliveredEarly, noItems, negativePrice, overpaid, duplicated, reviewed] = simple;
    const reviews = parseRecords(path.join(source, 'olist_order_reviews_dataset.csv'));
    const badReview = reviews.find((r) => r[1] === reviewed) ?? reviews[0];

    rewrite(source, 'olist_orders_dataset.csv', (rows) => [
      ...rows.map((r) => {
        if (r[0] === unknownStatus) return [r[0], r[1], 'lost_in_space', ...r.slice(3)] as string[];
        if (r[0] === deliveredEarly) return [...r.slice(0, 6), '2016-01-01 10:00:00', r[7]] as string[];
        return r;
      }),
      rows.find((r) => r[0] === duplicated) as string[],
    ]);
    rewrite(source, 'olist_order_items_dataset.csv', (rows) => [
      ...rows.filter((r) => r[0] !== noItems).map((r) => (r[0] === negativePrice ? ([...r.slice(0, 5), '-10.00', r[6]] as string[]) : r)),
      ['ffffffffffffffffffffffffffffffff', '1', rows[0]?.[2] as string, rows[0]?.[3] as string, '2017-05-01 10:00:00', '10.00', '1.00'],
    ]);
    rewrite(source, 'olist_order_payments_dataset.csv', (rows) =>
      rows.map((r) => (r[0] === overpaid ? [...r.slice(0, 4), (Number(r[4]) * 20 + 500).toFixed(2)] : r)),
    );
    rewrite(source, 'olist_order_reviews_dataset.csv', (rows) =>
      rows.map((r) =>
        r === badReview || (r[0] === badReview?.[0] && r[1] === badReview?.[1]) ? ([r[0], r[1], '7', ...r.slice(3)] as string[]) : r,
      ),
    );

    const s = await env.materialize({ selection: '*', sourceDir: source });
    expect(s.status).toBe('success');
    const q = await env.pool.query(
      `SELECT rule_code, source_file, record->>'order_id' AS order_id FROM quarantine.rows WHERE asset_key LIKE 'domain/%'`,
    );
    const ruleOf = (file: string, id: string | undefined) =>
      q.rows.filter((r) => r.source_file === file && r.order_id === id).map((r) => r.rule_code);
    expect(ruleOf('olist_orders_dataset.csv', unknownStatus)).toEqual(['SALES.UNKNOWN_STATUS']);
    expect(ruleOf('olist_orders_dataset.csv', deliveredEarly)).toEqual(['SALES.TIMESTAMPS_OUT_OF_ORDER']);
    expect(ruleOf('olist_orders_dataset.csv', noItems)).toEqual(['SALES.DELIVERED_WITHOUT_ITEMS']);
    expect(ruleOf('olist_order_items_dataset.csv', negativePrice)).toEqual(['SALES.NON_POSITIVE_PRICE']);
    expect(ruleOf('olist_order_payments_dataset.csv', overpaid)).toEqual(['SALES.PAYMENT_MISMATCH']);
    expect(ruleOf('olist_order_items_dataset.csv', 'ffffffffffffffffffffffffffffffff')).toEqual(['SALES.ORPHAN_ITEM']);
    expect(ruleOf('olist_orders_dataset.csv', duplicated)).toEqual(['SALES.DUPLICATE_ORDER', 'SALES.DUPLICATE_ORDER']);
    expect(ruleOf('olist_order_reviews_dataset.csv', badReview?.[1])).toContain('CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE');
    const faulted = new Set([unknownStatus, deliveredEarly, noItems, negativePrice, overpaid, duplicated]);
    const valid = await env.pool.query(`SELECT count(*)::int AS n FROM sales.orders`);
    expect(valid.rows[0].n).toBe(1000 - faulted.size);
    const checks = await env.pool
      .query(`SELECT count(*)::int AS n FROM dw_meta.check_results c JOIN dw_meta.checkpoints k ON k.materialization_id = c.materialization_id
                                          WHERE c.check_name = 'row_conservation' AND NOT c.passed`);
    expect(checks.rows[0].n).toBe(0);
    fs.rmSync(source, { recursive: true, force: true });
  });
});
