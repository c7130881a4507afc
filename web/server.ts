// The web app's server: buildServer() gives a Fastify instance with security headers, a rate limit, a body limit,
// one error shape, the token guard over the role → route table, the pages and the read API (tests use inject()).
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Pool, createPool } from '../infra/db';
import { installGuard } from './auth/guard';
import type { Verifier } from './auth/tokens';
import { installErrorHandlers } from './errors';
import { registerApi } from './routes/api';
import { registerPages } from './routes/pages';

export interface ServerOptions {
  /** Checks a token and gives its claims (web/auth/tokens.ts: verifierFromConfig). */
  verifier: Verifier;
  /** The dw_reader connection; or `pool`, which the caller then ends. */
  readerUrl?: string;
  pool?: Pool;
  /** The schema of the published marts (DW_DBT_SCHEMA). */
  dbtSchema?: string;
  /** The app is served over TLS (directly or behind a TLS proxy): the session cookie is Secure and HSTS is sent. */
  tls?: boolean;
  /** Requests per client per minute (default 600). */
  rateLimitPerMinute?: number;
  /** Largest request body in bytes (default 16 KiB: a login form with a token). */
  bodyLimit?: number;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  if (!opts.pool && !opts.readerUrl) throw new Error('buildServer needs the reader connection (readerUrl or pool)');
  const bodyLimit = opts.bodyLimit ?? 16 * 1024;
  const app = Fastify({ logger: false, bodyLimit, exposeHeadRoutes: false, return503OnClosing: true, requestIdHeader: false });
  const pool = opts.pool ?? createPool(opts.readerUrl!, 8);
  if (!opts.pool) app.addHook('onClose', async () => pool.end());

  installErrorHandlers(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: opts.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  await app.register(rateLimit, { max: opts.rateLimitPerMinute ?? 600, timeWindow: 60_000 });
  await app.register(cookie);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  installGuard(app, opts.verifier);

  app.get('/healthz', async () => ({ ok: true }));
  registerPages(app, opts.verifier, opts.tls ?? false);
  registerApi(app, pool, opts.dbtSchema ?? 'analytics');
  return app;
}
