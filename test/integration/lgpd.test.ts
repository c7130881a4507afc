// Issue 15 item 3 as a user runs it: `dw lgpd export` and `dw lgpd erase` on a person of the shipped sample. After the
// erasure no table of any schema (quarantine, events, kept mart versions and the ledger included) holds their ids,
// pseudonyms, zip-city pair or review text; a forced re-materialize, a backfill and a restore do not bring them back;
// the executive mart's totals change by exactly that person's orders, computed here from the CSV files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile } from '../../activities/extract/extract';
import { hashSource } from '../../activities/extract/source-file';
import { inTransaction } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { dw, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR, copySource, parseRecords } from '../support/fixtures';

type Csv = Record<string, string>[];
const read = (file: string): Csv => {
  const [header, ...rows] = [
    fs
      .readFileSync(path.join(SAMPLE_DIR, file), 'utf8')
      .split('\n', 1)[0]!
      .replace(/^\uFEFF/, '')
      .split(','),
    ...parseRecords(path.join(SAMPLE_DIR, file)),
  ] as string[][];
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
};

interface Person {
  customerUniqueId: string;
  customerIds: string[];
  orderIds: string[];
  zip: string;
  city: string;
  comment: string;
  /** A second review of their order with an out-of-range score: quarantined by the customer context, with their order id. */
  badReview: string;
  /** Per purchase month: what the person's orders add to the executive mart (money in centavos). */
  months: Map<string, { orders: number; items: number; freight: number }>;
}

/**
 * The first person of the sample whose orders are all delivered, with a review comment no one else wrote (and plain
 * enough to find verbatim in JSON text), and whose zip-city pair no other customer, seller or geolocation row has:
 * so that any row found holding one of them after the erasure is theirs.
 */
