// Signed run inputs: canonical form, HMAC bound to a workflow id or schedule, and the verdicts the worker acts on.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  ensureRunSigningKey,
  readRunSigningKey,
  scheduleBinding,
  signRun,
  verifyRun,
  workflowBinding,
} from './run-signature';

const key = randomBytes(32);
const input = { selection: 'raw/*', sourceDir: '/data/drop', partitionKey: undefined, force: true, assetKeys: ['b', 'a'] };
const at = workflowBinding('materialize:raw/*:all');

describe('canonicalJson', () => {
  it('when keys come in another order or a member is undefined, then the text is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ a: { c: null, d: [1, 'x'] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } }));
  });

  it('when an input went through JSON (as Temporal payloads do), then its canonical text is unchanged', () => {
    expect(canonicalJson(JSON.parse(JSON.stringify(input)))).toBe(canonicalJson(input));
  });
});

describe('signRun / verifyRun', () => {
  it('when the input is signed for its binding, then it verifies, also after a JSON round trip', () => {
    const signed = signRun(key, 'materializeWorkflow', at, input);
    expect(signed.runSignature.boundTo).toBe(at);
    expect(verifyRun(key, 'materializeWorkflow', at, signed)).toEqual({ ok: true });
    expect(verifyRun(key, 'materializeWorkflow', at, JSON.parse(JSON.stringify(signed)))).toEqual({ ok: true });
  });

  it('when there is no signature, then RUN.UNSIGNED', () => {
    expect(verifyRun(key, 'materializeWorkflow', at, input)).toMatchObject({ ok: false, code: 'RUN.UNSIGNED' });
    expect(verifyRun(key, 'materializeWorkflow', at, undefined)).toMatchObject({ ok: false, code: 'RUN.UNSIGNED' });
    expect(verifyRun(key, 'materializeWorkflow', at, { ...input, runSignature: null })).toMatchObject({ code: 'RUN.UNSIGNED' });
  });

  it('when any signed field changes, is added or removed, then RUN.BAD_SIGNATURE', () => {
    const signed = signRun(key, 'materializeWorkflow', at, input);
    for (const tampered of [
      { ...signed, sourceDir: '/tmp/other' },
      { ...signed, force: false },
      { ...signed, allowShrink: true },
      { ...signed, assetKeys: ['a', 'b'] },
      { ...signed, selection: undefined },
    ]) {
      expect(verifyRun(key, 'materializeWorkflow', at, tampered)).toMatchObject({ ok: false, code: 'RUN.BAD_SIGNATURE' });
    }
  });

  it('when the signature is malformed, made with another key, or for another workflow type, then RUN.BAD_SIGNATURE', () => {
    const signed = signRun(key, 'materializeWorkflow', at, input);
    expect(verifyRun(key, 'materializeWorkflow', at, { ...signed, runSignature: 'x' })).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
    expect(verifyRun(key, 'materializeWorkflow', at, { ...signed, runSignature: { ...signed.runSignature, hmac: 'AAAA' } })).toMatchObject({
      code: 'RUN.BAD_SIGNATURE',
    });
    expect(verifyRun(randomBytes(32), 'materializeWorkflow', at, signed)).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
    expect(verifyRun(undefined, 'materializeWorkflow', at, signed)).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
    expect(verifyRun(key, 'backfillWorkflow', at, signed)).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
  });

  it('when a signed input is presented under another workflow id or schedule, then RUN.REBOUND', () => {
    const signed = signRun(key, 'materializeWorkflow', at, input);
    expect(verifyRun(key, 'materializeWorkflow', workflowBinding('other'), signed)).toMatchObject({ ok: false, code: 'RUN.REBOUND' });
    expect(verifyRun(key, 'materializeWorkflow', scheduleBinding('materialize:raw/*:all'), signed)).toMatchObject({ code: 'RUN.REBOUND' });
    // Changing the claimed binding to the new id breaks the HMAC instead.
    const moved = { ...signed, runSignature: { ...signed.runSignature, boundTo: workflowBinding('other') } };
    expect(verifyRun(key, 'materializeWorkflow', workflowBinding('other'), moved)).toMatchObject({ code: 'RUN.BAD_SIGNATURE' });
  });

  it('when a workflow id reads like a schedule binding, then it is still a workflow binding', () => {
    expect(workflowBinding('schedule:nightly')).not.toBe(scheduleBinding('nightly'));
  });

  it('when an input is signed again, then the old signature is replaced, not signed over', () => {
    const once = signRun(key, 'materializeWorkflow', at, input);
    const again = signRun(key, 'materializeWorkflow', workflowBinding('b'), once);
    expect(verifyRun(key, 'materializeWorkflow', workflowBinding('b'), again)).toEqual({ ok: true });
  });
});

describe('the run signing key file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('when it does not exist, then it is made 0600 with 32 bytes on first use and read back the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-runkey-'));
    dirs.push(dir);
    const file = path.join(dir, 'sub', 'run-signing-key');
    expect(readRunSigningKey(file)).toBeUndefined();
    const made = ensureRunSigningKey(file);
    expect(made).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readRunSigningKey(file)?.equals(made)).toBe(true);
    expect(ensureRunSigningKey(file).equals(made)).toBe(true);
    fs.writeFileSync(file, '{"key":"c2hvcnQ="}');
    expect(() => readRunSigningKey(file)).toThrow(/32-byte/);
  });
});
