// Tests for the SLA policy: the 95% floor and its boundary, per-asset floors, block over warn precedence, reasons, configuration.
import { describe, it, expect } from 'vitest';
import { expect as exp } from './expectation.builders';
import { judge } from './expectation.judge';
import { DEFAULT_SLA_POLICY, decideSla, resolveSlaPolicy } from './sla.policy';

const rows = (asset: string, column: string, evaluated: number, failed: number, severity: 'warn' | 'block' = 'warn') =>
  judge(exp.notNull(asset, column, { severity }), { evaluated, failed });

describe('SLA policy', () => {
  it('when every expectation passes, then the decision is pass with no reasons', () => {
    const v = decideSla([rows('a', 'x', 10, 0), rows('b', 'y', 10, 0, 'block')]);
    expect(v.decision).toBe('pass');
    expect(v.reasons).toEqual([]);
    expect(v.scores.overall?.score).toBe(1);
  });

  it('when the overall score is exactly 95%, then it meets the SLA (only the warn failure is reported); below, it breaches', () => {
    const at = decideSla([rows('a', 'x', 100, 5)]);
    expect(at.decision).toBe('warn');
    expect(at.reasons.map((r) => r.code)).toEqual(['QUALITY.EXPECTATION_WARNED']);
    const below = decideSla([rows('a', 'x', 100, 6)]);
    expect(below.decision).toBe('block');
    expect(below.reasons.map((r) => r.code)).toEqual(['QUALITY.OVERALL_BELOW_SLA', 'QUALITY.EXPECTATION_WARNED']);
    expect(below.reasons[0]?.message).toBe('overall score 94.00% is below the SLA of 95.00%');
  });

  it('when a weighted average is the floor exactly but floats put it a hair below, then the SLA is still met', () => {
    const results = [
      judge(exp.notNull('a', 'x', { weight: 1 }), { evaluated: 20, failed: 1 }),
      judge(exp.notNull('a', 'y', { weight: 2 }), { evaluated: 20, failed: 1 }),
    ];
    const v = decideSla(results);
    expect(v.scores.overall?.score).toBeLessThan(0.95);
    expect(v.reasons.map((r) => r.code)).not.toContain('QUALITY.OVERALL_BELOW_SLA');
    expect(decideSla(results, resolveSlaPolicy({ assetFloors: { a: 0.95 } })).reasons.map((r) => r.code)).not.toContain(
      'QUALITY.ASSET_BELOW_FLOOR',
    );
  });

  it('when a blocking expectation fails, then the decision is block even though the score meets the SLA', () => {
    const v = decideSla([rows('a', 'x', 1000, 1, 'block'), rows('a', 'y', 1000, 1)]);
    expect(v.scores.overall?.score).toBeGreaterThan(0.99);
    expect(v.decision).toBe('block');
    expect(v.reasons[0]).toEqual({
      code: 'QUALITY.BLOCKING_EXPECTATION_FAILED',
      level: 'block',
      asset: 'a',
      expectationId: 'not_null:x',
      message: 'a not_null:x: 1 of 1000 rows (0.10%) have no x',
    });
    expect(v.reasons[1]?.level).toBe('warn');
  });

  it('when breaches are configured to warn, then a low score warns but a blocking failure still blocks', () => {
    const policy = resolveSlaPolicy({ onBreach: 'warn' });
    expect(decideSla([rows('a', 'x', 10, 5)], policy).decision).toBe('warn');
    expect(decideSla([rows('a', 'x', 10, 5), rows('a', 'y', 10, 1, 'block')], policy).decision).toBe('block');
  });

  it('when an asset has a floor, then it is judged on its own score; assets without results are not judged', () => {
    const policy = resolveSlaPolicy({ assetFloors: { dim_customer: 0.99, fact_orders: 0.5, absent: 1 } });
    const v = decideSla(
      [rows('dim_customer', 'x', 1000, 11), ...Array.from({ length: 9 }, (_, i) => rows('fact_orders', `c${i}`, 10, 0))],
      policy,
    );
    expect(v.scores.overall!.score).toBeGreaterThan(0.95);
    expect(v.decision).toBe('block');
    expect(v.reasons.map((r) => [r.code, r.asset])).toEqual([
      ['QUALITY.ASSET_BELOW_FLOOR', 'dim_customer'],
      ['QUALITY.EXPECTATION_WARNED', 'dim_customer'],
    ]);
    expect(v.reasons[0]?.message).toBe('dim_customer scores 98.90%, below its floor of 99.00%');
  });

  it('when there are no results, then the decision is warn: quality is unknown', () => {
    expect(decideSla([])).toMatchObject({ decision: 'warn', reasons: [{ code: 'QUALITY.NO_RESULTS', level: 'warn' }] });
  });

  it('when the policy is configured, then defaults are kept and bad floors fail loudly', () => {
    expect(resolveSlaPolicy()).toEqual(DEFAULT_SLA_POLICY);
    expect(DEFAULT_SLA_POLICY).toEqual({ overallFloor: 0.95, assetFloors: {}, onBreach: 'block' });
    expect(resolveSlaPolicy({ overallFloor: 0.9 }).overallFloor).toBe(0.9);
    expect(() => resolveSlaPolicy({ overallFloor: 95 })).toThrow(/overallFloor must be a number in \[0,1\], got 95/);
    expect(() => resolveSlaPolicy({ assetFloors: { a: -0.1 } })).toThrow(/assetFloors.a/);
    expect(() => resolveSlaPolicy({ overallFloor: Number.NaN })).toThrow(RangeError);
    expect(() => resolveSlaPolicy({ onBreach: 'stop' as never })).toThrow(/onBreach/);
  });
});
