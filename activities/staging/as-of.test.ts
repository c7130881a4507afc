// The load's as-of date from DW_AS_OF: a calendar date or unset; anything else stops the activity without retries.
import { describe, expect, it } from 'vitest';
import { configuredAsOf } from './as-of';

describe('DW_AS_OF', () => {
  it("when it is unset or empty, then there is none (the run's start date is used)", () => {
    expect(configuredAsOf({})).toBeUndefined();
    expect(configuredAsOf({ DW_AS_OF: '' })).toBeUndefined();
  });

  it('when it is a date, then it is the as-of date', () => {
    expect(configuredAsOf({ DW_AS_OF: '2018-10-17' })).toBe('2018-10-17');
  });

  it('when it is not a YYYY-MM-DD date, then CONFIG.INVALID names the variable, non-retryable', () => {
    for (const bad of ['2018-13-01', '17/10/2018', '2018-10-17 00:00:00', 'today']) {
      expect(() => configuredAsOf({ DW_AS_OF: bad }), bad).toThrow(
        expect.objectContaining({
          type: 'CONFIG.INVALID',
          nonRetryable: true,
          message: expect.stringContaining(`DW_AS_OF must be a date 'YYYY-MM-DD', got '${bad}'`),
        }),
      );
    }
  });
});
