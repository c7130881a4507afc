// Tests for naive timestamps: zone-free parsing, date parts, calendar-day differences.
import { describe, it, expect } from 'vitest';
import {
  compareNaive,
  datePart,
  daysBetweenDates,
  daysFromCivil,
  isNaiveTimestamp,
  latestOf,
  parseNaiveDate,
  parseNaiveTimestamp,
} from './naive-time.util';

describe('naive time', () => {
  it('when a timestamp is parsed, then it is seconds since 1970-01-01 on the same naive clock', () => {
    expect(parseNaiveTimestamp('1970-01-01 00:00:00')).toEqual({ ok: true, value: 0 });
    expect(parseNaiveTimestamp('1970-01-02 01:01:01')).toEqual({ ok: true, value: 86400 + 3661 });
    // 2018-06-12 20:07:44 taken as UTC gives 1528834064; no local zone may shift it.
    expect(parseNaiveTimestamp('2018-06-12 20:07:44')).toEqual({ ok: true, value: 1528834064 });
    expect(parseNaiveTimestamp('2016-02-29 23:59:59').ok).toBe(true);
  });

  it('when the text is not a real timestamp, then parsing fails with a reason', () => {
    for (const bad of [
      '2018-06-12',
      '2018-06-12T20:07:44',
      '2018-13-01 00:00:00',
      '2017-02-29 00:00:00',
      '2018-04-31 00:00:00',
      '2018-01-01 24:00:00',
      '2018-01-01 00:60:00',
      '2018-01-01 00:00:60',
      '',
    ]) {
      expect(isNaiveTimestamp(bad)).toBe(false);
    }
    expect(parseNaiveTimestamp('x')).toEqual({ ok: false, error: "'x' is not a 'YYYY-MM-DD HH:MM:SS' timestamp" });
  });

  it('when a date is parsed, then it is days since 1970-01-01, and bad dates fail', () => {
    expect(parseNaiveDate('1970-01-01')).toEqual({ ok: true, value: 0 });
    expect(parseNaiveDate('2000-03-01')).toEqual({ ok: true, value: daysFromCivil(2000, 3, 1) });
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 2, 29)).toBe(11016);
    expect(parseNaiveDate('1900-02-29').ok).toBe(false);
    expect(parseNaiveDate('2018-1-01').ok).toBe(false);
  });

  it('when days between two timestamps are counted, then only calendar dates matter', () => {
    expect(datePart('2018-06-19 12:44:08')).toBe('2018-06-19');
    expect(daysBetweenDates('2018-01-30 23:59:59', '2018-02-01 00:00:01')).toBe(2);
    expect(daysBetweenDates('2018-02-01', '2018-01-30 10:00:00')).toBe(-2);
    expect(daysBetweenDates('2016-12-31', '2017-12-31')).toBe(365);
    expect(() => daysBetweenDates('bad', '2018-01-01')).toThrow(RangeError);
  });

  it('when timestamps are compared or the latest is asked for, then string order is time order and nulls are ignored', () => {
    expect(compareNaive('2018-01-01 00:00:00', '2018-01-01 00:00:01')).toBe(-1);
    expect(compareNaive('2018-01-02 00:00:00', '2018-01-01 23:59:59')).toBe(1);
    expect(compareNaive('2018-01-01 00:00:00', '2018-01-01 00:00:00')).toBe(0);
    expect(latestOf(null, '2018-01-01 00:00:00', '2017-01-01 00:00:00', null)).toBe('2018-01-01 00:00:00');
    expect(latestOf(null, null)).toBeNull();
  });
});
