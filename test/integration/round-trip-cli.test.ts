// Issue 11's first acceptance line as a user runs it: `dw materialize --source DIR` on the spreadsheet round trip of the
// shipped sample exits 0 and publishes every named model, with the repairs counted (real-exports.test.ts compares the marts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spreadsheetRoundTrip } from '../../scripts/spreadsheet-round-trip';
import { dw, stopCliWorker } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { NAMED_MODELS, copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let clean: string;
let dir: string;
const MODELS = [...NAMED_MODELS, 'dbt/mart_cohort_retention'];

beforeAll(async () => {
  env = await createTestEnv('roundtrip_cli');
  clean = copySource();
  dir = `${clean}-round-trip`;
  spreadsheetRoundTrip(clean, dir);
});

afterAll(async () => {
  stopCliWorker(env);
  await env?.close();
  for (const d of [clean, dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('dw materialize --source on a spreadsheet round trip', () => {
  it('when the round-tripped sample is loaded by the command, then it exits 0, every named model is published, nothing is quarantined and the zips are repaired', () => {
    const r = dw(env, ['materialize', '--source', dir, '--json'], 600_000);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as {
      status: string;
      assets: { key: string; state: string; rowsQuarantined?: number; repaired?: number }[];
    };
    expect(s.status).toBe('success');
    for (const key of MODELS) expect(s.assets.find((a) => a.key === key)?.state, key).toBe('materialized');
    expect(s.assets.filter((a) => (a.rowsQuarantined ?? 0) > 0).map((a) => a.key)).toEqual([]);
    const short = parseRecords(path.join(dir, 'olist_customers_dataset.csv')).filter((c) => c[2]!.length < 5).length;
    expect(short).toBeGreaterThan(0);
    expect(s.assets.find((a) => a.key === 'staging/customers')?.repaired).toBe(short);
    const repairs = dw(env, ['quality', 'repairs', '--json']);
    expect(repairs.code, repairs.stderr).toBe(0);
    expect(
      JSON.parse(repairs.stdout).find(
        (x: { assetKey: string; rule: string }) => x.assetKey === 'staging/customers' && x.rule === 'REPAIR.ZIP_LEFT_PADDED',
      )?.count,
    ).toBe(short);
  }, 700_000);
});
