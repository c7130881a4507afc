// The login page (a form taking a token, no script), POST /login setting the session cookie, POST /logout, and the
// signed-in home page. The cookie is HttpOnly, SameSite=Strict, Secure when the app is served over TLS.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/guard';
import type { Verifier } from '../auth/tokens';
import { FORBIDDEN, errorBody } from '../errors';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · dw</title></head>
<body><main>
${body}
</main></body></html>
`;

export function loginPage(message?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1>
${message ? `<p role="alert">${esc(message)}</p>` : ''}
<form method="post" action="/login">
<label for="token">Token (from your identity provider, or <code>dw token issue</code>)</label><br>
<textarea id="token" name="token" rows="6" cols="80" required autocomplete="off" spellcheck="false"></textarea><br>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** A form post from another site is refused (login CSRF): when the browser names an Origin, it must be this host. */
function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function registerPages(app: FastifyInstance, verify: Verifier, secureCookies: boolean): void {
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

  app.get('/login', async (_req, reply) => html(reply, 200, loginPage()));

  app.post('/login', async (req, reply) => {
    if (!sameOrigin(req)) return reply.code(403).send(errorBody(FORBIDDEN.code, FORBIDDEN.message));
    const token = (req.body as { token?: unknown } | undefined)?.token;
    const claims = typeof token === 'string' ? await verify(token.trim()) : undefined;
    if (!claims) return html(reply, 401, loginPage('That token was not accepted.'));
    const maxAge = Math.max(0, claims.exp - Math.floor(Date.now() / 1000));
    return reply
      .setCookie(SESSION_COOKIE, (token as string).trim(), { httpOnly: true, sameSite: 'strict', secure: secureCookies, path: '/', maxAge })
      .redirect('/', 303);
  });

  app.post('/logout', async (req, reply) => {
    if (!sameOrigin(req)) return reply.code(403).send(errorBody(FORBIDDEN.code, FORBIDDEN.message));
    return reply
      .clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secureCookies, path: '/' })
      .redirect('/login', 303);
  });

  app.get('/', { config: { page: true } }, async (req, reply) => {
    const c = req.claims!;
    return html(
      reply,
      200,
      page(
        'Home',
        `<h1>dw</h1>
<p>Signed in as <strong>${esc(c.sub)}</strong> (${esc(c.role)}).</p>
<ul><li><a href="/api/v1/me">/api/v1/me</a></li><li><a href="/api/v1/executive/monthly">/api/v1/executive/monthly</a></li></ul>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`,
      ),
    );
  });
}
