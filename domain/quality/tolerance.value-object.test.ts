// Tests for tolerances: absolute and relative allowances, inclusive boundaries despite float noise, descriptions.
import { describe, it, expect } from 'vitest';
import { allowedDifference, describeTolerance, withinTolerance } from './tolerance.value-object';

describe('tolerance', () => {
  it('when no allowance is given, then only equal values are within', () => {
    expect(withinTolerance(10, 10, {})).toBe(true);
    expect(withinTolerance(10.01, 10, {})).toBe(false);
  });

  it('when the difference sits exactly on the boundary, then it is within, even where floats add noise', () => {
    expect(withinTolerance(1.1, 1.05, { absolute: 0.05 })).toBe(true);
    expect(withinTolerance(1.05, 1.1, { absolute: 0.05 })).toBe(true);
    expect(withinTolerance(1.1001, 1.05, { absolute: 0.05 })).toBe(false);
    expect(withinTolerance(110, 100, { relative: 0.1 })).toBe(true);
    expect(withinTolerance(110.01, 100, { relative: 0.1 })).toBe(false);
  });

  it('when both allowances are given, then the larger band applies; the relative one is of the reference', () => {
    expect(allowedDifference(100, { absolute: 1, relative: 0.05 })).toBe(5);
    expect(allowedDifference(10, { absolute: 1, relative: 0.05 })).toBe(1);
    expect(allowedDifference(-100, { relative: 0.05 })).toBe(5);
    expect(withinTolerance(95, 100, { absolute: 1, relative: 0.05 })).toBe(true);
    expect(withinTolerance(94.9, 100, { absolute: 1, relative: 0.05 })).toBe(false);
  });

  it('when described, then the allowances read as ± amounts', () => {
    expect(describeTolerance({})).toBe('exactly');
    expect(describeTolerance({ absolute: 0.05 })).toBe('±0.05');
    expect(describeTolerance({ absolute: 1, relative: 0.02 })).toBe('±1 or ±2%');
  });
});
