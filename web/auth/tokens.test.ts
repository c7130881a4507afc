// Token issue and verification: a locally issued token verifies to its claims; every hostile kind (expired, not yet
// valid, wrong issuer or audience, alg none, HS/RS key confusion, bad signature, another key, malformed, oversized,
// bad claims) gives undefined; the JWKS verifier takes RS256/ES256 only; the key file is 0600 and made once.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, createLocalJWKSet, exportJWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalKeyPair, localKeyFile, readLocalKeyPair } from './local-keys';
import { ClaimsError, JWKS_ALGS, MAX_TOKEN_CHARS, createVerifier, issueToken, parseTtl } from './tokens';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-web-keys-'));
  dirs.push(d);
  return path.join(d, 'keys');
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const AUD = { issuer: 'dw-local', audience: 'dw-web' };
const pair = ensureLocalKeyPair(tmp());
const verify = createVerifier({ key: pair.publicKey, algorithms: ['EdDSA'], ...AUD });
const now = Date.now();
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({ role: 'analyst', ...extra });
/** A token signed with any key and algorithm, with the registered claims set as given. */
async function forge(key: KeyObject | Uint8Array, alg: string, o: { iss?: string; aud?: string; exp?: number; payload?: object } = {}) {
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT({ ...claims(), ...o.payload })
    .setProtectedHeader({ alg, kid: pair.kid })
    .setIssuer(o.iss ?? AUD.issuer)
    .setAudience(o.aud ?? AUD.audience)
    .setSubject('mallory')
    .setIssuedAt(iat);
  if (o.exp !== 0) jwt.setExpirationTime(o.exp ?? iat + 600);
  return jwt.sign(key);
}

