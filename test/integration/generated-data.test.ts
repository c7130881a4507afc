// Synthetic data through the whole pipeline: clean data quarantines nothing; injected faults land exactly under their rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultEntry, generate } from '../../generator';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
const dirs: string[] = [];

async function generated(scale: number, faults?: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-gen-'));
  dirs.push(dir);
  await generate({ scale, seed: 7, outDir: dir, faults });
  return dir;
}

async function quarantined(): Promise<{ rule_code: string; source_file: string; source_row: number }[]> {
  return (await env.pool.query(`SELECT rule_code, source_file, source_row::int FROM quarantine.rows ORDER BY source_file, source_row`))
    .rows;
}

beforeAll(async () => {
  env = await createTestEnv('generated');
  await env.startWorker();
});
afterAll(async () => {
  await env?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('generated data through the whole pipeline', () => {
  it('when clean data at scale 0.1 is materialized, then every asset succeeds and nothing is quarantined', async () => {
    const s = await env.materialize({ selection: '*', sourceDir: await generated(0.1) });
    expect(s.rootCauses).toEqual([]);
    expect(s.status).toBe('success');
    expect(await quarantined()).toEqual([]);
    const { rows } = await env.pool.query(
      `SELECT (SELECT count(*) FROM sales.orders)::int AS orders, (SELECT count(*) FROM staging.orders)::int AS staged`,
    );
    expect(rows[0].orders).toBe(rows[0].staged);
    expect(rows[0].orders).toBeGreaterThan(9_000);
  });

  it("when faults are injected, then each lands in quarantine under its rule and only faulted orders' rows are quarantined", async () => {
    const dir = await generated(0.02, 0.005);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'fault-manifest.json'), 'utf8')) as {
      faults: (FaultEntry & { firstSourceRow?: number })[];
    };
    // The database still holds the scale-0.1 load: months it had and this data lacks must be pruned, or the
    // warehouse would mix the two loads (dbt's relationship tests catch that). Scale 0.02 after 0.1 is an 80% shrink
    // of every table, intended here: allowShrink lets it past the shrink guard.
    const s = await env.materialize({ selection: '*', sourceDir: dir, allowShrink: true });
    expect(s.assets.filter((a) => a.state === 'failed').map((a) => `${a.key}: ${a.error?.message}`)).toEqual([]);
    const q = await quarantined();
    const at = (file: string, row: number) => q.filter((r) => r.source_file === file && r.source_row === row).map((r) => r.rule_code);
    for (const f of manifest.faults) expect(at(f.file, f.sourceRow), `${f.kind} at ${f.file}:${f.sourceRow}`).toContain(f.expectedRule);
    const allowed = new Set<string>();
    for (const f of manifest.faults) {
      allowed.add(`${f.file}:${f.sourceRow}`);
      for (const [file, rows] of Object.entries(f.relatedRows ?? {})) for (const r of rows as number[]) allowed.add(`${file}:${r}`);
    }
    expect(q.filter((r) => !allowed.has(`${r.source_file}:${r.source_row}`))).toEqual([]);
    expect(new Set(manifest.faults.map((f) => f.expectedRule)).size).toBe(11);
  });
});
