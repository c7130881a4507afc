// Tests for on-time and delay decided by calendar date.
import { describe, it, expect } from 'vitest';
import { deliveryPerformance } from './delivery-performance.value-object';

describe('delivery performance', () => {
  it('when delivered at 18:00 on the estimated day, then it is on time with 0 delay days', () => {
    expect(deliveryPerformance('2018-08-07 18:00:00', '2018-08-07 00:00:00')).toEqual({ onTime: true, delayDays: 0 });
  });
  it('when delivered at 23:59:59 on the estimated day, then it is still on time', () => {
    expect(deliveryPerformance('2018-08-07 23:59:59', '2018-08-07 00:00:00').onTime).toBe(true);
  });
  it('when delivered before the estimated date, then it is on time and the delay is 0, not negative', () => {
    expect(deliveryPerformance('2018-06-19 12:44:08', '2018-07-17 00:00:00')).toEqual({ onTime: true, delayDays: 0 });
  });
  it('when delivered at 00:01 the day after the estimate, then it is 1 day late', () => {
    expect(deliveryPerformance('2018-08-08 00:01:00', '2018-08-07 00:00:00')).toEqual({ onTime: false, delayDays: 1 });
  });
  it('when delivered across a month end, then the delay counts calendar days', () => {
    expect(deliveryPerformance('2018-03-02 10:00:00', '2018-02-27 00:00:00')).toEqual({ onTime: false, delayDays: 3 });
  });
});
