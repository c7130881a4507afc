// Web tokens: issued locally with the Ed25519 key pair (`dw token issue`), verified with jose against that key or an
// OIDC provider's JWKS, algorithms pinned; any failure is the same undefined (the caller answers 401 and says no more).
import { randomUUID, type KeyObject } from 'node:crypto';
import { type JWTVerifyGetKey, SignJWT, createRemoteJWKSet, jwtVerify } from 'jose';
import type { WebAuthConfig } from '../../infra/config';
import { type Claims, type Role, claimsOf, payloadSchema } from './claims';
import { LOCAL_ALG, type LocalKeyPair, ensureLocalKeyPair } from './local-keys';

/** A token longer than this is refused before it is parsed (a real one is a few hundred characters). */
export const MAX_TOKEN_CHARS = 4096;
/** Algorithms accepted from an OIDC provider's JWKS: asymmetric only, so a public key can never be used as an HMAC secret. */
export const JWKS_ALGS = ['RS256', 'ES256'];
/** The longest `dw token issue --ttl`. */
export const MAX_TTL_SECONDS = 30 * 24 * 3600;
/** Clock skew tolerated on exp and nbf. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** A compact JWS: three base64url parts (no JWE, no JSON serialization). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The claims of a valid token, or undefined for anything else (expired, forged, malformed, wrong issuer, …). */
export type Verifier = (token: string) => Promise<Claims | undefined>;

export interface VerifierOptions {
  key: KeyObject | JWTVerifyGetKey;
  algorithms: string[];
  issuer: string;
  audience: string;
}

export function createVerifier(o: VerifierOptions): Verifier {
  return async (token) => {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !COMPACT_JWS.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(token, o.key as KeyObject, {
        algorithms: o.algorithms,
        issuer: o.issuer,
        audience: o.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return claimsOf(payload);
    } catch {
      return undefined;
    }
  };
}

/** The verifier of the configuration: the provider's JWKS (fetched and cached by jose), or the local public key. */
export function verifierFromConfig(auth: WebAuthConfig): Verifier {
  if (auth.kind === 'jwks')
    return createVerifier({
      key: createRemoteJWKSet(new URL(auth.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
      algorithms: JWKS_ALGS,
      issuer: auth.issuer,
      audience: auth.audience,
    });
  const pair = ensureLocalKeyPair(auth.keyDir);
  return createVerifier({ key: pair.publicKey, algorithms: [LOCAL_ALG], issuer: auth.issuer, audience: auth.audience });
}

export interface TokenRequest {
  sub: string;
  role: Role;
  sellerId?: string;
  states?: string[];
}

/** Thrown when the requested claims are not valid (a missing seller for role seller, an unknown state, …). */
export class ClaimsError extends Error {}

/** A signed token for `req`, valid `ttlSeconds` from `now` (ms). The claims are checked as verification will check them. */
export async function issueToken(
  pair: LocalKeyPair,
  req: TokenRequest,
  ttlSeconds: number,
  aud: { issuer: string; audience: string },
  now = Date.now(),
): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)
    throw new ClaimsError(`the lifetime must be between 1 second and ${MAX_TTL_SECONDS / 86400} days`);
  const iat = Math.floor(now / 1000);
  const payload = { sub: req.sub, role: req.role, seller_id: req.sellerId, states: req.states, exp: iat + ttlSeconds };
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new ClaimsError(parsed.error.issues.map((i) => `${i.path.join('.') || 'token'}: ${i.message}`).join('; '));
  const { exp: _exp, ...claims } = parsed.data;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: LOCAL_ALG, kid: pair.kid, typ: 'JWT' })
    .setIssuer(aud.issuer)
    .setAudience(aud.audience)
    .setSubject(req.sub)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(randomUUID())
    .sign(pair.privateKey);
}

/** `8h`, `30m`, `2d`, `90s` as seconds; undefined when malformed. */
export function parseTtl(v: string): number | undefined {
  const m = /^(\d{1,7})([smhd])$/.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
