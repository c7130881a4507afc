// Tests for storedResultScore: row share for row-level results, whole for rules, checks and dbt tests.
import { describe, expect, it } from 'vitest';
import { storedResultScore } from './stored-result-score';

describe('storedResultScore', () => {
  it('when a suite result failed some rows, then it scores the passing share', () => {
    expect(storedResultScore({ kind: 'not_null', outcome: 'warn', evaluated: 200, failed: 10 })).toBeCloseTo(0.95, 12);
  });
  it('when a quarantine rule lost rows, then it scores 0 whatever the share; passing scores 1', () => {
    expect(storedResultScore({ kind: 'domain_rule', outcome: 'warn', evaluated: 1000, failed: 1 })).toBe(0);
    expect(storedResultScore({ kind: 'contract_rule', outcome: 'pass', evaluated: 1000, failed: 0 })).toBe(1);
  });
  it('when an aggregate result failed (one item, failed 1), then it scores 0', () => {
    expect(storedResultScore({ kind: 'drift', outcome: 'warn', evaluated: 1, failed: 1 })).toBe(0);
  });
  it('when a result says it failed but counts no failed row, then it scores 0, not 1', () => {
    expect(storedResultScore({ kind: 'between', outcome: 'fail', evaluated: 5, failed: 0 })).toBe(0);
  });
});
