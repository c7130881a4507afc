// Tests for adapting external checks (contract, domain rules, row conservation, dbt tests) into expectation results.
import { describe, it, expect } from 'vitest';
import { dimensionForExternal, fromExternalCheck } from './external-check.adapter';
import { decideSla } from './sla.policy';

describe('external checks', () => {
  it('when a blocking check with row counts fails, then it is a blocking result scored by rows', () => {
    const r = fromExternalCheck({
      source: 'contract',
      name: 'CONTRACT.INVALID_ZIP',
      asset: 'staging/customers',
      passed: false,
      blocking: true,
      evaluated: 200,
      failed: 2,
      message: '2 zips quarantined',
    });
    expect(r).toEqual({
      expectationId: 'contract:CONTRACT.INVALID_ZIP',
      asset: 'staging/customers',
      kind: 'external',
      dimension: 'validity',
      severity: 'block',
      weight: 1,
      passed: false,
      evaluated: 200,
      failed: 2,
      observed: 2,
      unexpectedShare: 0.01,
      score: 0.99,
      message: '2 zips quarantined',
      examples: [],
    });
    expect(decideSla([r]).decision).toBe('block');
  });

  it('when a check has no row counts, then it scores 0 or 1', () => {
    const base = { source: 'row_conservation', name: 'row_conservation', asset: 'domain/sales/orders', blocking: true } as const;
    expect(fromExternalCheck({ ...base, passed: true })).toMatchObject({
      score: 1,
      evaluated: null,
      failed: null,
      dimension: 'completeness',
      message: 'passed',
      unexpectedShare: null,
    });
    expect(fromExternalCheck({ ...base, passed: false })).toMatchObject({ score: 0, message: 'failed' });
  });

  it('when a check says it failed with no failed rows, then it scores 0 rather than 1', () => {
    expect(
      fromExternalCheck({ source: 'domain_rule', name: 'SALES.X', asset: 'a', passed: false, blocking: false, evaluated: 10, failed: 0 })
        .score,
    ).toBe(0);
    expect(
      fromExternalCheck({ source: 'domain_rule', name: 'SALES.X', asset: 'a', passed: true, blocking: false, evaluated: 10, failed: 3 })
        .score,
    ).toBe(1);
  });

  it('when dbt tests are adapted, then the test name decides the dimension; other sources map by source', () => {
    expect(dimensionForExternal('dbt_test', 'not_null_dim_customer_customer_unique_id')).toBe('completeness');
    expect(dimensionForExternal('dbt_test', 'unique_fact_orders_order_id')).toBe('uniqueness');
    expect(dimensionForExternal('dbt_test', 'dbt_utils_unique_combination_of_columns_x')).toBe('uniqueness');
    expect(dimensionForExternal('dbt_test', 'relationships_fact_orders_customer_id__customer_id__ref_dim_customer_')).toBe('consistency');
    expect(dimensionForExternal('dbt_test', 'accepted_values_dim_customer_segment')).toBe('validity');
    expect(dimensionForExternal('dbt_test', 'dbt_utils_recency_fact_orders')).toBe('timeliness');
    expect(dimensionForExternal('dbt_test', 'assert_gmv_positive')).toBe('validity');
    expect(dimensionForExternal('domain_rule', 'SALES.PAYMENT_MISMATCH')).toBe('consistency');
    expect(
      fromExternalCheck({ source: 'dbt_test', name: 'x', asset: 'a', passed: true, blocking: false, dimension: 'accuracy', weight: 2 }),
    ).toMatchObject({ dimension: 'accuracy', weight: 2, severity: 'warn' });
  });

  it('when examples and an observed value are given, then they are carried (examples capped at 20)', () => {
    const examples = Array.from({ length: 22 }, (_, i) => ({ values: { id: i } }));
    const r = fromExternalCheck({ source: 'dbt_test', name: 'x', asset: 'a', passed: false, blocking: false, observed: 'n/a', examples });
    expect(r.examples).toHaveLength(20);
    expect(r.observed).toBe('n/a');
    expect(fromExternalCheck({ source: 'contract', name: 'x', asset: 'a', passed: true, blocking: false, evaluated: 5 })).toMatchObject({
      evaluated: 5,
      failed: null,
      score: 1,
    });
  });

  it('when counts or weight are impossible, then adapting throws (a bug in the caller)', () => {
    const base = { source: 'contract', name: 'x', asset: 'a', passed: false, blocking: false } as const;
    expect(() => fromExternalCheck({ ...base, evaluated: 1, failed: 2 })).toThrow(/failed ≤ evaluated, got 2\/1/);
    expect(() => fromExternalCheck({ ...base, evaluated: -1, failed: 0 })).toThrow(RangeError);
    expect(() => fromExternalCheck({ ...base, weight: 0 })).toThrow(/weight must be > 0/);
  });
});
