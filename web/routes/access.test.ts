// The role → route table, tried exhaustively: every route of the table × every role (and no token) through the real
// server, with the status each must get; every route the server has is in the table and the other way round.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../infra/db';
import { type Claims, ROLES, type Role } from '../auth/claims';
import { buildServer } from '../server';
import { ACCESS, type RouteId, decide } from './access';

type Who = Role | 'anonymous';
const WHO: Who[] = [...ROLES, 'anonymous'];

/** The expected status of each route for each caller, written out by hand (not derived from the table). */
const EXPECTED: Record<RouteId, Record<Who, number>> = {
  'GET /healthz': { executive: 200, analyst: 200, seller: 200, regional_manager: 200, engineer: 200, admin: 200, anonymous: 200 },
  'GET /login': { executive: 200, analyst: 200, seller: 200, regional_manager: 200, engineer: 200, admin: 200, anonymous: 200 },
  'POST /login': { executive: 303, analyst: 303, seller: 303, regional_manager: 303, engineer: 303, admin: 303, anonymous: 401 },
  'POST /logout': { executive: 303, analyst: 303, seller: 303, regional_manager: 303, engineer: 303, admin: 303, anonymous: 303 },
  'GET /': { executive: 200, analyst: 200, seller: 200, regional_manager: 200, engineer: 200, admin: 200, anonymous: 303 },
  'GET /api/v1/me': { executive: 200, analyst: 200, seller: 200, regional_manager: 200, engineer: 200, admin: 200, anonymous: 401 },
  'GET /api/v1/executive/monthly': {
    executive: 200,
    analyst: 200,
    seller: 403,
    regional_manager: 403,
    engineer: 403,
    admin: 200,
    anonymous: 401,
  },
  'GET /api/v1/sellers/performance': {
    executive: 403,
    analyst: 200,
    seller: 200,
    regional_manager: 200,
    engineer: 403,
    admin: 200,
    anonymous: 401,
  },
};

/** A token is the role's name; the verifier of this test knows them. */
const claimsOf = (role: Role): Claims => ({
  sub: `test-${role}`,
  role,
  exp: Math.floor(Date.now() / 1000) + 600,
  ...(role === 'seller' && { sellerId: 'abc' }),
  ...(role === 'regional_manager' && { states: ['SP'] }),
});
const verifier = async (token: string) => ((ROLES as readonly string[]).includes(token) ? claimsOf(token as Role) : undefined);
/** A pool whose every query returns no rows: the table is about who gets in, not about data. */
const pool = {
  connect: async () => ({ query: async () => ({ rows: [], rowCount: 0 }), release: () => undefined }),
} as unknown as Pool;

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildServer({ verifier, pool, rateLimitPerMinute: 10_000 });
  await app.ready();
});
afterAll(async () => app?.close());

describe('the role → route table', () => {
  it('lists exactly the routes the server has, and the expectations cover all of them', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(ACCESS).sort());
    for (const id of Object.keys(ACCESS)) {
      const [method, url] = id.split(' ') as [string, string];
      expect(app.hasRoute({ method: method as 'GET', url }), id).toBe(true);
    }
  });

  for (const id of Object.keys(ACCESS) as RouteId[])
    for (const who of WHO)
      it(`${id} as ${who} → ${EXPECTED[id][who]}`, async () => {
        const [method, url] = id.split(' ') as ['GET' | 'POST', string];
        const token = who === 'anonymous' ? undefined : who;
        const res = await app.inject({
          method,
          url,
          headers: token && !(method === 'POST' && url === '/login') ? { authorization: `Bearer ${token}` } : {},
          ...(method === 'POST' && url === '/login' && { payload: token ? { token } : {} }),
        });
        expect(res.statusCode, res.body).toBe(EXPECTED[id][who]);
        if (res.statusCode === 403)
          expect(res.json()).toEqual({ error: { code: 'AUTH.FORBIDDEN', message: 'this role may not use this route' } });
        if (res.statusCode === 401 && url.startsWith('/api/'))
          expect(res.json()).toEqual({ error: { code: 'AUTH.UNAUTHORIZED', message: 'a valid token is required' } });
      });

  it('decide(): public for anyone, 401 without a role, 403 for a role not listed', () => {
    expect([decide('public', undefined), decide(['admin'], undefined), decide(['admin'], 'seller'), decide(['admin'], 'admin')]).toEqual([
      'ok',
      401,
      403,
      'ok',
    ]);
  });

  it('a route missing from the table cannot be added to the server', async () => {
    const other = await buildServer({ verifier, pool });
    expect(() => other.get('/api/v1/unlisted', async () => ({}))).toThrow(/not in the access table/);
    await other.close();
  });
});
