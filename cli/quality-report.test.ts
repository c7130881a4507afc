// dw quality's report and text: stored rows scored by the domain's rules, SLA marks, change since the previous run.
import { describe, expect, it } from 'vitest';
import { resolveSlaPolicy } from '../domain/quality';
import { change, exampleText, failuresText, historyText, pct, reportText } from './quality-format';
import { buildReport, observedValue, toExpectationResult } from './quality-report';
import { historyEntries } from './quality';
import { row } from '../test/support/quality-fixtures';

const policy = resolveSlaPolicy({ onBreach: 'warn' });

describe('toExpectationResult', () => {
  it('when rows were counted, then the score is the passing share', () => {
    const r = toExpectationResult(row({ assetKey: 'a', expectationId: 'x', evaluated: 200, failed: 10, outcome: 'fail' }));
    expect(r.score).toBeCloseTo(0.95, 12);
    expect(r.passed).toBe(false);
  });
  it('when an aggregate failed (1 item, 1 failed) or the counts do not show the outcome, then it scores 0 or 1 by its outcome', () => {
    expect(
      toExpectationResult(
        row({ assetKey: 'a', expectationId: 'x', kind: 'freshness', evaluated: 1, failed: 1, outcome: 'warn', severity: 'warn' }),
      ).score,
    ).toBe(0);
    expect(toExpectationResult(row({ assetKey: 'a', expectationId: 'x', evaluated: 50, failed: 0, outcome: 'fail' })).score).toBe(0);
    expect(toExpectationResult(row({ assetKey: 'a', expectationId: 'x', evaluated: 50, failed: 2, outcome: 'pass' })).score).toBe(1);
  });
  it('when the suite stored { value, message }, then the observed value is the value', () => {
    expect(observedValue({ value: 12.5, message: 'mean 12.5' })).toBe(12.5);
    expect(observedValue({ value: null, message: 'none' })).toBeNull();
    expect(observedValue([1, 2])).toBe('[1,2]');
  });
});

describe('buildReport', () => {
  const current = [
    row({ assetKey: 'dbt/dim_customer', expectationId: 'u', kind: 'unique', dimension: 'uniqueness', evaluated: 1000, failed: 0 }),
    row({
      assetKey: 'dbt/dim_customer',
      expectationId: 'n',
      dimension: 'completeness',
      evaluated: 1000,
      failed: 100,
      outcome: 'warn',
      severity: 'warn',
      weight: 3,
    }),
    row({ assetKey: 'domain/orders', expectationId: 'b', kind: 'between', dimension: 'validity', evaluated: 500, failed: 0 }),
  ];
  const previous = current.map((r) => ({ ...r, runId: 'run-1', failed: 0, outcome: 'pass' as const }));

  it('when two runs exist, then scores are weighted per dimension, asset and overall, with the change since the previous run', () => {
    const r = buildReport({ runId: 'run-2', at: '2026-11-29T10:00:00Z', rows: current }, { runId: 'run-1', rows: previous }, policy);
    // weights 1, 3, 1; scores 1, 0.9, 1
    expect(r.overall?.score).toBeCloseTo((1 + 3 * 0.9 + 1) / 5, 12);
    expect(r.overall?.delta).toBeCloseTo((1 + 3 * 0.9 + 1) / 5 - 1, 12);
    expect(r.overall).toMatchObject({ expectations: 3, passed: 2, failed: 1, evaluatedRows: 2500, failedRows: 100, status: 'warn' });
    expect(r.dimensions.map((d) => [d.dimension, d.score, d.status])).toEqual([
      ['completeness', 0.9, 'warn'],
      ['uniqueness', 1, 'pass'],
      ['validity', 1, 'pass'],
    ]);
    const dim = r.assets.find((a) => a.assetKey === 'dbt/dim_customer');
    expect(dim?.score).toBeCloseTo(0.925, 12);
    expect(dim?.previous).toBe(1);
    expect(r.previousRunId).toBe('run-1');
    expect(r.sla.reasons.map((x) => x.code)).toContain('QUALITY.OVERALL_BELOW_SLA');
  });

  it('when a blocking expectation fails, then its asset and the overall are ✘ block whatever the score', () => {
    const rows = [
      row({ assetKey: 'a', expectationId: 'x', evaluated: 1000, failed: 1, outcome: 'fail' }),
      row({ assetKey: 'b', expectationId: 'y' }),
    ];
    const r = buildReport({ runId: 'r', at: 't', rows }, null, policy);
    expect(r.overall?.status).toBe('block');
    expect(r.assets.map((a) => a.status)).toEqual(['block', 'pass']);
    expect(r.overall?.delta).toBeNull();
    expect(reportText(r)).toMatch(/^✘ overall 99\.95% \(new since no previous run\)/);
  });

  it('when an asset has its own floor, then it is judged against it', () => {
    const rows = [row({ assetKey: 'a', expectationId: 'x', evaluated: 100, failed: 2, outcome: 'warn', severity: 'warn' })];
    const r = buildReport({ runId: 'r', at: 't', rows }, null, resolveSlaPolicy({ assetFloors: { a: 0.99 }, onBreach: 'block' }));
    expect(r.assets[0]).toMatchObject({ floor: 0.99, status: 'block' });
  });

  it('when no run has results, then the report says so', () => {
    const r = buildReport(null, null, policy);
    expect(r.overall).toBeNull();
    expect(reportText(r)).toMatch(/no quality results yet/);
  });
});

