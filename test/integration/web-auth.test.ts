// The web app's chain end to end on a real warehouse (the shipped sample materialized once): hostile tokens get 401,
// each role gets the executive figures or 403 as the access table says, the figures equal the mart read directly, bad
// and hostile parameters get 400 naming the parameter, errors leak nothing, headers, cookie login, body and rate limits.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SignJWT, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUTH, ROOT, readerUrlFor } from '../../infra/config';
import { type Pool, createPool } from '../../infra/db';
import { ROLES, type Role } from '../../web/auth/claims';
import { type LocalKeyPair, ensureLocalKeyPair } from '../../web/auth/local-keys';
import { type Verifier, createVerifier, issueToken } from '../../web/auth/tokens';
import { withClaims } from '../../web/reader';
import { ACCESS } from '../../web/routes/access';
import { buildServer } from '../../web/server';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';

let env: TestEnv;
let source: string;
let keyDir: string;
let pair: LocalKeyPair;
let verifier: Verifier;
let app: FastifyInstance;
let readerUrl: string;
const MONTHLY = '/api/v1/executive/monthly';

const token = (role: Role, ttl = 600, now = Date.now(), aud: { issuer: string; audience: string } = LOCAL_AUTH) =>
  issueToken(
    pair,
    {
      sub: `web-test-${role}`,
      role,
      ...(role === 'seller' && { sellerId: '3442f8959a84dea7ee197c632cb2df15' }),
      ...(role === 'regional_manager' && { states: ['SP', 'RJ'] }),
    },
    ttl,
    aud,
    now,
  );
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** Nothing an error may show: SQL, a stack frame, a file path, the library that refused, a database URL. */
const LEAKS =
  /select |from |where |insert |\bat .+:\d+|\/work\/|node_modules|\.ts\b|\.js\b|jose|jws|jwt|signature|postgres:\/\/|dw_reader|password|analytics\./i;

beforeAll(async () => {
  env = await createTestEnv('web_auth');
  await env.startWorker();
  source = copySource();
  const s = await env.materialize({ selection: '*', sourceDir: source });
  expect(s.rootCauses).toEqual([]);
  keyDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dw-web-auth-')), 'keys');
  pair = ensureLocalKeyPair(keyDir);
  verifier = createVerifier({ key: pair.publicKey, algorithms: ['EdDSA'], ...LOCAL_AUTH });
  readerUrl = readerUrlFor(env.databaseUrl)!;
  expect(new URL(readerUrl).username).toBe('dw_reader');
  app = await buildServer({ verifier, readerUrl, rateLimitPerMinute: 100_000 });
  await app.ready();
}, 600_000);

