// Pure parts of the quality activities: a judged result as a stored row, the ledger checks of a suite run, the rules an asset can break.
import { describe, expect, it } from 'vitest';
import { qualityChecks } from './evaluate';
import { rulesOf } from './external';
import { toStored, type StoredResult } from './store';
import { platformAssets } from '../../assets';
import { expect as e, judge } from '../../domain/quality';

const at = { runId: 'r', assetKey: 'dbt/dim_customer', partitionKey: '', suite: 'dim_customer', source: 'suite' as const };

describe('toStored', () => {
  it('when a row-level expectation fails, then the row keeps its counts, the outcome follows the severity and examples carry file and record', () => {
    const x = e.notNull('dim_customer', 'customer_unique_id', { severity: 'block' });
    const r = judge(x, {
      evaluated: 10,
      failed: 2,
      examples: [{ values: { customer_unique_id: null }, sourceFile: 'f.csv', sourceRow: 7 }],
    });
    const s = toStored(r, { ...at, columnName: 'customer_unique_id' });
    expect(s).toMatchObject({ evaluated: 10, failed: 2, outcome: 'fail', kind: 'not_null', columnName: 'customer_unique_id' });
    expect(s.examples).toEqual([{ sourceFile: 'f.csv', record: 7, values: { customer_unique_id: null } }]);
  });

  it('when an aggregate expectation (no row counts) warns, then it counts as one evaluated item that failed', () => {
    const r = judge(e.meanDrift('m', 'rate', { absolute: 0.01 }), { observed: 0.2, previous: 0.1 });
    expect(toStored(r, at)).toMatchObject({ evaluated: 1, failed: 1, outcome: 'warn', observed: { value: 0.2 } });
  });
});

describe('qualityChecks', () => {
  const row = (outcome: StoredResult['outcome'], id: string): StoredResult => ({
    ...toStored(judge(e.notNull('a', 'c', { id }), { evaluated: 1, failed: outcome === 'pass' ? 0 : 1 }), at),
    outcome,
  });
  it('when a blocking expectation failed, then the blocking check fails naming it, and a warning fails only the warning check', () => {
    const [block, warn] = qualityChecks([row('fail', 'x'), row('warn', 'y'), row('pass', 'z')]);
    expect(block).toMatchObject({ blocking: true, passed: false });
    expect(block?.message).toMatch(/^x: /);
    expect(warn).toMatchObject({ blocking: false, passed: false });
    expect(warn?.message).toMatch(/^y: /);
  });
  it('when there are no suite results, then there are no checks', () => {
    expect(qualityChecks([])).toEqual([]);
  });
});

describe('rulesOf', () => {
  const asset = (key: string) => platformAssets().find((a) => a.key === key)!;
  it("when the asset is a staging asset, then its rules are its contract's column rules; a domain asset, its context's rules", () => {
    expect(rulesOf(asset('staging/order_items'))).toEqual(
      expect.arrayContaining(['CONTRACT.INVALID_NUMBER', 'CONTRACT.INVALID_ID', 'CONTRACT.REQUIRED_MISSING']),
    );
    expect(rulesOf(asset('domain/sales/orders'))).toEqual(expect.arrayContaining(['SALES.UNKNOWN_STATUS', 'SALES.PAYMENT_MISMATCH']));
    expect(rulesOf(asset('raw/orders'))).toEqual([]);
  });
});
