// Stored quality rows for the dw quality unit tests: small runs built field by field.
import type { StoredResult } from '../../activities/ledger/quality-read';

export function row(over: Partial<StoredResult> & Pick<StoredResult, 'assetKey' | 'expectationId'>): StoredResult {
  return {
    runId: 'run-2',
    partitionKey: '',
    suite: 'sales',
    kind: 'not_null',
    source: 'suite',
    dimension: 'completeness',
    severity: 'block',
    weight: 1,
    columnName: 'order_id',
    evaluated: 100,
    failed: 0,
    observed: null,
    outcome: 'pass',
    examples: [],
    evaluatedAt: '2026-11-29T10:00:00Z',
    ...over,
  };
}
