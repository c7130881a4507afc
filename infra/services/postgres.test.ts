// The embedded cluster's settings block: rewritten in place (an initialized cluster gets new settings), privacy and WAL bounds in it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type PgCluster, writeSettings } from './postgres';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-pgconf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeSettings', () => {
  it('when a cluster was initialized with an older block, then the block is replaced once and the defaults above it stay', () => {
    const c: PgCluster = { dir, port: 5999, logFile: path.join(dir, 'pg.log'), settings: ['shared_buffers = 32MB'] };
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const conf = path.join(dir, 'data', 'postgresql.conf');
    fs.writeFileSync(conf, `#max_connections = 100\n\n# dw embedded cluster\nport = 5999\nmax_wal_size = 4GB\n`);
    expect(writeSettings(c)).toBe(true);
    expect(writeSettings(c)).toBe(false);
    const text = fs.readFileSync(conf, 'utf8');
    expect(text.startsWith('#max_connections = 100\n')).toBe(true);
    expect(text.match(/# dw embedded cluster/g)).toHaveLength(1);
    expect(text).not.toContain('max_wal_size = 4GB');
    for (const line of [
      'log_error_verbosity = terse',
      'log_min_error_statement = panic',
      'log_statement = none',
      'log_min_duration_statement = -1',
      'max_wal_size = 256MB',
      'min_wal_size = 64MB',
      'wal_keep_size = 0',
    ])
      expect(text).toContain(`\n${line}\n`);
    expect(text.trimEnd().endsWith('shared_buffers = 32MB')).toBe(true); // a cluster's own lines come last (the last one wins)
  });
});
