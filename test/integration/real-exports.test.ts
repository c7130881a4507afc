// Real exports load (issue 11): money rules that keep revenue; rejected dimension members and shipments never take facts down.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryTable } from '../../cli/output';
import { createTestEnv, type TestEnv } from '../support/env';
import { spreadsheetRoundTrip } from '../../scripts/spreadsheet-round-trip';
import { dw } from '../support/cli';
import { NAMED_MODELS, SAMPLE_DIR, copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let source: string;
const PAYMENTS = 'olist_order_payments_dataset.csv';
const cents = (text: string) => Math.round(Number(text) * 100);
const read = (file: string) => parseRecords(path.join(source, file));

function rewrite(file: string, edit: (rows: string[][]) => string[][], dir = source): void {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const header = text.slice(0, text.indexOf('\n') + 1);
  fs.writeFileSync(path.join(dir, file), header + stringify(edit(parseRecords(path.join(dir, file)))));
}

/** GMV per purchase month in centavos, computed from the files: items + freight of orders not canceled or unavailable. */
function gmvByMonth(dir: string, rejected: ReadonlySet<string> = new Set()): Record<string, number> {
  const orders = new Map(
    parseRecords(path.join(dir, 'olist_orders_dataset.csv')).map((o) => [o[0]!, { status: o[2]!, month: o[3]!.slice(0, 7) }]),
  );
  const out: Record<string, number> = {};
  for (const r of parseRecords(path.join(dir, 'olist_order_items_dataset.csv'))) {
    const o = orders.get(r[0]!);
    if (!o || rejected.has(r[0]!) || ['canceled', 'unavailable'].includes(o.status)) continue;
    out[o.month] = (out[o.month] ?? 0) + cents(r[5]!) + cents(r[6]!);
  }
  return out;
}

async function martGmv(): Promise<Record<string, number>> {
  const rows = (
    await env.pool.query(
      `SELECT purchase_month, (gmv * 100)::bigint AS gmv FROM analytics.mart_executive_dashboard WHERE gmv_orders_count > 0`,
    )
  ).rows;
  return Object.fromEntries(rows.map((r) => [r.purchase_month, Number(r.gmv)]));
}

const MARTS = NAMED_MODELS;

/** Delivered orders with one item and one single-installment payment: each edit changes one order's verdict only. */
function simpleOrders(): string[] {
  const count = (rows: string[][], id: string) => rows.filter((r) => r[0] === id).length;
  const items = read('olist_order_items_dataset.csv');
  const payments = read(PAYMENTS);
  return read('olist_orders_dataset.csv')
    .filter(
      (o) =>
        o[2] === 'delivered' &&
        count(items, o[0]!) === 1 &&
        payments.filter((p) => p[0] === o[0]).length === 1 &&
        payments.find((p) => p[0] === o[0])![3] === '1',
    )
    .map((o) => o[0]!);
}

let underpaid: string, overpaid: string, impossible: string, negative: string;

beforeAll(async () => {
  env = await createTestEnv('real_exports');
  await env.startWorker();
  source = copySource();
  [underpaid, overpaid, impossible, negative] = simpleOrders() as [string, string, string, string];
  rewrite(PAYMENTS, (rows) =>
    rows.map((r) => {
      const v = cents(r[4]!);
      const set = (c: number) => [...r.slice(0, 4), (c / 100).toFixed(2)];
      if (r[0] === underpaid) return set(v - 500); // R$ 5 short: a voucher booked elsewhere
      if (r[0] === overpaid) return set(Math.round(v * 1.3)); // 30% over in one installment
      if (r[0] === impossible) return set(v * 20 + 50_000); // 20× over
      if (r[0] === negative) return set(-v);
      return r;
    }),
  );
}, 60_000);

afterAll(async () => {
  await env?.close();
  if (source) fs.rmSync(source, { recursive: true, force: true });
});

describe('money rules that keep revenue', () => {
  it('when payments differ from items + freight, then every mart builds, the orders are kept and flagged, and only the impossible and negative are rejected', async () => {
    const s = await env.materialize({ selection: '*', sourceDir: source });
    expect(s.rootCauses).toEqual([]);
    expect(s.status).toBe('success');
    for (const key of MARTS) expect(s.assets.find((a) => a.key === key)?.state, key).toMatch(/^(materialized|skipped)$/);

    const q = await env.pool.query(`SELECT rule_code, record->>'order_id' AS order_id FROM quarantine.rows WHERE source_file = $1`, [
      PAYMENTS,
    ]);
    expect(q.rows.sort((a, b) => a.rule_code.localeCompare(b.rule_code))).toEqual([
      { rule_code: 'SALES.NEGATIVE_PAYMENT', order_id: negative },
      { rule_code: 'SALES.PAYMENT_MISMATCH', order_id: impossible },
    ]);

    const facts = await env.pool.query(
      `SELECT order_id, payment_difference::text AS d, is_payment_outside_tolerance AS f FROM analytics.fact_orders WHERE order_id = ANY($1) ORDER BY order_id`,
      [[underpaid, overpaid, impossible, negative]],
    );
    const original = new Map(parseRecords(path.join(SAMPLE_DIR, PAYMENTS)).map((r) => [r[0], cents(r[4]!)]));
    const over = Math.round(original.get(overpaid)! * 1.3) - original.get(overpaid)!;
    expect(facts.rows).toEqual(
      [
        { order_id: underpaid, d: '-5.00', f: true },
        { order_id: overpaid, d: (over / 100).toFixed(2), f: true },
      ].sort((a, b) => a.order_id.localeCompare(b.order_id)),
    );

    // The warning counts exactly the two flagged orders (the clean sample has none outside the band).
    const checks = await env.pool
      .query(`SELECT c.message, c.metadata FROM dw_meta.check_results c JOIN dw_meta.checkpoints k ON k.materialization_id = c.materialization_id
      WHERE c.check_name = 'payment_difference' AND NOT c.passed`);
    expect(checks.rows.flatMap((r) => r.metadata.orderIds).sort()).toEqual([underpaid, overpaid].sort());
    expect(checks.rows.reduce((n, r) => n + r.metadata.flagged, 0)).toBe(2);
    expect(s.assets.filter((a) => a.warnings?.some((w) => w.startsWith('payment_difference: '))).length).toBe(checks.rows.length);
  }, 600_000);

  it('when the mart is read, then GMV and the payments of the GMV orders equal an independent computation per month', async () => {
    const rejected = new Set([impossible, negative]);
    const status = new Map(read('olist_orders_dataset.csv').map((o) => [o[0]!, { status: o[2]!, month: o[3]!.slice(0, 7) }]));
    const kept = (id: string) => !rejected.has(id) && status.has(id) && !['canceled', 'unavailable'].includes(status.get(id)!.status);
    const gmv = new Map<string, number>();
    const paid = new Map<string, number>();
    const add = (m: Map<string, number>, id: string, c: number) => m.set(status.get(id)!.month, (m.get(status.get(id)!.month) ?? 0) + c);
    for (const r of read('olist_order_items_dataset.csv')) if (kept(r[0]!)) add(gmv, r[0]!, cents(r[5]!) + cents(r[6]!));
    for (const r of read(PAYMENTS)) if (kept(r[0]!)) add(paid, r[0]!, cents(r[4]!));
    const mart = await env.pool
      .query(`SELECT purchase_month, (gmv * 100)::bigint AS gmv, (gmv_orders_payments * 100)::bigint AS paid, payment_flagged_orders_count AS flagged
      FROM analytics.mart_executive_dashboard WHERE gmv_orders_count > 0`);
    expect(Object.fromEntries(mart.rows.map((r) => [r.purchase_month, Number(r.gmv)]))).toEqual(Object.fromEntries(gmv));
    expect(Object.fromEntries(mart.rows.map((r) => [r.purchase_month, Number(r.paid)]))).toEqual(
      Object.fromEntries([...paid].filter(([m]) => gmv.has(m))),
    );
    expect(mart.rows.reduce((n, r) => n + r.flagged, 0)).toBe(2);
  });
});

describe('dimension members and shipments that do not take facts down', () => {
  it("when 5% of the customer records are broken beyond repair, then every mart builds, their orders point to the unknown member, and GMV is the clean sample's", async () => {
    const dir = copySource();
    const customers = parseRecords(path.join(dir, 'olist_customers_dataset.csv'));
    const brokenRows = customers.map((_, i) => i + 1).filter((row) => row % 20 === 1);
    const broken = new Set(brokenRows.map((row) => customers[row - 1]![0]!));
    rewrite('olist_customers_dataset.csv', (rows) => rows.map((r) => (broken.has(r[0]!) ? [...r.slice(0, 4), 'XX'] : r)), dir);
    try {
      const s = await env.materialize({ selection: '*', sourceDir: dir });
      expect(s.rootCauses).toEqual([]);
      for (const key of MARTS) expect(s.assets.find((a) => a.key === key)?.state, key).toMatch(/^(materialized|skipped)$/);
      const q = await env.pool.query(
        `SELECT source_row, rule_code FROM quarantine.rows WHERE source_file = 'olist_customers_dataset.csv' ORDER BY source_row`,
      );
      expect(q.rows).toEqual(brokenRows.map((row) => ({ source_row: row, rule_code: 'CUSTOMER.INVALID_STATE' })));
      const facts = await env.pool.query(
        `SELECT customer_id FROM analytics.fact_orders WHERE is_customer_unknown AND customer_unique_id = 'unknown'`,
      );
      // The marts hold pseudonyms (schema/pii.ts): the broken records' ids, pseudonymized.
      const pseudonyms = await env.pool.query(`SELECT pii.pseudonym(id) AS p FROM unnest($1::text[]) AS id`, [[...broken]]);
      expect(new Set(facts.rows.map((r) => r.customer_id))).toEqual(new Set(pseudonyms.rows.map((r) => r.p)));
      expect((await env.pool.query(`SELECT count(*)::int AS n FROM analytics.fact_orders`)).rows[0].n).toBe(1000);
      const unknown = await env.pool.query(`SELECT segment FROM analytics.dim_customer WHERE is_unknown_member`);
      expect(unknown.rows).toEqual([{ segment: 'UNKNOWN' }]);
      expect(
        (await env.pool.query(`SELECT count(*)::int AS n FROM analytics.mart_customer_analytics WHERE customer_unique_id = 'unknown'`))
          .rows[0].n,
      ).toBe(0);
      const warned = await env.pool.query(
        `SELECT message FROM dw_meta.check_results WHERE check_name LIKE 'assert_fact_orders_unknown_customers%' ORDER BY id DESC LIMIT 1`,
      );
      expect(warned.rows[0]?.message).toMatch(new RegExp(`\\b${broken.size}\\b`));
      expect(await martGmv()).toEqual(gmvByMonth(dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('when a delivered order was delivered before its carrier hand-off, then its shipment is quarantined, the order keeps its revenue, and every mart builds', async () => {
    const dir = copySource();
    const orders = parseRecords(path.join(dir, 'olist_orders_dataset.csv'));
    // Delivered at 00:00:01 on the hand-off day, after the purchase day: only the fulfillment rule breaks.
    const victim = orders.find(
      (o) => o[2] === 'delivered' && o[6] !== '' && o[5]!.slice(0, 10) > o[3]!.slice(0, 10) && o[5]!.slice(11) > '00:00:01',
    )!;
    const before = `${victim[5]!.slice(0, 10)} 00:00:01`;
    rewrite('olist_orders_dataset.csv', (rows) => rows.map((r) => (r[0] === victim[0] ? [...r.slice(0, 6), before, r[7]!] : r)), dir);
    try {
      const s = await env.materialize({ selection: '*', sourceDir: dir });
      expect(s.rootCauses).toEqual([]);
      for (const key of MARTS) expect(s.assets.find((a) => a.key === key)?.state, key).toMatch(/^(materialized|skipped)$/);
      const q = await env.pool.query(`SELECT rule_code FROM quarantine.rows WHERE record->>'order_id' = $1`, [victim[0]]);
      expect(q.rows).toEqual([{ rule_code: 'FULFILLMENT.DELIVERED_BEFORE_HANDOFF' }]);
      const f = await env.pool.query(
        `SELECT is_delivered, has_delivery_fact, is_delivered_on_time FROM analytics.fact_orders WHERE order_id = $1`,
        [victim[0]],
      );
      expect(f.rows).toEqual([{ is_delivered: true, has_delivery_fact: false, is_delivered_on_time: null }]);
      expect(
        (await env.pool.query(`SELECT count(*)::int AS n FROM analytics.fact_deliveries WHERE order_id = $1`, [victim[0]])).rows[0].n,
      ).toBe(0);
      expect(await martGmv()).toEqual(gmvByMonth(dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('repairs with provenance', () => {
  const figures = async () =>
    (
      await env.pool.query(`SELECT purchase_month, orders_count, gmv::text, on_time_rate::text, average_review_score::text
    FROM analytics.mart_executive_dashboard ORDER BY purchase_month`)
    ).rows;
  const repairs = async (asset: string) =>
    (
      await env.pool.query(
        `SELECT c.metadata FROM dw_meta.check_results c JOIN dw_meta.checkpoints k ON k.materialization_id = c.materialization_id
    WHERE c.check_name = 'repairs' AND c.asset_key = $1`,
        [asset],
      )
    ).rows[0]?.metadata.repairs as { rule: string; column: string; count: number; examples: { from: string; to: string }[] }[];

  it("when the sample went through a spreadsheet round trip, then it loads, each repair is counted exactly with examples, and the marts equal the clean sample's", async () => {
    const clean = copySource();
    const dir = `${clean}-round-trip`;
    try {
      expect((await env.materialize({ selection: '*', sourceDir: clean })).rootCauses).toEqual([]);
      const expected = await figures();
      spreadsheetRoundTrip(clean, dir);
      const s = await env.materialize({ selection: '*', sourceDir: dir });
      expect(s.rootCauses).toEqual([]);
      for (const key of MARTS) expect(s.assets.find((a) => a.key === key)?.state, key).toMatch(/^(materialized|skipped)$/);
      expect(
        s.assets
          .filter((a) => a.key.startsWith('staging/'))
          .map((a) => [a.key, a.rowsQuarantined ?? 0])
          .filter(([, n]) => n !== 0),
      ).toEqual([]);
      // Independently: every zip the round trip shortened, every integer it wrote as x.0.
      const shortZips = (file: string, col: number) => parseRecords(path.join(dir, file)).filter((r) => r[col]!.length < 5);
      for (const [asset, file, column] of [
        ['staging/customers', 'olist_customers_dataset.csv', 'customer_zip_code_prefix'],
        ['staging/sellers', 'olist_sellers_dataset.csv', 'seller_zip_code_prefix'],
        ['staging/geolocation', 'olist_geolocation_dataset.csv', 'geolocation_zip_code_prefix'],
      ] as const) {
        const col = fs.readFileSync(path.join(dir, file), 'utf8').split('\n')[0]!.split(',').indexOf(column);
        const short = shortZips(file, col);
        expect(short.length, file).toBeGreaterThan(0);
        const got = (await repairs(asset)).filter((r) => r.rule === 'REPAIR.ZIP_LEFT_PADDED');
        expect(
          got.map((r) => [r.column, r.count]),
          asset,
        ).toEqual([[column, short.length]]);
        expect(s.assets.find((x) => x.key === asset)?.repaired, asset).toBe(short.length);
        expect(got[0]!.examples[0]!.to).toBe(got[0]!.examples[0]!.from.padStart(5, '0'));
      }
      const products = parseRecords(path.join(dir, 'olist_products_dataset.csv'));
      const header = fs.readFileSync(path.join(dir, 'olist_products_dataset.csv'), 'utf8').split('\n')[0]!.split(',');
      const decimalInts = header.map((h, i) => [h, products.filter((r) => /\.0$/.test(r[i]!)).length] as const).filter(([, n]) => n > 0);
      const byColumn = (x: readonly (readonly [string, number])[]) => [...x].sort(([a], [b]) => a.localeCompare(b));
      expect(byColumn((await repairs('staging/products')).map((r) => [r.column, r.count] as const))).toEqual(byColumn(decimalInts));
      expect(summaryTable(s)).toMatch(/quarantined\s+repaired\s+time/);
      expect(await figures()).toEqual(expected);
    } finally {
      fs.rmSync(clean, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});

describe('text the contract limits', () => {
  it('when a city holds a newline or 1 MiB, then the newline is repaired with provenance and the 1 MiB city is quarantined as too long', async () => {
    const dir = copySource();
    try {
      rewrite(
        'olist_customers_dataset.csv',
        (rows) =>
          rows.map((r, i) =>
            i === 1 ? [...r.slice(0, 3), 'sao\npaulo', r[4]!] : i === 2 ? [...r.slice(0, 3), 'x'.repeat(1 << 20), r[4]!] : r,
          ),
        dir,
      );
      const s = await env.materialize({ selection: 'raw/customers staging/customers', sourceDir: dir });
      expect(s.rootCauses).toEqual([]);
      const q = await env.pool.query(`SELECT source_row, rule_code, reason FROM quarantine.rows WHERE asset_key = 'staging/customers'`);
      expect(q.rows).toEqual([
        {
          source_row: 3,
          rule_code: 'CONTRACT.TEXT_TOO_LONG',
          reason: `customer_city: 1048576 characters (${'x'.repeat(40)}…), more than the 100 allowed`,
        },
      ]);
      const staged = await env.pool.query(`SELECT customer_city FROM staging.customers WHERE _source_row = 2`);
      expect(staged.rows).toEqual([{ customer_city: 'sao paulo' }]);
      const rep = await env.pool
        .query(`SELECT c.metadata FROM dw_meta.check_results c JOIN dw_meta.checkpoints k ON k.materialization_id = c.materialization_id
        WHERE c.check_name = 'repairs' AND c.asset_key = 'staging/customers'`);
      expect(rep.rows[0].metadata.repairs).toEqual([
        {
          rule: 'REPAIR.CONTROL_CHARACTERS',
          column: 'customer_city',
          count: 1,
          examples: [{ record: 2, from: 'sao\npaulo', to: 'sao paulo' }],
        },
      ]);
      const cli = dw(env, ['quality', 'repairs', '--json']);
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout).filter((r: { assetKey: string }) => r.assetKey === 'staging/customers')).toEqual([
        {
          assetKey: 'staging/customers',
          rule: 'REPAIR.CONTROL_CHARACTERS',
          column: 'customer_city',
          count: 1,
          examples: [{ record: 2, from: 'sao\npaulo', to: 'sao paulo' }],
        },
      ]);
      expect(dw(env, ['quality', 'repairs']).stdout).toMatch(
        /staging\/customers\s+REPAIR\.CONTROL_CHARACTERS\s+customer_city\s+1\s+record 2: "sao\\npaulo" → "sao paulo"/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
