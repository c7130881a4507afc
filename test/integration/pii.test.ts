// Issue 15 item 2: review comments and quarantined records are unreadable in a dump without the key, open with it,
// and still open after a key rotation; the marts hold pseudonyms; `dw quarantine list` masks unless --reveal (audited).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformGraph } from '../../assets';
import { materializeAsset } from '../../activities/materialize-asset';
import { rotateKeys } from '../../cli/keys';
import { quarantineList } from '../../cli/quarantine';
import { SECRETS_FILE, loadConfig, workerUrlFor } from '../../infra/config';
import { connectClient, createPool, type Pool } from '../../infra/db';
import { attachPiiKeys } from '../../infra/keys';
import { readSecrets, withRole } from '../../infra/secrets';
import { dw, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const SECRET_CITY = 'cidade secreta do teste pii';
const SECRET_REVIEW = 'comentario secreto de um teste que nunca aparece em claro';

let env: TestEnv;
let dir: string;
let comment: { reviewId: string; orderId: string; message: string };
const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-pii-keys-'));

/** A data-only dump of the test database (or of some tables) as the cluster's superuser: everything at rest. */
function dump(tables: string[] = []): string {
  const url = withRole(env.databaseUrl, 'dw', readSecrets(SECRETS_FILE));
  const r = spawnSync(PG_DUMP, ['--data-only', ...tables.flatMap((t) => ['-t', t]), '-d', url], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  env = await createTestEnv('pii');
  dir = copySource();
  const reviews = parseRecords(path.join(dir, 'olist_order_reviews_dataset.csv'));
  const found = reviews.find((r) => r[4]!.length > 40 && !/[\n\t\\]/.test(r[4]!))!;
  comment = { reviewId: found[0]!, orderId: found[1]!, message: found[4]! };
  // A customer broken beyond repair (a letter in the zip) and a review with a malformed score: both quarantined.
  const customers = parseRecords(path.join(dir, 'olist_customers_dataset.csv'));
  fs.appendFileSync(path.join(dir, 'olist_customers_dataset.csv'), `${'a'.repeat(32)},${'b'.repeat(32)},1234X,${SECRET_CITY},SP\n`);
  fs.appendFileSync(
    path.join(dir, 'olist_order_reviews_dataset.csv'),
    `${'c'.repeat(32)},${comment.orderId},five,,${SECRET_REVIEW},2018-01-01 00:00:00,2018-01-02 00:00:00\n`,
  );
  expect(customers.length).toBeGreaterThan(0);
  await env.startWorker();
  const s = await env.materialize({ selection: '*', sourceDir: dir });
  expect(s.status, JSON.stringify(s.assets.filter((a) => a.state === 'failed'))).toBe('success');
}, 900_000);

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(keyDir, { recursive: true, force: true });
});

