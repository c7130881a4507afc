// Tests for segmentation: each segment at and across its default thresholds, overrides, and bad configuration.
import { describe, it, expect } from 'vitest';
import { DEFAULT_SEGMENT_THRESHOLDS, resolveThresholds, segmentFor } from './customer-segment.policy';

const seg = (orders: number, reais: number, recencyDays: number | null, t = DEFAULT_SEGMENT_THRESHOLDS) =>
  segmentFor({ orders, totalSpentCentavos: Math.round(reais * 100), recencyDays }, t);

describe('customer segmentation', () => {
  it('when a person has no order yet, then NEW', () => {
    expect(seg(0, 0, null)).toBe('NEW');
  });
  it('when more than 180 days have passed since the last order, then CHURNED whatever the orders; 180 days is not churned', () => {
    expect(seg(10, 5000, 181)).toBe('CHURNED');
    expect(seg(1, 10, 181)).toBe('CHURNED');
    expect(seg(1, 10, 180)).toBe('ONE_TIME');
  });
  it('when more than 5 orders and more than R$ 1,000 spent, then VIP; exactly R$ 1,000.00 is LOYAL', () => {
    expect(seg(6, 1000.01, 0)).toBe('VIP');
    expect(seg(6, 1000, 0)).toBe('LOYAL');
  });
  it('when more than 5 orders, then LOYAL; 5 orders is REGULAR even with a large spend', () => {
    expect(seg(6, 50, 10)).toBe('LOYAL');
    expect(seg(5, 9999, 10)).toBe('REGULAR');
  });
  it('when 2 to 5 orders, then REGULAR; 1 order is ONE_TIME', () => {
    expect(seg(2, 20, 10)).toBe('REGULAR');
    expect(seg(1, 20, 10)).toBe('ONE_TIME');
  });
  it('when thresholds are overridden, then the new limits apply', () => {
    const t = resolveThresholds({ churnAfterDays: 90, frequentOrdersAbove: 2, vipSpentAboveCentavos: 10_000, regularMinOrders: 2 });
    expect(seg(1, 10, 91, t)).toBe('CHURNED');
    expect(seg(3, 100.01, 5, t)).toBe('VIP');
    expect(seg(3, 100, 5, t)).toBe('LOYAL');
    expect(resolveThresholds()).toEqual(DEFAULT_SEGMENT_THRESHOLDS);
  });
  it('when a threshold is negative, fractional or makes 1 order REGULAR, then configuration fails loudly', () => {
    expect(() => resolveThresholds({ churnAfterDays: -1 })).toThrow(/churnAfterDays/);
    expect(() => resolveThresholds({ vipSpentAboveCentavos: 10.5 })).toThrow(RangeError);
    expect(() => resolveThresholds({ regularMinOrders: 1 })).toThrow(/regularMinOrders/);
  });
});