function pickPerson(): Person {
  const customers = read('olist_customers_dataset.csv');
  const orders = read('olist_orders_dataset.csv');
  const items = read('olist_order_items_dataset.csv');
  const reviews = read('olist_order_reviews_dataset.csv');
  const pairs = [
    ...customers.map((c) => `${c.customer_zip_code_prefix}|${c.customer_city}`),
    ...read('olist_sellers_dataset.csv').map((s) => `${s.seller_zip_code_prefix}|${s.seller_city}`),
    ...read('olist_geolocation_dataset.csv').map((g) => `${g.geolocation_zip_code_prefix}|${g.geolocation_city}`),
  ];
  const seen = (v: string, all: string[]) => all.filter((x) => x === v).length;
  const comments = reviews.map((r) => r.review_comment_message!).filter(Boolean);
  for (const c of customers) {
    const ids = customers.filter((x) => x.customer_unique_id === c.customer_unique_id).map((x) => x.customer_id!);
    const own = orders.filter((o) => ids.includes(o.customer_id!));
    if (own.length === 0 || own.some((o) => o.order_status !== 'delivered')) continue;
    if (seen(`${c.customer_zip_code_prefix}|${c.customer_city}`, pairs) !== 1) continue;
    const review = reviews.find(
      (r) =>
        own.some((o) => o.order_id === r.order_id) &&
        r.review_comment_message!.length >= 30 &&
        !/["\\\n\r]/.test(r.review_comment_message!) &&
        comments.filter((m) => m.includes(r.review_comment_message!.slice(0, 30))).length === 1,
    );
    if (!review) continue;
    const months = new Map<string, { orders: number; items: number; freight: number }>();
    for (const o of own) {
      const m = months.get(o.order_purchase_timestamp!.slice(0, 7)) ?? { orders: 0, items: 0, freight: 0 };
      m.orders += 1;
      for (const i of items.filter((x) => x.order_id === o.order_id)) {
        m.items += Math.round(Number(i.price) * 100);
        m.freight += Math.round(Number(i.freight_value) * 100);
      }
      months.set(o.order_purchase_timestamp!.slice(0, 7), m);
    }
    return {
      customerUniqueId: c.customer_unique_id!,
      customerIds: ids,
      orderIds: own.map((o) => o.order_id!),
      zip: c.customer_zip_code_prefix!,
      city: c.customer_city!,
      comment: review.review_comment_message!.slice(0, 30),
      badReview: [
        '0badc0de0badc0de0badc0de0badc0de',
        review.order_id,
        '9',
        '',
        `"${review.review_comment_message}"`,
        review.review_creation_date,
        review.review_answer_timestamp,
      ].join(','),
      months,
    };
  }
  throw new Error('the sample has no person fit for this test (delivered orders, a unique comment, a unique zip-city pair)');
}

let env: TestEnv;
let person: Person;
let source: string;
const out = path.join(os.tmpdir(), `dw-lgpd-export-${process.pid}.json`);

beforeAll(async () => {
  env = await createTestEnv('lgpd');
  person = pickPerson();
  // The sample plus one review of the person that the customer context quarantines (score 9): their quarantine row,
  // and the quality examples that show it, must go with them. The executive totals do not count reviews.
  source = copySource();
  fs.appendFileSync(path.join(source, 'olist_order_reviews_dataset.csv'), `${person.badReview}\n`);
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  fs.rmSync(out, { force: true });
  if (source) fs.rmSync(source, { recursive: true, force: true });
});

const cli = (args: string[], timeout = 600_000) => {
  const r = dw(env, args, timeout);
  expect(r.code, `dw ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};

type Figures = Map<string, { orders: number; gmvOrders: number; items: number; freight: number; gmv: number; canceled: number }>;
async function executive(): Promise<Figures> {
  const r = await env.pool.query(
    `SELECT purchase_month AS m, orders_count::int AS orders, gmv_orders_count::int AS "gmvOrders", round(gmv_items * 100)::int AS items,
            round(gmv_freight * 100)::int AS freight, round(gmv * 100)::int AS gmv, canceled_orders_count::int AS canceled
       FROM analytics.mart_executive_dashboard`,
  );
  return new Map(r.rows.map(({ m, ...f }) => [m, f]));
}

/**
 * Every table and materialized view of every schema whose JSON text holds one of `needles`, with the needle: one query
 * per relation (to_jsonb of the whole row, so text, jsonb and every other column are read).
 */
async function holders(needles: string[], pair?: [string, string]): Promise<string[]> {
  const rels = (
    await env.pool.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1`,
    )
  ).rows.map((r) => r.rel as string);
  const found: string[] = [];
  for (const rel of rels) {
    const hit = await env.pool.query(
      `SELECT n FROM unnest($1::text[]) AS n WHERE EXISTS (SELECT FROM ${rel} t WHERE strpos(to_jsonb(t)::text, n) > 0)`,
      [needles],
    );
    found.push(...hit.rows.map((r) => `${rel}: ${r.n}`));
    if (pair) {
      const both = await env.pool.query(
        `SELECT count(*)::int AS n FROM ${rel} t WHERE strpos(to_jsonb(t)::text, $1) > 0 AND strpos(to_jsonb(t)::text, $2) > 0`,
        pair,
      );
      if (both.rows[0].n > 0) found.push(`${rel}: zip-city pair`);
    }
  }
  return found;
}

