// Tests for suite validation: a valid suite parses; each kind of mistake is reported naming the suite and the expectation.
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import { parseSuite } from './suite.schema';

const valid = {
  asset: 'dim_customer',
  expectations: [
    exp.notNull('dim_customer', 'customer_unique_id', { severity: 'block' }),
    exp.unique('dim_customer', 'customer_unique_id', { severity: 'block', weight: 2 }),
    exp.inSet('dim_customer', 'customer_segment', ['NEW', 'ONE_TIME', 'REGULAR', 'LOYAL', 'VIP', 'CHURNED']),
    exp.between('dim_customer', 'first_order_at', { min: '2016-01-01', max: '2019-01-01' }),
    exp.matches('dim_customer', 'zip', '^[0-9]{5}$'),
    exp.rowCountBetween('dim_customer', { min: 1 }),
    exp.columnPair('dim_customer', 'first_order_at', '<=', 'last_order_at'),
    exp.referential('dim_customer', 'state', { asset: 'dim_state', column: 'uf' }),
    exp.sumEquals('dim_customer', 'total_spent', { asset: 'fact_orders', column: 'total' }, { relative: 0.001 }),
    exp.freshness('dim_customer', 'last_order_at', 30),
    exp.shareDrift('dim_customer', 'customer_segment', 'VIP', { absolute: 0.01 }),
    exp.meanDrift('dim_customer', 'total_spent', { relative: 0.1 }),
  ],
};

function problem(input: unknown): string {
  const r = parseSuite(input);
  if (r.ok) throw new Error('expected the suite to be rejected');
  expect(r.error.code).toBe('QUALITY.INVALID_SUITE');
  return r.error.message;
}

const withOne = (e: object) => ({ asset: 'dim_customer', expectations: [exp.notNull('dim_customer', 'a'), e] });

describe('suite schema', () => {
  it('when every kind is declared correctly, then the suite parses, named after its asset unless named', () => {
    const r = parseSuite(valid);
    expect(r.ok && r.value.name).toBe('dim_customer');
    expect(r.ok && r.value.expectations).toEqual(valid.expectations);
    const named = parseSuite({ ...valid, name: 'customer-core' });
    expect(named.ok && named.value.name).toBe('customer-core');
  });

  it('when two expectations share an id, then the error names the suite, the id and its position', () => {
    const message = problem({
      name: 'customers',
      asset: 'dim_customer',
      expectations: [exp.notNull('dim_customer', 'a'), exp.notNull('dim_customer', 'a', { severity: 'block' })],
    });
    expect(message).toBe(
      "suite 'customers': expectation 'not_null:a' (#2) id: id 'not_null:a' is used twice in the suite: give one an explicit id",
    );
  });

  it('when a weight is zero or negative, then it is rejected naming the expectation', () => {
    expect(problem(withOne(exp.notNull('dim_customer', 'b', { weight: 0 })))).toBe(
      "suite 'dim_customer': expectation 'not_null:b' (#2) weight: weight must be > 0",
    );
    expect(problem(withOne(exp.notNull('dim_customer', 'b', { weight: -1 })))).toMatch(/weight must be > 0/);
  });

  it('when an expectation checks another asset than its suite, then it is rejected', () => {
    expect(problem(withOne(exp.notNull('fact_orders', 'b')))).toMatch(
      /expectation 'not_null:b' \(#2\) asset: checks asset 'fact_orders', not the suite's asset 'dim_customer'/,
    );
  });

  it('when a kind is declared with impossible parameters, then each mistake is reported', () => {
    expect(problem(withOne(exp.unique('dim_customer', [])))).toMatch(/unique:.*needs at least one column/);
    expect(problem(withOne(exp.unique('dim_customer', ['a', 'a'])))).toMatch(/columns repeat/);
    expect(problem(withOne(exp.inSet('dim_customer', 'b', [])))).toMatch(/needs at least one value/);
    expect(problem(withOne(exp.between('dim_customer', 'b', {})))).toMatch(/needs min or max/);
    expect(problem(withOne(exp.between('dim_customer', 'b', { min: 5, max: 1 })))).toMatch(/min is greater than max/);
    expect(problem(withOne(exp.rowCountBetween('dim_customer', { min: 5, max: 1 })))).toMatch(/min is greater than max/);
    expect(problem(withOne(exp.rowCountBetween('dim_customer', { min: 1.5 })))).toMatch(/row_count_between/);
    expect(problem(withOne(exp.matches('dim_customer', 'b', '([0-9]')))).toMatch(/is not a valid regular expression/);
    expect(problem(withOne(exp.columnPair('dim_customer', 'b', '<', 'b')))).toMatch(/compares a column with itself/);
    expect(problem(withOne(exp.freshness('dim_customer', 'b', -1)))).toMatch(/freshness:b/);
    expect(problem(withOne(exp.sumEquals('dim_customer', 'b', { asset: 'x', column: 'y' }, { absolute: -1 })))).toMatch(/tolerance/);
    expect(problem(withOne(exp.shareDrift('dim_customer', 'b', 'x', {})))).toMatch(/drift needs an absolute or relative tolerance/);
  });

  it('when a field is misspelt, unknown or of the wrong type, then zod names it', () => {
    expect(problem(withOne({ ...exp.notNull('dim_customer', 'b'), colum: 'c' }))).toMatch(/not_null:b.*colum/);
    expect(problem(withOne({ ...exp.notNull('dim_customer', 'b'), kind: 'not_nul' }))).toMatch(/expectation 'not_null:b' \(#2\) kind/);
    expect(problem(withOne({ ...exp.notNull('dim_customer', 'b'), severity: 'fatal' }))).toMatch(/severity/);
    expect(problem(withOne({ ...exp.notNull('dim_customer', 'b'), id: '' }))).toMatch(/expectation #2 id: must not be empty/);
  });

  it('when the suite itself is malformed, then the error still names what it can', () => {
    expect(problem({ asset: 'dim_customer', expectations: [] })).toBe(
      "suite 'dim_customer': expectations: a suite needs at least one expectation",
    );
    expect(problem(null)).toMatch(/^suite '\(unnamed\)': suite: /);
    expect(problem({ expectations: 'x' })).toMatch(/^suite '\(unnamed\)': asset: .*; expectations: /);
  });
});
