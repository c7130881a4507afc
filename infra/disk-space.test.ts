// A full disk during dbt is recognised in its output and reported once with the path and its free space.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NoSpaceError, formatBytes, freeBytes, mentionsNoSpace, tightest } from './disk-space';
import { MIN_FREE_BYTES, noSpace } from './dbt';

describe('a full disk during dbt', () => {
  it('when dbt, Python or PostgreSQL say the disk is full, then it is recognised; ordinary errors are not', () => {
    for (const line of [
      '{"info": {"level": "error", "msg": "[Errno 28] No space left on device: \'/work/.dw/dbt/runs/r1/dbt.log\'"}}',
      'OSError: [Errno 28] No space left on device',
      '  could not extend file "base/16384/16999": No space left on device',
      'Error: ENOSPC: no space left on device, write',
      'Database Error in model fact_orders (models/marts/sales/fact_orders.sql)\n  could not write to file "base/pgsql_tmp/pgsql_tmp1.0": No space left on device',
    ])
      expect(mentionsNoSpace(line), line).toBe(true);
    for (const line of [
      '{"info": {"level": "error", "msg": "Database Error in model fact_orders: division by zero"}}',
      'Failure in test unique_fact_orders_order_id (models/marts/sales/fact_orders.yml)',
      'Got 3 results, configured to fail if != 0',
    ])
      expect(mentionsNoSpace(line), line).toBe(false);
  });

  it('when the disk of the runs directory has the least space, then the error names that path, its free space and the fix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-disk-'));
    const [pgData, runs] = [path.join(dir, 'pg'), path.join(dir, 'runs')];
    fs.mkdirSync(pgData);
    fs.mkdirSync(runs);
    const statfs = (p: string) => ({ bsize: 4096, bavail: p === runs ? 1000 : 10_000_000 });
    expect(freeBytes(path.join(dir, 'no-such-dir', 'r1'))).toBeGreaterThan(0); // not made yet: its nearest existing ancestor's disk
    expect(freeBytes(path.join(runs, 'r1'), statfs)).toBe(4_096_000);
    const disk = tightest([pgData, path.join(runs, 'r1')], statfs);
    fs.rmSync(dir, { recursive: true });
    expect(disk).toEqual({ path: path.join(runs, 'r1'), free: 4_096_000 });
    expect(disk.free).toBeLessThan(MIN_FREE_BYTES);
    const err = noSpace(disk);
    expect(err).toBeInstanceOf(NoSpaceError);
    expect(err.code).toBe('DBT.NO_SPACE');
    expect(err.message).toContain(
      `no space left on ${path.join(runs, 'r1')} (3.9 MB free): free space on that disk, or set DW_DBT_KEEP_RUNS lower`,
    );
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(289 * 1024 * 1024)).toBe('289 MB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GB');
  });
});
