// Authentication and authorization of every request: the token (Bearer header, else the session cookie) verified,
// then the route's entry in the access table decides: 401 without a valid token, 403 for a role it does not list.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FORBIDDEN, UNAUTHORIZED, errorBody } from '../errors';
import { accessOf, decide, routeId } from '../routes/access';
import type { Claims } from './claims';
import type { Verifier } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified claims of the request's token; undefined on public routes called without one. */
    claims?: Claims;
  }
  interface FastifyContextConfig {
    /** An HTML page: a request without a valid token is sent to /login instead of getting a JSON 401. */
    page?: boolean;
  }
}

export const SESSION_COOKIE = 'dw_session';

/** The request's token: `Authorization: Bearer …`, else the session cookie; undefined when neither is there. */
export function tokenOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    return m ? m[1] : ''; // another scheme, or junk: no token (401), never the cookie instead
  }
  return req.cookies?.[SESSION_COOKIE];
}

export function installGuard(app: FastifyInstance, verify: Verifier): void {
  app.decorateRequest('claims', undefined);
  // A route missing from the access table is a programming error: the server does not start.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const id = routeId(method, route.url);
      if (accessOf(id) === undefined) throw new Error(`route ${id} is not in the access table (web/routes/access.ts)`);
    }
  });
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const access = accessOf(routeId(req.method, req.routeOptions.url ?? ''));
    if (access === undefined) return; // the not-found handler
    if (access === 'public') return;
    const token = tokenOf(req);
    req.claims = token ? await verify(token) : undefined;
    const verdict = decide(access, req.claims?.role);
    if (verdict === 401) {
      if (req.routeOptions.config.page && req.method === 'GET') return reply.redirect('/login', 303);
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody(UNAUTHORIZED.code, UNAUTHORIZED.message));
    }
    if (verdict === 403) return reply.code(403).send(errorBody(FORBIDDEN.code, FORBIDDEN.message));
  });
}
