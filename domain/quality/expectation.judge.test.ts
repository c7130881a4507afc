// Tests for judge: each kind's rule on its observation, boundaries, empty inputs, example capping and malformed observations.
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import { judge } from './expectation.judge';
import type { FailingExample } from './observation.types';

const A = 'dim_customer';

describe('judge: row-level kinds', () => {
  it('when no row failed, then it passes with score 1 and nothing unexpected', () => {
    const r = judge(exp.notNull(A, 'customer_unique_id', { severity: 'block', weight: 2 }), { evaluated: 100, failed: 0 });
    expect(r).toEqual({
      expectationId: 'not_null:customer_unique_id',
      asset: A,
      kind: 'not_null',
      dimension: 'completeness',
      severity: 'block',
      weight: 2,
      passed: true,
      evaluated: 100,
      failed: 0,
      observed: 0,
      unexpectedShare: 0,
      score: 1,
      message: 'all 100 rows pass',
      examples: [],
    });
  });

  it('when some rows fail, then it fails with score 1 − failed/evaluated and a message saying what they did', () => {
    const r = judge(exp.notNull(A, 'customer_unique_id'), { evaluated: 200, failed: 3 });
    expect(r).toMatchObject({
      passed: false,
      failed: 3,
      unexpectedShare: 0.015,
      score: 0.985,
      message: '3 of 200 rows (1.50%) have no customer_unique_id',
    });
  });

  it('when every row fails, then the score is 0', () => {
    expect(judge(exp.inSet(A, 's', ['A', 'B']), { evaluated: 7, failed: 7 })).toMatchObject({
      passed: false,
      score: 0,
      unexpectedShare: 1,
      message: '7 of 7 rows (100.00%) have a s not in {A, B}',
    });
  });

  it('when zero rows were evaluated, then it passes vacuously with score 1 and no unexpected share', () => {
    expect(judge(exp.unique(A, 'id'), { evaluated: 0, failed: 0 })).toMatchObject({
      passed: true,
      score: 1,
      unexpectedShare: null,
      message: 'no rows to evaluate',
    });
  });

  it('when each row-level kind fails, then its message names its rule', () => {
    const fail = { evaluated: 4, failed: 1 };
    expect(judge(exp.unique(A, ['a', 'b']), fail).message).toMatch(/share their \(a, b\) with another row/);
    expect(judge(exp.between(A, 'p', { min: 0 }), fail).message).toMatch(/have a p outside \[0, ∞\]/);
    expect(judge(exp.between(A, 'p', { max: 9 }), fail).message).toMatch(/outside \[−∞, 9\]/);
    expect(judge(exp.matches(A, 'zip', '^\\d{5}$'), fail).message).toMatch(/not matching \/\^\\d\{5\}\$\//);
    expect(judge(exp.columnPair(A, 'a', '<', 'b'), fail).message).toMatch(/break a < b/);
    expect(judge(exp.referential(A, 'c', { asset: 'dim_x', column: 'id' }), fail).message).toMatch(/missing from dim_x.id/);
  });

  it('when more than 20 failing examples are observed, then the first 20 are carried through with their provenance', () => {
    const examples: FailingExample[] = Array.from({ length: 25 }, (_, i) => ({
      values: { id: `c${i}` },
      sourceSha256: 'abc',
      sourceRow: i + 2,
    }));
    const r = judge(exp.notNull(A, 'id'), { evaluated: 100, failed: 25, examples });
    expect(r.examples).toHaveLength(20);
    expect(r.examples[0]).toEqual({ values: { id: 'c0' }, sourceSha256: 'abc', sourceRow: 2 });
    expect(r.examples[19]?.sourceRow).toBe(21);
  });

  it('when an observation is malformed, then judging throws naming the expectation (a bug in the activity)', () => {
    const e = exp.notNull(A, 'id');
    expect(() => judge(e, { evaluated: 5, failed: 6 })).toThrow(/'not_null:id'.*6 failed rows of only 5/);
    expect(() => judge(e, { evaluated: -1, failed: 0 })).toThrow(RangeError);
    expect(() => judge(e, { evaluated: 1.5, failed: 0 })).toThrow(/evaluated must be a non-negative integer/);
    expect(() => judge(e, { rowCount: 5 } as never)).toThrow(/evaluated must be a non-negative integer, got undefined/);
    expect(() => judge(e, null as never)).toThrow(/no observation/);
  });
});

describe('judge: aggregate kinds', () => {
  it('when the row count is within [min, max], inclusive, then it passes; outside, it fails with score 0', () => {
    const e = exp.rowCountBetween(A, { min: 1, max: 10 });
    expect(judge(e, { rowCount: 1 })).toMatchObject({
      passed: true,
      score: 1,
      observed: 1,
      evaluated: 1,
      failed: null,
      unexpectedShare: null,
    });
    expect(judge(e, { rowCount: 10 }).passed).toBe(true);
    expect(judge(e, { rowCount: 0 })).toMatchObject({ passed: false, score: 0, message: 'row count 0 is outside [1, 10]' });
    expect(judge(e, { rowCount: 11 }).passed).toBe(false);
    expect(judge(exp.rowCountBetween(A, { max: 3 }), { rowCount: 0 })).toMatchObject({
      passed: true,
      message: 'row count 0 is within [−∞, 3]',
    });
    expect(() => judge(e, { rowCount: -2 })).toThrow(/rowCount/);
  });

  it('when two sums differ by no more than the tolerance, then they reconcile; just beyond, they do not', () => {
    const e = exp.sumEquals('fact_orders', 'gmv', { asset: 'sales/items', column: 'price' }, { absolute: 0.05 });
    expect(judge(e, { observed: 1000.05, expected: 1000 })).toMatchObject({ passed: true, score: 1, observed: 1000.05 });
    const off = judge(e, { observed: 1000.06, expected: 1000 });
    expect(off.passed).toBe(false);
    expect(off.message).toMatch(/^sum\(gmv\) 1000.06 vs sum\(sales\/items.price\) 1000: difference .* exceeds ±0.05 \(allowed 0.05\)$/);
    const relative = exp.sumEquals('fact_orders', 'gmv', { asset: 'sales/items', column: 'price' }, { relative: 0.01 });
    expect(judge(relative, { observed: 990, expected: 1000 }).passed).toBe(true);
    expect(judge(relative, { observed: 989, expected: 1000 }).passed).toBe(false);
    expect(() => judge(e, { observed: Number.NaN, expected: 1 })).toThrow(/observed must be a finite number/);
  });

  it('when the newest timestamp is at most N calendar days before the as-of date, then it is fresh; N + 1 is stale', () => {
    const e = exp.freshness('fact_orders', 'purchased_at', 3);
    expect(judge(e, { newest: '2018-08-29 23:59:59', asOf: '2018-09-01' })).toMatchObject({
      passed: true,
      observed: '2018-08-29 23:59:59',
      score: 1,
    });
    const stale = judge(e, { newest: '2018-08-28 23:59:59', asOf: '2018-09-01' });
    expect(stale).toMatchObject({
      passed: false,
      score: 0,
      message: 'newest purchased_at 2018-08-28 23:59:59 is 4 days before as-of 2018-09-01 (at most 3 days old allowed)',
    });
    expect(judge(e, { newest: '2018-09-03', asOf: '2018-09-01' })).toMatchObject({
      passed: true,
      message: expect.stringContaining('2 days after as-of'),
    });
    expect(judge(e, { newest: null, asOf: '2018-09-01' })).toMatchObject({
      passed: false,
      observed: null,
      message: 'no purchased_at values: nothing to show the data is fresh',
    });
    expect(() => judge(e, { newest: 'yesterday', asOf: '2018-09-01' })).toThrow(RangeError);
  });

  it('when a share drifts by no more than the tolerance from the previous version, then it passes; beyond, it fails', () => {
    const e = exp.shareDrift('mart_exec', 'status', 'canceled', { absolute: 0.02 });
    expect(judge(e, { observed: 0.03, previous: 0.01, evaluated: 500 })).toMatchObject({
      passed: true,
      evaluated: 500,
      failed: null,
      score: 1,
    });
    const drifted = judge(e, { observed: 0.031, previous: 0.01 });
    expect(drifted).toMatchObject({ passed: false, score: 0, evaluated: null });
    expect(drifted.message).toMatch(
      /^share of status = canceled is 0.031 vs 0.01 in the previous version: change \+0.02\d* exceeds ±0.02$/,
    );
    expect(judge(e, { observed: 0.01, previous: 0.05 }).message).toMatch(/change -0.04 exceeds/);
    expect(() => judge(e, { observed: 1.2, previous: 0.5 })).toThrow(/share must be in \[0,1\]/);
  });

  it('when there is no previous version, then drift passes with a note; with no rows now, it fails', () => {
    const e = exp.meanDrift('mart_exec', 'aov', { relative: 0.1 });
    expect(judge(e, { observed: 150, previous: null })).toMatchObject({
      passed: true,
      observed: 150,
      message: 'mean of aov is 150; no previous successful version to compare with, so it passes',
    });
    expect(judge(e, { observed: null, previous: 150, evaluated: 0 })).toMatchObject({
      passed: false,
      evaluated: 0,
      message: 'mean of aov cannot be computed: no rows in this version',
    });
    expect(judge(e, { observed: 110, previous: 100 }).passed).toBe(true);
    expect(judge(e, { observed: 111, previous: 100 }).passed).toBe(false);
  });
});
