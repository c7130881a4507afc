// `dw token issue` (a web/API token signed with the local key pair; audited, the token itself never recorded) and
// `dw serve` (the web app in the foreground until SIGINT/SIGTERM).
import type { Command } from 'commander';
import { loadConfig } from '../infra/config';
import * as services from '../infra/services';
import { ROLES, type Role } from '../web/auth/claims';
import { ensureLocalKeyPair } from '../web/auth/local-keys';
import { ClaimsError, MAX_TTL_SECONDS, issueToken, parseTtl, verifierFromConfig } from '../web/auth/tokens';
import { buildServer } from '../web/server';
import { jsonOption, positiveInt, print } from './command';
import { UsageError } from './output';

export interface TokenOptions {
  sub: string;
  role: string;
  seller?: string;
  states?: string;
  ttl: string;
}

/** The token of `dw token issue` (checked as the server will check it), with its expiry. */
export async function tokenFor(o: TokenOptions, now = Date.now()): Promise<{ token: string; expiresAt: string }> {
  const auth = loadConfig().webAuth;
  if (auth.kind === 'jwks')
    throw new UsageError(
      'DW_AUTH_JWKS_URL is set: tokens come from the identity provider, not from dw token issue',
      'AUTH.EXTERNAL_ISSUER',
    );
  if (!(ROLES as readonly string[]).includes(o.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`, 'AUTH.BAD_CLAIMS');
  const ttl = parseTtl(o.ttl);
  if (ttl === undefined || ttl > MAX_TTL_SECONDS)
    throw new UsageError(`--ttl must be a duration like 8h, 30m or 7d, at most ${MAX_TTL_SECONDS / 86400}d`, 'AUTH.BAD_CLAIMS');
  const states = o.states
    ?.split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  try {
    const token = await issueToken(
      ensureLocalKeyPair(auth.keyDir),
      { sub: o.sub, role: o.role as Role, sellerId: o.seller, states },
      ttl,
      auth,
      now,
    );
    return { token, expiresAt: new Date(Math.floor(now / 1000) * 1000 + ttl * 1000).toISOString() };
  } catch (err) {
    if (err instanceof ClaimsError)
      throw new UsageError(
        err.message
          .replace(/(^|; )seller_id/g, '$1--seller')
          .replace(/(^|; )states/g, '$1--states')
          .replace(/(^|; )sub/g, '$1--sub'),
        'AUTH.BAD_CLAIMS',
      );
    throw err;
  }
}

export function registerWeb(program: Command): void {
  const token = program.command('token').description('tokens of the web app and its API (docs/security.md)');
  token
    .command('issue')
    .description('print a token signed with the local key pair (.dw/keys); audited, without the token')
    .requiredOption('--sub <name>', 'who the token is for')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--seller <id>', 'the seller id (role seller)')
    .option('--states <list>', 'comma-separated states, e.g. SP,RJ (role regional_manager)')
    .option('--ttl <duration>', 'lifetime: 90s, 30m, 8h, 7d (at most 30d)', '8h')
    .addOption(jsonOption())
    .action(async (opts: TokenOptions & { json?: boolean }) => {
      const t = await tokenFor(opts);
      print({ ...t, sub: opts.sub, role: opts.role }, !!opts.json, () => t.token);
    });

  program
    .command('serve')
    .description('serve the web app and its API until interrupted')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const port = positiveInt(opts.port, '--port');
      if (port > 65535) throw new UsageError(`--port must be at most 65535, got '${opts.port}'`);
      const config = loadConfig();
      await services.up({ worker: false });
      const app = await buildServer({
        verifier: verifierFromConfig(config.webAuth),
        readerUrl: config.readerDatabaseUrl,
        dbtSchema: config.dbtSchema,
      });
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      const url = await app.listen({ port, host: opts.host });
      process.stderr.write(`dw: the web app is at ${url} (sign in with a token: dw token issue --sub NAME --role ROLE); Ctrl-C stops it\n`);
      const signal = await stopped;
      process.stderr.write(`dw: ${signal}: stopping the web app\n`);
      await app.close();
    });
}
