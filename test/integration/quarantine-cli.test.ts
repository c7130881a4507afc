// dw quarantine: the summary by asset × rule (share of the asset's rows, first example) and the list sorted by count, paged.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dw as run } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource, parseRecords } from '../support/fixtures';

let env: TestEnv;
let source: string;
const dw = (args: string[]) => run(env, args);

beforeAll(async () => {
  env = await createTestEnv('quarantine_cli');
  await env.startWorker();
  source = copySource();
  const file = path.join(source, 'olist_customers_dataset.csv');
  const header = fs.readFileSync(file, 'utf8').split('\n')[0];
  // Records 1-3: a bad state; record 4: a bad zip. Three rows under one rule, one under another.
  const rows = parseRecords(file).map((r, i) => (i < 3 ? [...r.slice(0, 4), 'sp'] : i === 3 ? [r[0]!, r[1]!, 'abcde', ...r.slice(3)] : r));
  fs.writeFileSync(file, `${header}\n${stringify(rows)}`);
  const s = await env.materialize({ selection: 'raw/customers staging/customers', sourceDir: source });
  expect(s.rootCauses).toEqual([]);
}, 120_000);

afterAll(async () => {
  await env?.close();
  fs.rmSync(source, { recursive: true, force: true });
});

describe('dw quarantine', () => {
  it("when asked without a subcommand, then it summarizes by asset and rule with the share of the asset's rows and a first example", () => {
    const r = dw(['quarantine', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.total).toBe(4);
    expect(out.rules).toEqual([
      {
        assetKey: 'staging/customers',
        rule: 'CONTRACT.INVALID_STATE',
        rows: 3,
        percent: 0.3,
        example: { source: 'olist_customers_dataset.csv:1', reason: expect.stringContaining("customer_state: 'sp'") },
      },
      {
        assetKey: 'staging/customers',
        rule: 'CONTRACT.INVALID_ZIP',
        rows: 1,
        percent: 0.1,
        example: { source: 'olist_customers_dataset.csv:4', reason: expect.stringContaining("'abcde'") },
      },
    ]);
    expect(dw(['quarantine']).stdout).toMatch(/staging\/customers\s+CONTRACT\.INVALID_STATE\s+3\s+0\.3%\s+olist_customers_dataset\.csv:1/);
  });

  it('when the list is paged, then rows come most frequent rule first, with the total', () => {
    const all = JSON.parse(dw(['quarantine', 'list', '--json']).stdout);
    expect(all.total).toBe(4);
    expect(all.rows.map((r: { rule_code: string; source_row: number }) => [r.rule_code, r.source_row])).toEqual([
      ['CONTRACT.INVALID_STATE', 1],
      ['CONTRACT.INVALID_STATE', 2],
      ['CONTRACT.INVALID_STATE', 3],
      ['CONTRACT.INVALID_ZIP', 4],
    ]);
    const page = JSON.parse(dw(['quarantine', 'list', '--limit', '2', '--offset', '2', '--json']).stdout);
    expect(page).toMatchObject({ total: 4, offset: 2, limit: 2 });
    expect(page.rows.map((r: { source_row: number }) => r.source_row)).toEqual([3, 4]);
    expect(dw(['quarantine', 'list', '--limit', '2']).stdout).toContain('rows 1–2 of 4');
    expect(dw(['quarantine', 'list', '--offset', '-1']).code).toBe(2);
  });
});