describe('personal data at rest', () => {
  it('when the warehouse is dumped, then no review text and no quarantined record is readable, while other values are', () => {
    const all = dump();
    expect(all).toContain(comment.orderId); // the grep can find what is stored in clear
    expect(all).not.toContain(comment.message);
    expect(all).not.toContain(SECRET_REVIEW);
    const quarantine = dump(['quarantine.rows']);
    expect(quarantine).toContain('CONTRACT.INVALID_ZIP');
    expect(quarantine).not.toContain(SECRET_CITY);
    expect(quarantine).not.toContain('b'.repeat(32)); // the customer_unique_id: its pseudonym only
  });

  it('when opened with the key, then the comment and the quarantined records are given back as written', async () => {
    for (const [sql, want] of [
      [`SELECT pii.open(review_comment_message) AS v FROM raw.order_reviews WHERE review_id = $1`, comment.message],
      [`SELECT pii.open(review_comment_message) AS v FROM staging.order_reviews WHERE review_id = $1`, comment.message],
      [`SELECT pii.open(comment_message) AS v FROM customer.reviews WHERE review_id = $1`, comment.message],
    ] as const) {
      const { rows } = await env.pool.query(sql, [comment.reviewId]);
      expect(rows[0]?.v, sql).toBe(want);
    }
    const masked = await env.pool.query(
      `SELECT record, pii.open(sealed_record)::jsonb AS opened FROM quarantine.rows WHERE asset_key = 'staging/customers' AND record->>'customer_zip_code_prefix' IS NOT NULL AND pii.open(sealed_record)::jsonb->>'customer_city' = $1`,
      [SECRET_CITY],
    );
    expect(masked.rows).toHaveLength(1);
    expect(masked.rows[0].record.customer_city).toMatch(/^p_[0-9a-f]{20}$/);
    expect(masked.rows[0].record.customer_state).toBe('SP'); // not personal: kept
    expect(masked.rows[0].opened.customer_unique_id).toBe('b'.repeat(32));
  });

  it('when a session has no key, then nothing opens, for the owner or the worker; the reader role cannot even call the functions', async () => {
    for (const url of [env.databaseUrl, workerUrlFor(env.databaseUrl)]) {
      const bare = await connectClient(url); // a password alone, without the master key file
      try {
        const raw = await bare.query(`SELECT review_comment_message AS v FROM raw.order_reviews WHERE review_id = $1`, [comment.reviewId]);
        expect(raw.rows[0].v).toMatch(/^pii1:\d+:[A-Za-z0-9+/=]+$/);
        await expect(
          bare.query(`SELECT pii.open(review_comment_message) FROM raw.order_reviews WHERE review_id = $1`, [comment.reviewId]),
        ).rejects.toThrow(/PII keys are not loaded/);
      } finally {
        await bare.end();
      }
    }
    const reader = await connectClient(withRole(env.databaseUrl, 'dw_reader', readSecrets(SECRETS_FILE)));
    try {
      await expect(reader.query(`SELECT pii.open('x')`)).rejects.toThrow(/permission denied/);
      await expect(reader.query(`SELECT * FROM pii.data_keys`)).rejects.toThrow(/permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('when the marts are read, then customers are pseudonyms that still join, and the state is kept', async () => {
    const { rows } = await env.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE customer_unique_id ~ '^p_[0-9a-f]{20}$' AND zip_code_prefix ~ '^p_[0-9a-f]{20}$')::int AS pseudo,
              count(*) FILTER (WHERE state ~ '^[A-Z]{2}$')::int AS states
         FROM analytics.dim_customer WHERE NOT is_unknown_member`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].pseudo).toBe(rows[0].n);
    expect(rows[0].states).toBe(rows[0].n);
    const joined = await env.pool.query(
      `SELECT count(*)::int AS n FROM analytics.fact_orders f JOIN analytics.dim_customer d USING (customer_unique_id) WHERE NOT f.is_customer_unknown`,
    );
    const facts = await env.pool.query(`SELECT count(*)::int AS n FROM analytics.fact_orders WHERE NOT is_customer_unknown`);
    expect(joined.rows[0].n).toBe(facts.rows[0].n);
    const where = await env.pool.query(`SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 'stg_olist__reviews'`);
    const reviews = await env.pool.query(
      `SELECT count(*) FILTER (WHERE has_comment)::int AS n FROM "${where.rows[0].s}".stg_olist__reviews`,
    );
    expect(reviews.rows[0].n).toBeGreaterThan(0);
  });

  it('when dw quarantine list runs, then records are masked; with --reveal they are shown and the reveal is audited', () => {
    const masked = dw(env, ['quarantine', 'list', '--asset', 'staging/customers', '--json']);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout).not.toContain(SECRET_CITY);
    expect(JSON.parse(masked.stdout).masked).toBe(true);
    const shown = dw(env, ['quarantine', 'list', '--asset', 'staging/customers', '--reveal', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(SECRET_CITY);
    const reviews = dw(env, ['quarantine', 'list', '--asset', 'staging/order_reviews', '--reveal', '--json']);
    expect(reviews.stdout).toContain(SECRET_REVIEW); // the free text inside the record is opened too
    const events = dw(env, ['audit', 'list', '--json']);
    const reveals = (JSON.parse(events.stdout) as { action: string; detail: { rows: number[] } }[]).filter(
      (e) => e.action === 'quarantine reveal',
    );
    expect(reveals).toHaveLength(2);
    expect(reveals.every((e) => e.detail.rows.length > 0)).toBe(true);
  });

  it('when the auditor lists the quarantine, then it reads the masked records, and with the key file it may reveal them', async () => {
    const pool = createPool(withRole(env.databaseUrl, 'dw_auditor', readSecrets(SECRETS_FILE)), 1);
    try {
      const masked = await quarantineList(pool, { asset: 'staging/customers', limit: 10, offset: 0 });
      expect(JSON.stringify(masked.rows)).not.toContain(SECRET_CITY);
      await expect(quarantineList(pool, { asset: 'staging/customers', limit: 10, offset: 0, reveal: true })).rejects.toThrow(
        /PII keys are not loaded/,
      );
      const stop = await attachPiiKeys(pool, loadConfig().masterKeyFile);
      const shown = await quarantineList(pool, { asset: 'staging/customers', limit: 10, offset: 0, reveal: true });
      stop();
      expect(JSON.stringify(shown.rows)).toContain(SECRET_CITY);
    } finally {
      await pool.end();
    }
  });

  it('when the keys are rotated, then data sealed before and after both open, and the old master key is gone', async () => {
    await env.stopWorker();
    const file = path.join(keyDir, 'master-keys');
    fs.copyFileSync(loadConfig().masterKeyFile, file); // this database's own copy: the shared ring stays as it is
    const before = JSON.parse(fs.readFileSync(file, 'utf8')).active as string;
    const r = await rotateKeys(env.pool, file);
    expect(r.rewrapped).toBeGreaterThanOrEqual(3);
    expect(r.newDataKeys.map((k) => k.scope).sort()).toEqual(['quarantine', 'review_text']);
    const ring = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(ring.keys)).toEqual([ring.active]);
    expect(ring.active).not.toBe(before);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const pool: Pool = createPool(env.databaseUrl, 2);
    const stop = await attachPiiKeys(pool, file);
    try {
      // New data: the reviews loaded again, sealed with the new data key; the domain's copy is still the old key's.
      const m = await materializeAsset(
        { pool, graph: platformGraph() },
        { runId: 'rotated', assetKey: 'raw/order_reviews', partitionKey: '', sourceDir: dir, force: true },
      );
      expect(m.outcome, m.error?.message).toBe('materialized');
      const { rows } = await pool.query(
        `SELECT split_part(r.review_comment_message, ':', 2) AS new_key, split_part(c.comment_message, ':', 2) AS old_key,
                pii.open(r.review_comment_message) AS new_text, pii.open(c.comment_message) AS old_text
           FROM raw.order_reviews r JOIN customer.reviews c USING (review_id) WHERE r.review_id = $1`,
        [comment.reviewId],
      );
      expect(rows[0].new_key).toBe(String(r.newDataKeys.find((k) => k.scope === 'review_text')!.id));
      expect(rows[0].old_key).not.toBe(rows[0].new_key);
      expect(rows[0].new_text).toBe(comment.message);
      expect(rows[0].old_text).toBe(comment.message);
    } finally {
      stop();
      await pool.end();
    }
  });
});