describe('text', () => {
  it('formats scores as percent and changes as signed percentage points', () => {
    expect([pct(0.98765), pct(null), change(0.0123), change(-0.5), change(null)]).toEqual(['98.77%', '—', '+1.23 pp', '−50.00 pp', 'new']);
  });

  it('when history has runs with dimensions, then it prints one line per run with the dimension columns', () => {
    const h = (runId: string, dimension: string, score: number) => ({
      runId,
      startedAt: `2026-11-2${runId.slice(-1)}T00:00:00Z`,
      assetKey: '*',
      dimension,
      score,
      evaluated: 10,
      failed: 1,
      slaStatus: 'pass' as const,
    });
    const rows = [h('r1', 'overall', 0.99), h('r1', 'validity', 0.98), h('r2', 'overall', 0.97), h('r2', 'validity', 0.96)];
    const text = historyText(rows, false).split('\n');
    expect(text).toHaveLength(3);
    expect(text[0]).toMatch(/started\s+run\s+score\s+validity/);
    expect(text[2]).toMatch(/r2\s+✔ 97\.00%\s+96\.00%/);
    expect(historyEntries(rows)).toEqual([
      expect.objectContaining({ runId: 'r1', score: 0.99, dimensions: { validity: 0.98 } }),
      expect.objectContaining({ runId: 'r2', score: 0.97, dimensions: { validity: 0.96 } }),
    ]);
  });

  it('when failures have examples, then each shows its source file and record', () => {
    const r = row({
      assetKey: 'staging/orders',
      expectationId: 'orders.price.between',
      failed: 2,
      outcome: 'fail',
      observed: { value: 2, message: 'x' },
      examples: [{ sourceFile: 'olist_orders_dataset.csv', record: 17, values: { price: -1 } }],
    });
    const text = failuresText({ runId: 'r', total: 1, offset: 0, limit: 20, rows: [r] });
    expect(text).toContain('olist_orders_dataset.csv record 17: {"price":-1}');
    expect(text).toContain('2 of 100 failed, observed 2');
    expect(exampleText({ sourceFile: null, record: 3, values: {} })).toBe('record 3: {}');
    expect(exampleText({ sourceFile: 'f.csv', record: null, values: { a: 1 } })).toBe('f.csv: {"a":1}');
  });
});
