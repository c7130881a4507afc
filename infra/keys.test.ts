// The master key ring and the wrapping of data keys (AES-256-GCM, the scope as associated data).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureKeyring, fileProvider, readKeyring, writeKeyring } from './keys';

const dirs: string[] = [];
const tmpFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-keys-'));
  dirs.push(dir);
  return path.join(dir, 'sub', 'master-keys');
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('master key ring', () => {
  it('when no file exists, then one is made 0600 with one active 32-byte key, and read back the same', () => {
    const file = tmpFile();
    const ring = ensureKeyring(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(ring.keys[ring.active]!, 'base64')).toHaveLength(32);
    expect(ensureKeyring(file)).toEqual(ring);
    expect(readKeyring(file)).toEqual(ring);
  });

  it('when the file lacks its active key, then reading it says so', () => {
    const file = tmpFile();
    writeKeyring(file, { active: 'm1', keys: {} });
    expect(() => readKeyring(file)).toThrow(/active key is missing/);
  });

  it('when a data key is wrapped, then it unwraps to the same bytes under its scope only, and never without its master key', () => {
    const file = tmpFile();
    const ring = ensureKeyring(file);
    const p = fileProvider(ring, file);
    const key = randomBytes(64);
    const wrapped = p.wrap(key, 'review_text');
    expect(wrapped).not.toContain(key.toString('base64'));
    expect(p.unwrap(ring.active, wrapped, 'review_text')).toEqual(key);
    expect(p.wrap(key, 'review_text')).not.toBe(wrapped); // a fresh nonce each time
    expect(() => p.unwrap(ring.active, wrapped, 'quarantine')).toThrow(/does not unwrap/);
    const other = fileProvider({ active: 'm2', keys: { m2: randomBytes(32).toString('base64') } }, file);
    expect(() => other.unwrap('m2', wrapped, 'review_text')).toThrow(/does not unwrap/);
    expect(() => other.unwrap(ring.active, wrapped, 'review_text')).toThrow(/is not in .*restore the file/);
    const tampered = Buffer.from(wrapped, 'base64');
    tampered[tampered.length - 1]! ^= 1;
    expect(() => p.unwrap(ring.active, tampered.toString('base64'), 'review_text')).toThrow(/altered/);
  });
});
