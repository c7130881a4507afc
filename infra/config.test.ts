// The web settings of the configuration: local tokens by default, an OIDC JWKS only with its issuer and audience (https),
// and the API's reader connection, which on an external database must be given (never the owner's URL).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATE_DIR, loadConfig } from './config';

describe('web authentication settings', () => {
  it('default: local tokens with the key pair under .dw/keys', () => {
    expect(loadConfig({}).webAuth).toEqual({ kind: 'local', keyDir: path.join(STATE_DIR, 'keys'), issuer: 'dw-local', audience: 'dw-web' });
  });

  it('an OIDC JWKS needs its issuer and audience, over https', () => {
    const jwks = {
      DW_AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      DW_AUTH_ISSUER: 'https://idp.example/',
      DW_AUTH_AUDIENCE: 'dw',
    };
    expect(loadConfig(jwks).webAuth).toEqual({
      kind: 'jwks',
      jwksUrl: jwks.DW_AUTH_JWKS_URL,
      issuer: jwks.DW_AUTH_ISSUER,
      audience: 'dw',
    });
    expect(() => loadConfig({ DW_AUTH_JWKS_URL: jwks.DW_AUTH_JWKS_URL })).toThrow(/DW_AUTH_ISSUER and DW_AUTH_AUDIENCE/);
    expect(() => loadConfig({ ...jwks, DW_AUTH_JWKS_URL: 'http://idp.example/jwks' })).toThrow(/must be https/);
    expect(loadConfig({ ...jwks, DW_AUTH_JWKS_URL: 'http://127.0.0.1:9999/jwks' }).webAuth.kind).toBe('jwks');
    expect(() => loadConfig({ DW_AUTH_JWKS_URL: 'not a url' })).toThrow(/DW_AUTH_JWKS_URL/);
  });

  it('the reader connection of an external database is DW_READER_DATABASE_URL, required there', () => {
    const external = { DATABASE_URL: 'postgres://dw_owner:secret@db.example:5432/dw' };
    expect(() => loadConfig(external).readerDatabaseUrl).toThrow(/DW_READER_DATABASE_URL/);
    expect(() => loadConfig(external).readerDatabaseUrl).not.toThrow(/secret/);
    const reader = 'postgres://dw_reader:r@db.example:5432/dw';
    expect(loadConfig({ ...external, DW_READER_DATABASE_URL: reader }).readerDatabaseUrl).toBe(reader);
  });
});
