// Tests for comparing score sets: deltas per asset, dimension and overall; new and removed assets; the first run.
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import { judge } from './expectation.judge';
import { scoreResults } from './quality-score.service';
import { compareScores } from './score-comparison.service';

const previous = scoreResults([
  judge(exp.notNull('dim_customer', 'id'), { evaluated: 10, failed: 0 }),
  judge(exp.inSet('old_asset', 's', ['x']), { evaluated: 10, failed: 5 }),
]);
const current = scoreResults([
  judge(exp.notNull('dim_customer', 'id'), { evaluated: 10, failed: 2 }),
  judge(exp.freshness('fact_orders', 'at', 1), { newest: '2018-01-01', asOf: '2018-01-01' }),
]);

describe('score comparison', () => {
  it('when an asset is scored in both runs, then its delta is current − previous', () => {
    const c = compareScores(current, previous);
    expect(c.byAsset.dim_customer?.previous).toBe(1);
    expect(c.byAsset.dim_customer?.current).toBe(0.8);
    expect(c.byAsset.dim_customer?.delta).toBeCloseTo(-0.2, 12);
    expect(c.overall.delta).toBeCloseTo((0.8 + 1) / 2 - (1 + 0.5) / 2, 12);
    expect(c.byDimension.completeness?.delta).toBeCloseTo(-0.2, 12);
  });

  it('when an asset or dimension is new or gone, then the missing side is null and so is the delta', () => {
    const c = compareScores(current, previous);
    expect(Object.keys(c.byAsset)).toEqual(['dim_customer', 'fact_orders', 'old_asset']);
    expect(c.byAsset.fact_orders).toEqual({ current: 1, previous: null, delta: null });
    expect(c.byAsset.old_asset).toEqual({ current: null, previous: 0.5, delta: null });
    expect(c.byDimension.timeliness).toEqual({ current: 1, previous: null, delta: null });
    expect(c.byDimension.validity).toEqual({ current: null, previous: 0.5, delta: null });
  });

  it('when there is no previous run, then every delta is null', () => {
    const c = compareScores(current, null);
    expect(c.overall).toEqual({ current: 0.9, previous: null, delta: null });
    expect(Object.values(c.byAsset).every((d) => d.delta === null)).toBe(true);
  });
});
