// dw status's disk usage of .dw by part: pg_wal apart from the rest of the cluster, backups only when there are, a total.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDiskUsage } from './disk-usage';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-du-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function file(rel: string, bytes: number): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), Buffer.alloc(bytes, 1));
}

describe('stateDiskUsage', () => {
  it('when .dw holds a cluster, WAL, Temporal db, logs, dbt runs and keys, then each part counts its own files and the total all', () => {
    file('pg/data/base/1/1259', 400 * 1024);
    file('pg/data/pg_wal/000000010000000000000001', 1024 * 1024);
    file('temporal.db', 300 * 1024);
    file('temporal.db-journal', 8 * 1024);
    file('logs/worker.log', 200 * 1024);
    file('dbt/runs/r1/run_results.json', 100 * 1024);
    file('master-keys', 100);
    file('secrets', 100);
    file('run/worker.pid', 10);
    const parts = new Map(stateDiskUsage(root).map((p) => [p.part, p]));
    expect([...parts.keys()]).toEqual(['postgres data', 'pg_wal', 'temporal db', 'logs', 'dbt runs', 'keys', 'other', 'total']);
    const kb = (part: string) => Math.round((parts.get(part)?.bytes ?? 0) / 1024);
    expect(kb('pg_wal')).toBeGreaterThanOrEqual(1024); // the file and its directory
    expect(kb('pg_wal')).toBeLessThan(1100);
    expect(kb('postgres data')).toBeGreaterThanOrEqual(400);
    expect(kb('postgres data')).toBeLessThan(1024); // pg_wal is not counted twice
    expect(kb('temporal db')).toBeGreaterThanOrEqual(308);
    expect(parts.get('temporal db')?.path).toBe('temporal.db, temporal.db-journal');
    expect(kb('logs')).toBeGreaterThanOrEqual(200);
    expect(kb('dbt runs')).toBeGreaterThanOrEqual(100);
    expect(parts.get('keys')?.path).toBe('master-keys, secrets');
    expect(parts.get('other')?.path).toBe('run');
    const sum = [...parts.values()].filter((p) => p.part !== 'total').reduce((n, p) => n + p.bytes, 0);
    expect(parts.get('total')?.bytes).toBe(sum);

    file('backups/base-1.tar', 50 * 1024);
    expect(stateDiskUsage(root).find((p) => p.part === 'backups')?.bytes).toBeGreaterThanOrEqual(50 * 1024);
  });
});
