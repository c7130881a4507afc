// The score of a stored result row (dw_meta.expectation_results): the one rule that the run's scores and every reader use.
import { expectationScore } from './expectation-result.type';

/**
 * Kinds scored whole (1 passed, 0 failed) although they count rows: a quarantine rule that lost source records, a
 * failed ledger check or dbt test is a breach of that rule, not a small share of bad rows.
 */
export const WHOLE_SCORED_KINDS: readonly string[] = ['contract_rule', 'domain_rule', 'conservation', 'check', 'dbt_test'];

/** Row share (1 − failed/evaluated) when the failure shows in the counts and the kind is row-scored, else 1 passed / 0 not. */
export function storedResultScore(row: { kind: string; outcome: string; evaluated: number; failed: number }): number {
  const passed = row.outcome === 'pass';
  const rowScored = !WHOLE_SCORED_KINDS.includes(row.kind) && row.failed > 0 === !passed;
  return rowScored ? expectationScore(passed, row.evaluated, row.failed) : passed ? 1 : 0;
}