describe('dw lgpd export and erase', () => {
  let needles: string[];
  let hashes: string[];
  let before: Figures;

  it('when the sample is materialized and its dbt models published twice, then the person is in every layer and a kept version', async () => {
    cli(['materialize', '--source', source, '--json']);
    cli(['materialize', '--source', source, '--select', 'kind:dbt', '--force', '--json']); // the first versions go to dw_versions
    const ids = [person.customerUniqueId, ...person.customerIds, ...person.orderIds];
    const keyed = (await env.pool.query('SELECT v, pii.keyed_hash(v) AS h, pii.pseudonym(v) AS p FROM unnest($1::text[]) v', [ids])).rows;
    hashes = keyed.map((r) => r.h);
    const sealed = (
      await env.pool.query('SELECT review_comment_message AS m FROM raw.order_reviews WHERE order_id = ANY($1)', [person.orderIds])
    ).rows
      .map((r) => r.m as string)
      .filter((m) => m?.startsWith('pii1:'));
    expect(sealed.length, 'the review comment is sealed in raw').toBeGreaterThan(0);
    needles = [...ids, ...keyed.map((r) => r.p), person.comment, ...sealed];
    const found = await holders(needles, [person.zip, person.city]);
    for (const rel of [
      'raw.customers',
      'staging.orders',
      'sales.orders',
      'customer.reviews',
      'events.outbox',
      'quarantine.rows',
      'dw_meta.expectation_results',
      'analytics.fact_orders',
    ])
      expect(
        found.some((f) => f.startsWith(`${rel}:`)),
        `${rel} holds the person before the erasure`,
      ).toBe(true);
    expect(
      found.some((f) => f.startsWith('dw_versions.')),
      'a kept version holds the person',
    ).toBe(true);
    expect(found.filter((f) => f.endsWith(': zip-city pair')).length).toBeGreaterThan(0);
    before = await executive();
    const facts = await env.pool.query('SELECT count(*)::int AS n FROM analytics.fact_orders WHERE order_id = ANY($1)', [person.orderIds]);
    expect(facts.rows[0].n, 'every order of the person is a fact before the erasure').toBe(person.orderIds.length);
  }, 1_200_000);

  it('when the person is exported, then the JSON holds their orders in every layer and their review comment decrypted', () => {
    cli(['lgpd', 'export', '--customer-unique-id', person.customerUniqueId, '--out', out]);
    expect(fs.statSync(out).mode & 0o077).toBe(0);
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(doc.sealedOpened).toBe(true);
    expect(doc.ids.orderIds.sort()).toEqual([...person.orderIds].sort());
    expect(doc.layers.domain['sales.orders'].map((o: { order_id: string }) => o.order_id).sort()).toEqual([...person.orderIds].sort());
    expect(doc.layers.raw['raw.customers'][0]).toMatchObject({ customer_zip_code_prefix: person.zip, customer_city: person.city });
    const reviews = doc.layers.raw['raw.order_reviews'] as { review_comment_message: string }[];
    expect(reviews.some((r) => r.review_comment_message.startsWith(person.comment))).toBe(true);
    expect(
      (doc.layers.domain['customer.reviews'] as { comment_message: string }[]).some((r) => r.comment_message?.startsWith(person.comment)),
    ).toBe(true);
    expect(Object.keys(doc.layers.marts)).toContain('analytics.fact_orders');
    expect(doc.events.length).toBeGreaterThan(0);
    // The quarantined review: its sealed record opened, the comment inside it too.
    const q = (doc.quarantine as { rule_code: string; sealed_record: { review_comment_message: string } }[]).find(
      (x) => x.rule_code === 'CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE',
    );
    expect(q?.sealed_record.review_comment_message.startsWith(person.comment)).toBe(true);
  });

  it('when the erasure is a dry run, then it reports the rows and changes nothing', async () => {
    const r = JSON.parse(cli(['lgpd', 'erase', '--customer-unique-id', person.customerUniqueId, '--dry-run', '--json']));
    expect(r.dryRun).toBe(true);
    expect(r.touched.find((t: { relation: string }) => t.relation === 'raw.customers')?.rows).toBe(person.customerIds.length);
    expect((await env.pool.query('SELECT count(*)::int AS n FROM pii.tombstones')).rows[0].n).toBe(0);
    expect((await env.pool.query('SELECT count(*)::int AS n FROM raw.orders WHERE order_id = ANY($1)', [person.orderIds])).rows[0].n).toBe(
      person.orderIds.length,
    );
  });

  it('when the person is erased, then no table of any schema holds their ids, pseudonyms, zip-city pair or review text', async () => {
    const r = JSON.parse(cli(['lgpd', 'erase', '--customer-unique-id', person.customerUniqueId, '--json']));
    const touched = Object.fromEntries(r.touched.map((t: { relation: string; rows: number }) => [t.relation, t.rows]));
    expect(touched).toMatchObject({
      'raw.customers': person.customerIds.length,
      'raw.orders': person.orderIds.length,
      'sales.orders': person.orderIds.length,
    });
    expect(r.marts).toContain('analytics.fact_orders');
    expect(r.marts.some((m: string) => m.startsWith('dw_versions.'))).toBe(true);
    expect(r.tombstones).toBe(1 + person.customerIds.length + person.orderIds.length);
    expect(await holders(needles, [person.zip, person.city])).toEqual([]);
    // The keyed hashes are in the tombstones and the audit log only: never an id in clear there.
    const hashHolders = (await holders(hashes)).map((h) => h.split(':')[0]);
    expect([...new Set(hashHolders)].sort()).toEqual(['audit.events', 'pii.tombstones']);
    const events = (
      await env.pool.query(`SELECT action, phase, outcome, detail FROM audit.events WHERE detail ? 'subjectHash' ORDER BY id`)
    ).rows;
    expect(events.map((e) => `${e.action} ${e.phase} ${e.outcome ?? ''}`.trim())).toEqual([
      'lgpd export start',
      'lgpd export end ok',
      'lgpd erase --dry-run start',
      'lgpd erase --dry-run end ok',
      'lgpd erase start',
      'lgpd erase end ok',
    ]);
    expect(events.every((e) => e.detail.subjectHash === hashes[0])).toBe(true);
  });

  it('when everything is re-materialized with --force, then the person stays erased and the executive totals lose exactly their orders', async () => {
    const run = JSON.parse(cli(['materialize', '--source', source, '--force', '--json']));
    expect(run.status).toBe('success');
    const after = await executive();
    for (const [month, b] of before) {
      const p = person.months.get(month) ?? { orders: 0, items: 0, freight: 0 };
      expect(after.get(month), month).toEqual({
        orders: b.orders - p.orders,
        gmvOrders: b.gmvOrders - p.orders,
        items: b.items - p.items,
        freight: b.freight - p.freight,
        gmv: b.gmv - p.items - p.freight,
        canceled: b.canceled,
      });
    }
    expect(await holders(needles, [person.zip, person.city])).toEqual([]);
  }, 900_000);

  it("when the person's month is backfilled, then they stay erased", async () => {
    const month = [...person.months.keys()][0]!;
    cli(['backfill', '--source', source, '--from', month, '--to', month, '--force', '--wait', '--json']);
    expect(await holders(needles, [person.zip, person.city])).toEqual([]);
  }, 900_000);

  it('when the files are loaded again, then the tombstones drop the rows as they enter raw and count them', async () => {
    const counts = await inTransaction(env.pool, async (client) => {
      const file = path.join(SAMPLE_DIR, contract('orders').file);
      const { counts: c } = await extractFile(client, contract('orders'), file, await hashSource(file));
      const erased = (await client.query(`SELECT pii.tombstoned_rows('orders') AS n`)).rows[0].n;
      await client.query('ROLLBACK'); // inTransaction's COMMIT then finds no transaction: nothing of this load stays
      return { ...c, erased: Number(erased) };
    });
    expect(counts.erased).toBe(person.orderIds.length);
    // The extract accounts for them: every record of the file read, the erased ones not written.
    expect(counts.rowsRead).toBe(parseRecords(path.join(SAMPLE_DIR, contract('orders').file)).length);
    expect(counts.rowsRead - counts.rowsWritten).toBe(counts.erased);
  });

  it('when a restore brings rows back past the triggers, then pii.apply_tombstones() removes them again', async () => {
    const row = { order_id: person.orderIds[0], customer_id: person.customerIds[0] };
    await inTransaction(env.pool, async (client) => {
      await client.query('ALTER TABLE raw.orders DISABLE TRIGGER dw_tombstones');
      await client.query(
        `INSERT INTO raw.orders (order_id, customer_id, _source_file, _source_sha256) VALUES ($1, $2, 'restored.csv', 'restored')`,
        [row.order_id, row.customer_id],
      );
      await client.query('ALTER TABLE raw.orders ENABLE TRIGGER dw_tombstones');
    });
    expect((await env.pool.query('SELECT count(*)::int AS n FROM raw.orders WHERE order_id = $1', [row.order_id])).rows[0].n).toBe(1);
    const applied = (await env.pool.query('SELECT relation, rows::int FROM pii.apply_tombstones()')).rows;
    expect(applied).toEqual([{ relation: 'raw.orders', rows: 1 }]);
    expect(await holders(needles)).toEqual([]);
  });
});
