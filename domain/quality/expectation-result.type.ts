// ExpectationResult: the outcome of one expectation (or external check) in a run, and the score it contributes.
import type { ExpectationKind } from './expectation.types';
import type { FailingExample } from './observation.types';
import type { QualityDimension, Severity } from './quality-dimension.type';

export interface ExpectationResult {
  readonly expectationId: string;
  readonly asset: string;
  /** 'external' for contract rules, domain rules, row conservation and dbt tests adapted into results. */
  readonly kind: ExpectationKind | 'external';
  readonly dimension: QualityDimension;
  readonly severity: Severity;
  readonly weight: number;
  readonly passed: boolean;
  /** Rows looked at; null when the kind does not count rows. */
  readonly evaluated: number | null;
  /** Rows that broke the expectation; null when the kind does not count rows. */
  readonly failed: number | null;
  /** The measured value: a count, sum, statistic or newest timestamp; null when there is none. */
  readonly observed: number | string | null;
  /** failed / evaluated, null when no rows were counted or none evaluated. */
  readonly unexpectedShare: number | null;
  /** In [0,1]: 1 − failed/evaluated when rows are counted, else 1 if passed and 0 if not. */
  readonly score: number;
  readonly message: string;
  /** Up to MAX_EXAMPLES failing rows. */
  readonly examples: readonly FailingExample[];
}

/** The one rule for an expectation's score: row share when rows were counted (no rows evaluated scores 1), else pass/fail. */
export function expectationScore(passed: boolean, evaluated: number | null, failed: number | null): number {
  if (evaluated === null || failed === null) return passed ? 1 : 0;
  return evaluated === 0 ? 1 : 1 - failed / evaluated;
}

export const unexpectedShare = (evaluated: number | null, failed: number | null): number | null =>
  evaluated === null || failed === null || evaluated === 0 ? null : failed / evaluated;
