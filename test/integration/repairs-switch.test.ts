// The per-source repairs switch (DW_REPAIRS_OFF): with repairs off for customers, the spreadsheet round trip's shortened
// zips are rejected by the contract as before repairs existed, while sellers (still repaired) load.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spreadsheetRoundTrip } from '../../scripts/spreadsheet-round-trip';
import { platformGraph } from '../../assets';
import { contract } from '../../schema/contracts/olist';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

// Before any import reads the contracts: the switch is read once, with them.
vi.hoisted(() => {
  process.env.DW_REPAIRS_OFF = 'customers';
});

let env: TestEnv;
let clean: string;
let dir: string;

beforeAll(async () => {
  env = await createTestEnv('repairs_switch');
  await env.startWorker();
  clean = copySource();
  dir = `${clean}-round-trip`;
  spreadsheetRoundTrip(clean, dir);
}, 60_000);

afterAll(async () => {
  await env?.close();
  for (const d of [clean, dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  delete process.env.DW_REPAIRS_OFF;
});

const shortZips = (file: string, col: number) => parseRecords(path.join(dir, file)).filter((r) => r[col]!.length < 5).length;

describe('repairs switched off for one source', () => {
  it('when DW_REPAIRS_OFF=customers, then the contracts and code versions say so for customers only', () => {
    expect(contract('customers').repairs).toBe(false);
    expect(contract('sellers').repairs).not.toBe(false);
    const graph = platformGraph();
    expect(graph.get('staging/customers').codeVersion).toMatch(/\|no-repairs$/);
    expect(graph.get('staging/sellers').codeVersion).toMatch(/\|repairs@\d+$/);
  });

  it("when the round-tripped sample loads, then customers' shortened zips are rejected as CONTRACT.INVALID_ZIP (the guard stops the asset) and sellers' are repaired", async () => {
    const customers = shortZips('olist_customers_dataset.csv', 2);
    const sellers = shortZips('olist_sellers_dataset.csv', 1);
    expect(customers).toBeGreaterThan(200); // a quarter of the customers: more than the 20% rejection limit
    const s = await env.materialize({ selection: 'raw/customers staging/customers raw/sellers staging/sellers', sourceDir: dir });
    const c = s.assets.find((a) => a.key === 'staging/customers');
    expect(c?.state).toBe('failed');
    expect(c?.error?.code).toBe('GUARD.REJECTION_RATE');
    expect(c?.error?.message).toContain(`quarantined (CONTRACT.INVALID_ZIP: ${customers})`);
    const sel = s.assets.find((a) => a.key === 'staging/sellers');
    expect(sel).toMatchObject({ state: 'materialized', rowsQuarantined: 0, repaired: sellers });
  }, 300_000);
});
