// Tests for scoring: weighted averages per asset, per dimension and overall; counts; empty and malformed inputs.
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import { judge } from './expectation.judge';
import { scoreResults } from './quality-score.service';

const results = [
  // dim_customer: completeness 0.9 (weight 1), uniqueness 1.0 (weight 3)
  judge(exp.notNull('dim_customer', 'id'), { evaluated: 10, failed: 1 }),
  judge(exp.unique('dim_customer', 'id', { weight: 3, severity: 'block' }), { evaluated: 10, failed: 0 }),
  // fact_orders: completeness aggregate fails (0, weight 1), blocking
  judge(exp.rowCountBetween('fact_orders', { min: 1 }, { severity: 'block' }), { rowCount: 0 }),
];

describe('quality scores', () => {
  it('when results are scored, then each asset gets the weighted average of its expectations', () => {
    const s = scoreResults(results);
    expect(Object.keys(s.byAsset)).toEqual(['dim_customer', 'fact_orders']);
    expect(s.byAsset.dim_customer).toEqual({
      score: (0.9 + 3 * 1) / 4,
      weight: 4,
      expectations: 2,
      passed: 1,
      failed: 1,
      blockingFailed: 0,
    });
    expect(s.byAsset.fact_orders).toEqual({ score: 0, weight: 1, expectations: 1, passed: 0, failed: 1, blockingFailed: 1 });
  });

  it('when results are scored, then dimensions and the overall score weigh every result once', () => {
    const s = scoreResults(results);
    expect(Object.keys(s.byDimension)).toEqual(['completeness', 'uniqueness']);
    expect(s.byDimension.completeness?.score).toBeCloseTo((0.9 + 0) / 2, 12);
    expect(s.byDimension.uniqueness?.score).toBe(1);
    expect(s.byDimension.validity).toBeUndefined();
    expect(s.overall).toEqual({ score: (0.9 + 3 + 0) / 5, weight: 5, expectations: 3, passed: 1, failed: 2, blockingFailed: 1 });
  });

  it('when a weight changes, then the overall score moves towards the heavier result', () => {
    const light = scoreResults([
      judge(exp.notNull('a', 'x', { weight: 1 }), { evaluated: 2, failed: 2 }),
      judge(exp.notNull('a', 'y', { weight: 1 }), { evaluated: 2, failed: 0 }),
    ]);
    const heavy = scoreResults([
      judge(exp.notNull('a', 'x', { weight: 9 }), { evaluated: 2, failed: 2 }),
      judge(exp.notNull('a', 'y', { weight: 1 }), { evaluated: 2, failed: 0 }),
    ]);
    expect(light.overall?.score).toBe(0.5);
    expect(heavy.overall?.score).toBeCloseTo(0.1, 12);
  });

  it('when there are no results, then there is no overall score and no groups', () => {
    expect(scoreResults([])).toEqual({ overall: null, byAsset: {}, byDimension: {} });
  });

  it('when a result carries a weight ≤ 0 or a score outside [0,1], then scoring throws', () => {
    const [first] = results;
    expect(() => scoreResults([{ ...first!, weight: 0 }])).toThrow(/'not_null:id' of dim_customer/);
    expect(() => scoreResults([{ ...first!, score: 1.5 }])).toThrow(RangeError);
    expect(() => scoreResults([{ ...first!, score: Number.NaN }])).toThrow(RangeError);
  });
});
