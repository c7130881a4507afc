// Row-level security on the published relations with a seller or state grain (schema/rls.ts), on the materialized
// sample: as dw_reader a seller's claims see exactly that seller's rows (against an independent count as the owner), a
// regional manager's only their states', no claims nothing; bypass attempts from SQL are refused; the API route that
// does not filter by seller still returns only the caller's rows; the policy survives a re-publish, a rollback and an
// upgrade (a published relation without it gets it back at the next dbt run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, publishedRelations } from '../../activities/dbt/manifest';
import { rollbackModel } from '../../activities/dbt/rollback';
import { LOCAL_AUTH, readerUrlFor } from '../../infra/config';
import { type Pool, createPool } from '../../infra/db';
import { POLICY_NAME, ROW_SCOPES } from '../../schema/rls';
import type { Role } from '../../web/auth/claims';
import { type LocalKeyPair, ensureLocalKeyPair } from '../../web/auth/local-keys';
import { createVerifier, issueToken } from '../../web/auth/tokens';
import { SELLER_PERFORMANCE_SQL } from '../../web/routes/api';
import { buildServer } from '../../web/server';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';

const MART = 'analytics.mart_seller_performance';
let env: TestEnv;
let source: string;
let keyDir: string;
let pair: LocalKeyPair;
let reader: Pool;
let app: FastifyInstance;
let sellerA: string;
let sellerB: string;