describe('local key pair', () => {
  it('is made once in a 0600 file in a 0700 folder and read back with the same key id', () => {
    const dir = tmp();
    const a = ensureLocalKeyPair(dir);
    const b = ensureLocalKeyPair(dir);
    expect(b.kid).toBe(a.kid);
    expect(fs.statSync(localKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(a.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('a damaged key file is named without echoing its content', () => {
    const dir = tmp();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(localKeyFile(dir), '{"secret":"hunter2"}', { mode: 0o600 });
    expect(() => readLocalKeyPair(dir)).toThrow(/does not hold an Ed25519 web token key/);
    expect(() => readLocalKeyPair(dir)).not.toThrow(/hunter2/);
  });
});

describe('issue and verify', () => {
  it('a token of each role verifies to its claims (scopes sorted and deduplicated)', async () => {
    const t = await issueToken(pair, { sub: 'ana', role: 'regional_manager', states: ['SP', 'RJ', 'SP'] }, 3600, AUD, now);
    expect(await verify(t)).toEqual({ sub: 'ana', role: 'regional_manager', states: ['RJ', 'SP'], exp: Math.floor(now / 1000) + 3600 });
    const s = await issueToken(pair, { sub: 'loja', role: 'seller', sellerId: '3442f8959a84dea7ee197c632cb2df15' }, 60, AUD, now);
    expect((await verify(s))?.sellerId).toBe('3442f8959a84dea7ee197c632cb2df15');
    for (const role of ['executive', 'analyst', 'engineer', 'admin'] as const)
      expect((await verify(await issueToken(pair, { sub: 'x', role }, 60, AUD, now)))?.role).toBe(role);
  });

  it('claims that do not fit their role are refused when issuing', async () => {
    await expect(issueToken(pair, { sub: 'x', role: 'seller' }, 60, AUD)).rejects.toThrow(/seller_id/);
    await expect(issueToken(pair, { sub: 'x', role: 'regional_manager' }, 60, AUD)).rejects.toThrow(/states/);
    await expect(issueToken(pair, { sub: 'x', role: 'analyst', states: ['SP'] }, 60, AUD)).rejects.toThrow(/states/);
    await expect(issueToken(pair, { sub: 'x', role: 'regional_manager', states: ['XX'] }, 60, AUD)).rejects.toThrow(ClaimsError);
    await expect(issueToken(pair, { sub: 'x', role: 'root' as never }, 60, AUD)).rejects.toThrow(/role/);
    await expect(issueToken(pair, { sub: 'x', role: 'admin' }, 31 * 86400, AUD)).rejects.toThrow(/lifetime/);
  });

  it('parses lifetimes', () => {
    expect([parseTtl('8h'), parseTtl('30m'), parseTtl('2d'), parseTtl('90s')]).toEqual([28800, 1800, 172800, 90]);
    expect([parseTtl('8'), parseTtl('1w'), parseTtl('-1h'), parseTtl('1.5h')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('hostile tokens are all refused the same way', () => {
  const other = generateKeyPairSync('ed25519').privateKey;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const good = () => issueToken(pair, { sub: 'ana', role: 'analyst' }, 600, AUD, now);
  const cases: Record<string, () => Promise<string>> = {
    expired: () => issueToken(pair, { sub: 'ana', role: 'analyst' }, 60, AUD, now - 3600_000),
    'not yet valid': () => issueToken(pair, { sub: 'ana', role: 'analyst' }, 7200, AUD, now + 3600_000),
    'wrong issuer': () => issueToken(pair, { sub: 'ana', role: 'analyst' }, 600, { ...AUD, issuer: 'evil' }, now),
    'wrong audience': () => issueToken(pair, { sub: 'ana', role: 'analyst' }, 600, { ...AUD, audience: 'other-app' }, now),
    'alg none': async () => `${b64({ alg: 'none', typ: 'JWT' })}.${(await good()).split('.')[1]}.`,
    'HS256 with the public key as secret (JWK)': async () =>
      forge(new TextEncoder().encode(JSON.stringify(await exportJWK(pair.publicKey))), 'HS256'),
    'HS256 with the public key as secret (PEM)': () =>
      forge(new TextEncoder().encode(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string), 'HS256'),
    'HS256 with the raw public key bytes': () => forge(pair.publicKey.export({ type: 'spki', format: 'der' }), 'HS256'),
    'RS256 from an attacker key': () => forge(rsa.privateKey, 'RS256'),
    'EdDSA from another key': () => forge(other, 'EdDSA'),
    'tampered payload': async () => {
      const [h, , s] = (await good()).split('.');
      return `${h}.${b64({ sub: 'ana', role: 'admin', iss: AUD.issuer, aud: AUD.audience, iat: 1, exp: 9999999999 })}.${s}`;
    },
    'tampered signature': async () => {
      const t = await good();
      return `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`;
    },
    'no exp': () => forge(pair.privateKey, 'EdDSA', { exp: 0 }),
    'unknown role': () => forge(pair.privateKey, 'EdDSA', { payload: { role: 'root' } }),
    'seller without seller_id': () => forge(pair.privateKey, 'EdDSA', { payload: { role: 'seller' } }),
    'state outside Brazil': () => forge(pair.privateKey, 'EdDSA', { payload: { role: 'regional_manager', states: ['XX'] } }),
    malformed: async () => 'not-a-token',
    'two parts': async () => 'abc.def',
    'JSON junk': async () => `${b64({ alg: 'EdDSA' })}.${b64('x')}.${b64('y')}`,
    'five parts (JWE)': async () => 'a.b.c.d.e',
    empty: async () => '',
    oversized: async () => {
      const t = await forge(pair.privateKey, 'EdDSA', { payload: { pad: 'x'.repeat(MAX_TOKEN_CHARS) } });
      return t;
    },
  };
  for (const [name, make] of Object.entries(cases))
    it(name, async () => {
      expect(await verify(await make())).toBeUndefined();
    });

  it('the same payload signed properly verifies (the cases fail for the reason they name)', async () => {
    expect(await verify(await forge(pair.privateKey, 'EdDSA'))).toMatchObject({ sub: 'mallory', role: 'analyst' });
  });
});

describe('verification against a JWKS (production)', () => {
  const es = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rs = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const opts = { issuer: 'https://idp.example', audience: 'dw' };
  const sign = (key: KeyObject | Uint8Array, alg: string, kid: string) =>
    new SignJWT({ role: 'executive' })
      .setProtectedHeader({ alg, kid })
      .setIssuer(opts.issuer)
      .setAudience(opts.audience)
      .setSubject('exec@example')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  it('takes ES256 and RS256 from the set; refuses HS256 made with a published key and an unknown key id', async () => {
    const esJwk = { ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256', use: 'sig' };
    const rsJwk = { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256', use: 'sig' };
    const v = createVerifier({ key: createLocalJWKSet({ keys: [esJwk, rsJwk] }), algorithms: JWKS_ALGS, ...opts });
    expect((await v(await sign(es.privateKey, 'ES256', 'es')))?.role).toBe('executive');
    expect((await v(await sign(rs.privateKey, 'RS256', 'rs')))?.role).toBe('executive');
    expect(await v(await sign(new TextEncoder().encode(JSON.stringify(rsJwk)), 'HS256', 'rs'))).toBeUndefined();
    expect(await v(await sign(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ES256', 'other'))).toBeUndefined();
    expect(await v(await sign(es.privateKey, 'ES256', 'rs'))).toBeUndefined();
  });
});
