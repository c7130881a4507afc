// External checks (contract rules, domain rules, row conservation, dbt tests) adapted into ExpectationResults, with a dimension mapping.
import { expectationScore, unexpectedShare, type ExpectationResult } from './expectation-result.type';
import { MAX_EXAMPLES, type FailingExample } from './observation.types';
import type { QualityDimension } from './quality-dimension.type';

export const EXTERNAL_SOURCES = ['contract', 'domain_rule', 'row_conservation', 'dbt_test'] as const;
export type ExternalSource = (typeof EXTERNAL_SOURCES)[number];

/** Shaped like the ledger's check result (name, passed, blocking, message) plus optional row counts. */
export interface ExternalCheck {
  readonly source: ExternalSource;
  /** A rule code ('CONTRACT.INVALID_ZIP'), a check name ('row_conservation') or a dbt test name ('not_null_dim_customer_customer_id'). */
  readonly name: string;
  readonly asset: string;
  readonly passed: boolean;
  readonly blocking: boolean;
  readonly evaluated?: number;
  readonly failed?: number;
  readonly message?: string;
  /** Overrides the mapped dimension. */
  readonly dimension?: QualityDimension;
  /** Defaults to 1. */
  readonly weight?: number;
  readonly observed?: number | string | null;
  readonly examples?: readonly FailingExample[];
}

/** dbt's generic tests (and dbt_utils / dbt_expectations names) by what they measure; the first match wins. */
const DBT_TEST_DIMENSIONS: ReadonlyArray<readonly [RegExp, QualityDimension]> = [
  [/not_null|not_empty|null_proportion/, 'completeness'],
  [/unique/, 'uniqueness'],
  [/relationships|equal_rowcount|equality|expression_is_true|cardinality_equality/, 'consistency'],
  [/recency|freshness/, 'timeliness'],
  [/accepted_values|accepted_range|match_regex|values_in_set|between/, 'validity'],
];

const SOURCE_DIMENSION: Readonly<Record<ExternalSource, QualityDimension>> = {
  contract: 'validity',
  domain_rule: 'consistency',
  row_conservation: 'completeness',
  dbt_test: 'validity',
};

/** Contract rules check formats (validity); domain rules, business invariants (consistency); row conservation, that nothing is lost (completeness); dbt tests by test name. */
export function dimensionForExternal(source: ExternalSource, name: string): QualityDimension {
  if (source === 'dbt_test') {
    const lower = name.toLowerCase();
    for (const [pattern, dimension] of DBT_TEST_DIMENSIONS) if (pattern.test(lower)) return dimension;
  }
  return SOURCE_DIMENSION[source];
}

function checkCounts(check: ExternalCheck): { evaluated: number | null; failed: number | null } {
  const { evaluated, failed } = check;
  if (evaluated === undefined || failed === undefined) return { evaluated: evaluated ?? null, failed: null };
  if (![evaluated, failed].every((n) => Number.isSafeInteger(n) && n >= 0) || failed > evaluated) {
    throw new RangeError(
      `external check '${check.name}' of ${check.asset}: counts must be non-negative integers with failed ≤ evaluated, got ${failed}/${evaluated}`,
    );
  }
  return { evaluated, failed };
}

/** Scored by rows when both counts are given (1 − failed/evaluated), else 0/1; blocking maps to severity 'block'. */
export function fromExternalCheck(check: ExternalCheck): ExpectationResult {
  const { evaluated, failed } = checkCounts(check);
  const weight = check.weight ?? 1;
  if (!(weight > 0)) throw new RangeError(`external check '${check.name}' of ${check.asset}: weight must be > 0, got ${weight}`);
  // A check that says it failed with 0 failed rows still failed: score it 0/1 rather than 1.
  const rowScored = failed !== null && failed > 0 === !check.passed;
  return {
    expectationId: `${check.source}:${check.name}`,
    asset: check.asset,
    kind: 'external',
    dimension: check.dimension ?? dimensionForExternal(check.source, check.name),
    severity: check.blocking ? 'block' : 'warn',
    weight,
    passed: check.passed,
    evaluated,
    failed,
    observed: check.observed ?? failed,
    unexpectedShare: unexpectedShare(evaluated, failed),
    score: rowScored ? expectationScore(check.passed, evaluated, failed) : check.passed ? 1 : 0,
    message: check.message ?? (check.passed ? 'passed' : 'failed'),
    examples: (check.examples ?? []).slice(0, MAX_EXAMPLES),
  };
}