/** Runs `sql` as dw_reader in one transaction with `claims` as dw.claims (transaction-local), or none at all. */
async function asReader(claims: object | null, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = await reader.connect();
  try {
    await c.query('BEGIN READ ONLY');
    if (claims) await c.query(`SELECT set_config('dw.claims', $1, true)`, [JSON.stringify(claims)]);
    const rows = (await c.query(sql, params)).rows;
    await c.query('COMMIT');
    return rows;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
const seller = (id: string) => ({ sub: 't', role: 'seller', seller_id: id, states: null });
const manager = (states: string[]) => ({ sub: 't', role: 'regional_manager', seller_id: null, states });
const role = (r: string) => ({ sub: 't', role: r, seller_id: null, states: null });
const owner = async (sql: string, params: unknown[] = []) => Number((await env.pool.query(sql, params)).rows[0].n);
const readerCount = async (claims: object | null, rel = MART, where = 'true') =>
  Number((await asReader(claims, `SELECT count(*) AS n FROM ${rel} WHERE ${where}`))[0]!.n);
const policies = async () =>
  (
    await env.pool.query(
      `SELECT tablename, policyname, roles::text[] AS roles, cmd FROM pg_policies WHERE schemaname = 'analytics' ORDER BY 1`,
    )
  ).rows;
const token = (r: Role, scope: { sellerId?: string; states?: string[] } = {}) =>
  issueToken(pair, { sub: `rls-${r}`, role: r, ...scope }, 600, LOCAL_AUTH, Date.now());

beforeAll(async () => {
  env = await createTestEnv('rls');
  await env.startWorker();
  source = copySource();
  const s = await env.materialize({ selection: '*', sourceDir: source });
  expect(s.rootCauses).toEqual([]);
  reader = createPool(readerUrlFor(env.databaseUrl)!, 2);
  const top = (await env.pool.query(`SELECT seller_id FROM ${MART} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`)).rows;
  [sellerA, sellerB] = top.map((r) => r.seller_id as string) as [string, string];
  keyDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dw-rls-')), 'keys');
  pair = ensureLocalKeyPair(keyDir);
  const verifier = createVerifier({ key: pair.publicKey, algorithms: ['EdDSA'], ...LOCAL_AUTH });
  app = await buildServer({ verifier, readerUrl: readerUrlFor(env.databaseUrl)!, rateLimitPerMinute: 100_000 });
  await app.ready();
}, 600_000);

afterAll(async () => {
  await app?.close();
  await reader?.end();
  await env?.close();
  for (const dir of [source, keyDir && path.dirname(keyDir)]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the policies', () => {
  it('every scoped relation is published with RLS enabled and its one policy, for dw_reader, which owns nothing and does not bypass RLS', async () => {
    expect(await policies()).toEqual(
      Object.keys(ROW_SCOPES)
        .sort()
        .map((t) => ({ tablename: t, policyname: POLICY_NAME, roles: ['dw_reader'], cmd: 'SELECT' })),
    );
    const rls = (
      await env.pool.query(`SELECT relname FROM pg_class WHERE relnamespace = 'analytics'::regnamespace AND relrowsecurity ORDER BY 1`)
    ).rows.map((r) => r.relname);
    expect(rls).toEqual(Object.keys(ROW_SCOPES).sort());
    const r = (
      await env.pool.query(
        `SELECT rolbypassrls, rolsuper, (SELECT count(*)::int FROM pg_class WHERE relowner = 'dw_reader'::regrole) AS owns FROM pg_roles WHERE rolname = 'dw_reader'`,
      )
    ).rows[0];
    expect(r).toEqual({ rolbypassrls: false, rolsuper: false, owns: 0 });
    // Kept versions are out of reach anyway: no USAGE on dw_versions.
    expect((await reader.query(`SELECT has_schema_privilege('dw_versions', 'USAGE') AS u`)).rows[0].u).toBe(false);
  });

  it("a seller's claims see exactly that seller's rows, another seller's claims only theirs", async () => {
    expect(sellerA).not.toBe(sellerB);
    for (const id of [sellerA, sellerB]) {
      const expected = await owner(`SELECT count(*) AS n FROM ${MART} WHERE seller_id = $1`, [id]);
      expect(expected).toBeGreaterThan(0);
      const rows = await asReader(seller(id), `SELECT seller_id FROM ${MART}`);
      expect(rows.length).toBe(expected);
      expect(new Set(rows.map((r) => r.seller_id))).toEqual(new Set([id]));
      expect(await readerCount(seller(id), 'analytics.dim_seller')).toBe(1);
      expect(await readerCount(seller(id), 'analytics.dim_customer')).toBe(0);
      expect(await readerCount(seller(id), 'analytics.mart_customer_analytics')).toBe(0);
    }
    expect(await readerCount(seller('no-such-seller'))).toBe(0);
  });

  it("a regional manager's claims see only their states' rows", async () => {
    for (const [rel, col] of [
      [MART, 'seller_state'],
      ['analytics.dim_seller', 'state'],
      ['analytics.dim_customer', 'state'],
      ['analytics.mart_customer_analytics', 'state'],
    ] as const) {
      const sp = await owner(`SELECT count(*) AS n FROM ${rel} WHERE ${col} = 'SP'`);
      expect(sp, rel).toBeGreaterThan(0);
      expect(await readerCount(manager(['SP']), rel), rel).toBe(sp);
      expect(await readerCount(manager(['SP']), rel, `${col} <> 'SP'`), rel).toBe(0);
      const two = await owner(`SELECT count(*) AS n FROM ${rel} WHERE ${col} IN ('SP', 'RJ')`);
      expect(await readerCount(manager(['RJ', 'SP']), rel), rel).toBe(two);
    }
  });

  it('executive, analyst and admin see every row; an engineer the seller rows but no customer-level row', async () => {
    const all = await owner(`SELECT count(*) AS n FROM ${MART}`);
    const customers = await owner(`SELECT count(*) AS n FROM analytics.dim_customer`);
    for (const r of ['executive', 'analyst', 'admin']) {
      expect(await readerCount(role(r)), r).toBe(all);
      expect(await readerCount(role(r), 'analytics.dim_customer'), r).toBe(customers);
    }
    expect(await readerCount(role('engineer'))).toBe(all);
    expect(await readerCount(role('engineer'), 'analytics.dim_customer')).toBe(0);
    expect(await readerCount(role('engineer'), 'analytics.mart_customer_analytics')).toBe(0);
    // Unscoped relations are not under RLS (no seller or state column).
    expect(await readerCount(null, 'analytics.mart_executive_dashboard')).toBeGreaterThan(0);
  });
});

describe('bypass attempts as dw_reader', () => {
  it('no claims, empty claims, an unknown role or claims RESET in the transaction: no rows', async () => {
    for (const rel of Object.keys(ROW_SCOPES)) expect(await readerCount(null, `analytics.${rel}`), rel).toBe(0);
    expect(await readerCount({ sub: 't', role: 'superuser' })).toBe(0);
    expect(await readerCount({})).toBe(0);
    const c = await reader.connect();
    try {
      await c.query('BEGIN READ ONLY');
      await c.query(`SELECT set_config('dw.claims', '', true)`);
      expect(Number((await c.query(`SELECT count(*) AS n FROM ${MART}`)).rows[0].n)).toBe(0);
      await c.query(`SELECT set_config('dw.claims', $1, true)`, [JSON.stringify(seller(sellerA))]);
      expect(Number((await c.query(`SELECT count(*) AS n FROM ${MART}`)).rows[0].n)).toBeGreaterThan(0);
      await c.query('RESET dw.claims');
      expect(Number((await c.query(`SELECT count(*) AS n FROM ${MART}`)).rows[0].n)).toBe(0);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  });

  it('SET ROLE to the owner, the worker or another role is refused', async () => {
    for (const r of ['dw_owner', 'dw_worker', 'dw_auditor', 'postgres']) {
      const c = await reader.connect();
      try {
        await expect(c.query(`SET ROLE ${r}`), r).rejects.toThrow(/permission denied|does not exist/);
        expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe('dw_reader');
      } finally {
        c.release();
      }
    }
    await expect(asReader(null, 'ALTER TABLE analytics.mart_seller_performance DISABLE ROW LEVEL SECURITY')).rejects.toThrow(
      /read-only|must be owner/,
    );
  });

  it('transaction-local claims are gone after the transaction (a pooled connection never carries them to the next request)', async () => {
    const c = await reader.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('dw.claims', $1, true)`, [JSON.stringify(role('admin'))]);
      await c.query('COMMIT');
      expect(Number((await c.query(`SELECT count(*) AS n FROM ${MART}`)).rows[0].n)).toBe(0);
    } finally {
      c.release();
    }
  });

  it('claims set for the session (set_config(…, false)) are honoured: the reader password is the boundary, not RLS (docs/security.md)', async () => {
    const c = await reader.connect();
    try {
      await c.query(`SELECT set_config('dw.claims', $1, false)`, [JSON.stringify(seller(sellerA))]);
      const rows = (await c.query(`SELECT DISTINCT seller_id FROM ${MART}`)).rows;
      expect(rows).toEqual([{ seller_id: sellerA }]);
    } finally {
      await c.query('RESET dw.claims');
      c.release();
    }
  });
});

describe('GET /api/v1/sellers/performance', () => {
  const get = async (t: string, query = '') =>
    app.inject({ method: 'GET', url: `/api/v1/sellers/performance${query}`, headers: { authorization: `Bearer ${t}` } });

  it("has no seller or state filter in its SQL: RLS alone scopes a seller's token to their rows", async () => {
    const where = SELLER_PERFORMANCE_SQL('m')
      .split(/\bWHERE\b/i)[1]!
      .split(/\bORDER BY\b/i)[0]!;
    expect(where).not.toMatch(/seller|state|claims/i);
    for (const id of [sellerA, sellerB]) {
      const res = await get(await token('seller', { sellerId: id }), '?limit=1000');
      expect(res.statusCode, res.body).toBe(200);
      const rows = res.json().rows as { sellerId: string; gmv: string }[];
      expect(rows.length).toBe(await owner(`SELECT count(*) AS n FROM ${MART} WHERE seller_id = $1`, [id]));
      expect(new Set(rows.map((r) => r.sellerId))).toEqual(new Set([id]));
      const gmv = (await env.pool.query(`SELECT sum(gmv)::text AS g FROM ${MART} WHERE seller_id = $1`, [id])).rows[0].g;
      expect(rows.reduce((s, r) => s + Math.round(Number(r.gmv) * 100), 0)).toBe(Math.round(Number(gmv) * 100));
    }
  });

  it("a regional manager's token gets only their states; an analyst's every row, paged", async () => {
    const res = await get(await token('regional_manager', { states: ['SP'] }), '?limit=1000');
    const rows = res.json().rows as { state: string }[];
    expect(rows.length).toBe(Math.min(1000, await owner(`SELECT count(*) AS n FROM ${MART} WHERE seller_state = 'SP'`)));
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['SP']));
    const analyst = await token('analyst');
    const page = (await get(analyst, '?limit=5&offset=5')).json();
    expect(page.rows.length).toBe(5);
    const first = (await get(analyst, '?limit=10')).json();
    expect(page.rows).toEqual(first.rows.slice(5));
    const months = (await get(analyst, '?from=2017-03&to=2017-04&limit=1000')).json().rows as { month: string }[];
    expect(months.length).toBe(await owner(`SELECT count(*) AS n FROM ${MART} WHERE month BETWEEN '2017-03' AND '2017-04'`));
  });

  it('bad parameters are a 400 naming the parameter; an executive or engineer gets 403', async () => {
    const t = await token('admin');
    for (const [query, name] of [
      ['?from=2017-13', 'from'],
      ['?to=x', 'to'],
      ['?from=2018-01&to=2017-01', 'to'],
      ['?limit=0', 'limit'],
      ['?limit=1001', 'limit'],
      ['?limit=-1', 'limit'],
      ['?offset=1e3', 'offset'],
      ['?limit=1%3BDROP%20TABLE%20analytics.mart_seller_performance', 'limit'],
      ['?seller_id=x', 'seller_id'],
    ]) {
      const res = await get(t, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message.startsWith(`${name}:`), query).toBe(true);
    }
    expect((await get(await token('executive'))).statusCode).toBe(403);
    expect((await get(await token('engineer'))).statusCode).toBe(403);
  });
});

describe('the policy through publication', () => {
  const relationOf = async (key: string) =>
    publishedRelations(await loadManifest(env.databaseUrl)).get(key) as { schema: string; name: string };
  const oid = async () => Number((await env.pool.query(`SELECT '${MART}'::regclass::oid AS o`)).rows[0].o);
  const sellerSeesOnlyTheirs = async () => {
    const rows = await asReader(seller(sellerA), `SELECT DISTINCT seller_id FROM ${MART}`);
    expect(rows).toEqual([{ seller_id: sellerA }]);
    expect(await readerCount(null)).toBe(0);
  };

  it('a re-published mart carries the policy, and so does the version a rollback brings back', async () => {
    const before = await oid();
    const s = await env.materialize({ selection: 'dbt/mart_seller_performance', sourceDir: source, force: true });
    expect(s.status).toBe('success');
    expect(await oid()).not.toBe(before);
    expect((await policies()).map((p) => p.tablename)).toContain('mart_seller_performance');
    await sellerSeesOnlyTheirs();

    // A kept version retired without its policy (as before this existed) gets it back at the rollback.
    const kept = (
      await env.pool.query(
        `SELECT archived_as FROM dw_meta.published_versions WHERE asset_key = 'dbt/mart_seller_performance' AND archived_as IS NOT NULL AND dropped_at IS NULL ORDER BY id DESC LIMIT 1`,
      )
    ).rows[0].archived_as as string;
    await env.pool.query(`DROP POLICY ${POLICY_NAME} ON ${kept}`);
    await env.pool.query(`ALTER TABLE ${kept} DISABLE ROW LEVEL SECURITY`);
    await rollbackModel(env.pool, await relationOf('dbt/mart_seller_performance'), 'dbt/mart_seller_performance');
    expect(await oid()).toBe(before);
    expect((await policies()).map((p) => p.tablename)).toEqual(Object.keys(ROW_SCOPES).sort());
    await sellerSeesOnlyTheirs();
  });

  it('a published scoped relation found without its policy gets it at the next dbt run', async () => {
    await env.pool.query(`DROP POLICY ${POLICY_NAME} ON analytics.dim_seller`);
    await env.pool.query(`ALTER TABLE analytics.dim_seller DISABLE ROW LEVEL SECURITY`);
    const s = await env.materialize({ selection: 'dbt/dim_date', sourceDir: source, force: true });
    expect(s.status).toBe('success');
    expect((await policies()).map((p) => p.tablename)).toEqual(Object.keys(ROW_SCOPES).sort());
    expect(await readerCount(null, 'analytics.dim_seller')).toBe(0);
    expect(await readerCount(seller(sellerA), 'analytics.dim_seller')).toBe(1);
  });
});
