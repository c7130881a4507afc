// The audit key file and the anchor destinations, without a database: the key is made once (0600) and read back; a
// missing key file names itself and the fix; a file anchor that cannot be written fails loudly, syslog never does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditKeyMissing, anchor, anchorFiles, auditKey, keyId } from './audit-log';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-audit-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const head = { db: 'dw', id: 7, count: 7, hash: 'ab'.repeat(32), at: '2026-12-08T01:00:00.000Z', key: 'k' };

describe('the audit key file', () => {
  it('when it does not exist, then the first append makes 32 random bytes in a 0600 file, and later reads give the same key', async () => {
    const file = path.join(tmp(), 'keys', 'audit-key');
    const key = await auditKey(file, true);
    expect(key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await auditKey(file, false)).toEqual(key);
    expect(keyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(keyId(key));
  });

  it('when verify needs it and it is missing, then the error names the file and the fix', async () => {
    const file = path.join(tmp(), 'audit-key');
    await expect(auditKey(file, false)).rejects.toThrow(AuditKeyMissing);
    await expect(auditKey(file, false)).rejects.toThrow(
      new RegExp(`${file} does not exist.*DW_AUDIT_KEY_FILE.*Restore it from its backup`),
    );
  });

  it('when it holds something else, then the error does not repeat its content', async () => {
    const file = path.join(tmp(), 'audit-key');
    fs.writeFileSync(file, '{"key": "secret-looking-but-wrong-content-0123456789"}');
    await expect(auditKey(file, true)).rejects.toThrow(/is not \{"key": "<64 hex digits>"\}/);
    await expect(auditKey(file, true)).rejects.not.toThrow(/secret-looking/);
  });
});

describe('the anchor', () => {
  it('when a head is anchored, then each file gets one more JSON line (0600), and syslog and the journal are best effort', () => {
    const dir = tmp();
    const [a, b] = [path.join(dir, 'a.log'), path.join(dir, 'sub', 'b.log')];
    anchor(head, [a, 'syslog', b, 'journal']);
    anchor({ ...head, id: 8, count: 8 }, [a, b]);
    for (const f of [a, b]) {
      expect(
        fs
          .readFileSync(f, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).id),
      ).toEqual([7, 8]);
      expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    }
    expect(anchorFiles([a, 'syslog', b, 'journal'])).toEqual([a, b]);
  });

  it('when the anchor file cannot be written, then it fails naming the event and the file', () => {
    const blocker = path.join(tmp(), 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const file = path.join(blocker, 'audit-anchor.log');
    expect(() => anchor(head, ['syslog', file])).toThrow(
      new RegExp(`audit event 7 was written but its anchor could not be appended to ${file}.*DW_AUDIT_ANCHOR`),
    );
  });
});