afterAll(async () => {
  await app?.close();
  await env?.close();
  for (const dir of [source, keyDir && path.dirname(keyDir)]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function expectNoLeak(res: LightMyRequestResponse): void {
  expect(res.body).not.toMatch(LEAKS);
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
}

describe('hostile tokens', () => {
  const other = generateKeyPairSync('ed25519').privateKey;
  const cases: Record<string, () => Promise<string>> = {
    expired: () => token('admin', 60, Date.now() - 3600_000),
    'not yet valid': () => token('admin', 7200, Date.now() + 3600_000),
    'wrong issuer': () => token('admin', 600, Date.now(), { ...LOCAL_AUTH, issuer: 'https://evil.example' }),
    'wrong audience': () => token('admin', 600, Date.now(), { ...LOCAL_AUTH, audience: 'another-app' }),
    'alg none': async () => `${b64({ alg: 'none', typ: 'JWT' })}.${(await token('admin')).split('.')[1]}.`,
    'HS256 signed with the public key (key confusion)': async () =>
      new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: pair.kid })
        .setIssuer(LOCAL_AUTH.issuer)
        .setAudience(LOCAL_AUTH.audience)
        .setSubject('mallory')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(JSON.stringify(await exportJWK(pair.publicKey)))),
    'another key pair': async () =>
      new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'EdDSA', kid: pair.kid })
        .setIssuer(LOCAL_AUTH.issuer)
        .setAudience(LOCAL_AUTH.audience)
        .setSubject('mallory')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(other),
    'role raised in the payload (bad signature)': async () => {
      const [h, p, s] = (await token('seller')).split('.');
      const payload = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' };
      delete payload.seller_id;
      return `${h}.${b64(payload)}.${s}`;
    },
    malformed: async () => 'definitely.not.a-token',
    'not even three parts': async () => 'garbage',
    oversized: async () => `${(await token('admin')).split('.')[0]}.${'A'.repeat(12_000)}.sig`,
  };

  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: 401 with nothing that helps, by header and by cookie`, async () => {
      const t = await make();
      for (const headers of [bearer(t), { cookie: `dw_session=${t}` }]) {
        const res = await app.inject({ method: 'GET', url: MONTHLY, headers });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ error: { code: 'AUTH.UNAUTHORIZED', message: 'a valid token is required' } });
        expectNoLeak(res);
      }
    });
  }

  it('no token, an empty Bearer, another scheme: 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: `Basic ${b64('admin:admin')}` }]) {
      const res = await app.inject({ method: 'GET', url: MONTHLY, headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH.UNAUTHORIZED');
    }
  });
});

describe('roles on the executive figures', () => {
  it('each role gets 200 or 403 as the access table says', async () => {
    const allowed = ACCESS['GET /api/v1/executive/monthly'] as readonly Role[];
    const got: Record<string, number> = {};
    for (const role of ROLES)
      got[role] = (await app.inject({ method: 'GET', url: MONTHLY, headers: bearer(await token(role)) })).statusCode;
    expect(got).toEqual(Object.fromEntries(ROLES.map((r) => [r, allowed.includes(r) ? 200 : 403])));
    expect(got).toMatchObject({ executive: 200, analyst: 200, admin: 200, seller: 403, regional_manager: 403, engineer: 403 });
  });

  it('/api/v1/me shows the verified claims', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(await token('regional_manager')) });
    expect(res.json()).toMatchObject({ sub: 'web-test-regional_manager', role: 'regional_manager', states: ['RJ', 'SP'], sellerId: null });
  });
});

describe('the executive figures', () => {
  const direct = async (from?: string, to?: string) =>
    (
      await env.pool.query(
        `SELECT purchase_month, gmv::text AS gmv, orders_count, average_order_value::text AS aov, on_time_rate::float8 AS on_time,
                average_review_score::float8 AS review, cancellation_rate::float8 AS cancel
           FROM analytics.mart_executive_dashboard
          WHERE purchase_month >= coalesce($1, '0000-00') AND purchase_month <= coalesce($2, '9999-99') ORDER BY purchase_month`,
        [from ?? null, to ?? null],
      )
    ).rows.map((r) => ({
      month: r.purchase_month,
      gmv: r.gmv,
      orders: Number(r.orders_count),
      averageOrderValue: r.aov,
      onTimeRate: r.on_time,
      averageReviewScore: r.review,
      cancellationRate: r.cancel,
    }));

  it('equal the mart read directly, to the centavo, whole and in a range', async () => {
    for (const [from, to] of [
      [undefined, undefined],
      ['2017-03', '2017-08'],
      ['2018-01', undefined],
    ] as const) {
      const qs = new URLSearchParams();
      if (from) qs.set('from', from);
      if (to) qs.set('to', to);
      const res = await app.inject({ method: 'GET', url: `${MONTHLY}?${qs}`, headers: bearer(await token('executive')) });
      expect(res.statusCode, res.body).toBe(200);
      const months = res.json().months.map((m: Record<string, unknown>) => ({
        month: m.month,
        gmv: m.gmv,
        orders: m.orders,
        averageOrderValue: m.averageOrderValue,
        onTimeRate: m.onTimeRate,
        averageReviewScore: m.averageReviewScore,
        cancellationRate: m.cancellationRate,
      }));
      const expected = await direct(from, to);
      expect(expected.length).toBeGreaterThan(0);
      expect(months).toEqual(expected);
    }
  });

  it('run as dw_reader in a read-only transaction carrying the claims as dw.claims, gone after it', async () => {
    const pool: Pool = createPool(readerUrl, 1);
    try {
      const claims = { sub: 's', role: 'seller' as const, sellerId: 'abc', exp: 1 };
      const r = await withClaims(
        pool,
        claims,
        async (c) =>
          (
            await c.query(
              `SELECT current_user AS u, current_setting('dw.claims') AS claims, current_setting('transaction_read_only') AS ro`,
            )
          ).rows[0],
      );
      expect(r).toEqual({ u: 'dw_reader', claims: JSON.stringify({ sub: 's', role: 'seller', seller_id: 'abc', states: null }), ro: 'on' });
      expect((await pool.query(`SELECT coalesce(current_setting('dw.claims', true), '') AS c`)).rows[0].c).toBe('');
    } finally {
      await pool.end();
    }
  });
});

describe('bad input', () => {
  const get = async (query: string) => app.inject({ method: 'GET', url: `${MONTHLY}?${query}`, headers: bearer(await token('analyst')) });

  it('a bad parameter is a 400 naming it', async () => {
    for (const [query, name] of [
      ['from=2017-13', 'from'],
      ['from=17-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2018-01&to=2017-01', 'to'],
      ['from=2017-01&from=2017-02', 'from'],
      ['month=2017-01', 'month'],
    ]) {
      const res = await get(query!);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('REQUEST.INVALID_PARAMETER');
      expect(res.json().error.message, query).toMatch(new RegExp(`^${name}: `));
      expectNoLeak(res);
    }
  });

  it('SQL injection and traversal attempts in a parameter are 400, and the mart is untouched', async () => {
    const before = (await env.pool.query('SELECT count(*)::int AS n FROM analytics.mart_executive_dashboard')).rows[0].n;
    for (const value of [
      "2017-01' OR '1'='1",
      "2017-01'; DROP TABLE analytics.mart_executive_dashboard; --",
      '2017-01) UNION SELECT usename, passwd FROM pg_shadow --',
      '../../../../etc/passwd',
      '2017-01%00',
      '2017-01\n',
    ]) {
      const res = await get(`from=${encodeURIComponent(value)}`);
      expect(res.statusCode, value).toBe(400);
      expect(res.json().error.message).toMatch(/^from: /);
      expect(res.body).not.toContain('DROP');
      expectNoLeak(res);
    }
    expect((await env.pool.query('SELECT count(*)::int AS n FROM analytics.mart_executive_dashboard')).rows[0].n).toBe(before);
  });

  it('a database failure is a plain 500 and a missing mart a 503, neither naming SQL, stack, path or URL', async () => {
    const bad = new URL(readerUrl);
    bad.password = 'wrong-password';
    const broken = await buildServer({ verifier, readerUrl: bad.toString() });
    const unpublished = await buildServer({ verifier, readerUrl, dbtSchema: 'no_such_schema' });
    try {
      const r500 = await broken.inject({ method: 'GET', url: MONTHLY, headers: bearer(await token('admin')) });
      expect(r500.statusCode).toBe(500);
      expect(r500.json()).toEqual({ error: { code: 'INTERNAL', message: 'the request could not be served' } });
      const r503 = await unpublished.inject({ method: 'GET', url: MONTHLY, headers: bearer(await token('admin')) });
      expect(r503.statusCode).toBe(503);
      expect(r503.json().error.code).toBe('DATA.NOT_PUBLISHED');
      for (const res of [r500, r503]) expectNoLeak(res);
    } finally {
      await broken.close();
      await unpublished.close();
    }
  });

  it('an unknown route and a malformed body do not echo the request', async () => {
    const r404 = await app.inject({ method: 'GET', url: '/api/v1/../../etc/passwd?x=<script>' });
    expect(r404.statusCode).toBe(404);
    expect(r404.body).not.toMatch(/passwd|script/);
    const bad = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"token": SELECT',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(/SELECT|Unexpected/);
    for (const res of [r404, bad]) expectNoLeak(res);
  });

  it('a body over the limit is 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${'A'.repeat(40_000)}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('REQUEST.TOO_LARGE');
  });

  it('past the rate limit, 429', async () => {
    const limited = await buildServer({ verifier, readerUrl, rateLimitPerMinute: 5 });
    try {
      const codes = [];
      for (let i = 0; i < 7; i++) codes.push((await limited.inject({ method: 'GET', url: '/healthz' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const res = await limited.inject({ method: 'GET', url: '/healthz' });
      expect(res.json().error.code).toBe('REQUEST.RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('headers, login and logout', () => {
  it('security headers on pages, API answers and errors', async () => {
    for (const res of [
      await app.inject({ method: 'GET', url: '/login' }),
      await app.inject({ method: 'GET', url: MONTHLY, headers: bearer(await token('executive')) }),
      await app.inject({ method: 'GET', url: MONTHLY }),
      await app.inject({ method: 'GET', url: '/nowhere' }),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('the login page has a form and no script; a valid token sets an HttpOnly SameSite=Strict cookie and the cookie signs in', async () => {
    const page = await app.inject({ method: 'GET', url: '/login' });
    expect(page.body).toContain('<form method="post" action="/login">');
    expect(page.body).not.toMatch(/<script|\son\w+=/i);
    const t = await token('analyst');
    const login = await app.inject({ method: 'POST', url: '/login', payload: { token: t } });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^dw_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', cookies: { dw_session: t } });
    expect(me.json().role).toBe('analyst');
    const home = await app.inject({ method: 'GET', url: '/', cookies: { dw_session: t } });
    expect(home.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/' })).headers.location).toBe('/login');
    const logout = await app.inject({ method: 'POST', url: '/logout', cookies: { dw_session: t } });
    expect(logout.statusCode).toBe(303);
    expect(String(logout.headers['set-cookie'])).toMatch(/dw_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('a bad token at login is 401 without a cookie; a login posted from another origin is 403; over TLS the cookie is Secure', async () => {
    const bad = await app.inject({ method: 'POST', url: '/login', payload: { token: 'forged.token.here' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const csrf = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { origin: 'https://evil.example', host: 'localhost:8080' },
      payload: { token: await token('admin') },
    });
    expect(csrf.statusCode).toBe(403);
    const tls = await buildServer({ verifier, readerUrl, tls: true });
    try {
      const res = await tls.inject({ method: 'POST', url: '/login', payload: { token: await token('admin') } });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    } finally {
      await tls.close();
    }
  });
});

describe('dw token issue', () => {
  const dwToken = (args: string[]) =>
    spawnSync(path.join(ROOT, 'bin', 'dw'), ['token', 'issue', ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: env.databaseUrl, DW_AUTH_KEY_DIR: keyDir, DW_LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });

  it('prints a token the server accepts with its claims; audited start and end, never the token', async () => {
    const r = dwToken(['--sub', 'cli-user', '--role', 'seller', '--seller', 'abc123', '--ttl', '10m']);
    expect(r.status, r.stderr).toBe(0);
    const t = r.stdout.trim();
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t) });
    expect(me.json()).toMatchObject({ sub: 'cli-user', role: 'seller', sellerId: 'abc123' });
    expect(Date.parse(me.json().expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
    expect((await app.inject({ method: 'GET', url: MONTHLY, headers: bearer(t) })).statusCode).toBe(403);
    const refused = dwToken(['--sub', 'cli-user', '--role', 'seller']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--seller/);
    const events = (
      await env.pool.query(`SELECT phase, outcome, detail::text AS detail FROM audit.events WHERE action = 'token issue' ORDER BY id`)
    ).rows;
    expect(events.map((e) => [e.phase, e.outcome])).toEqual([
      ['start', null],
      ['end', 'ok'],
      ['start', null],
      ['end', 'refused'],
    ]);
    for (const e of events) expect(e.detail).not.toContain(t.split('.')[2]);
  });
});
