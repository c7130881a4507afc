// Public API of the quality context: expectations and their builders, suite parsing, observations, judge, scores, SLA, comparison, external checks.
export { QUALITY_DIMENSIONS, SEVERITIES, type QualityDimension, type Severity } from './quality-dimension.type';
export {
  EXPECTATION_KINDS,
  ROW_LEVEL_KINDS,
  DEFAULT_DIMENSION,
  PAIR_OPERATORS,
  isRowLevel,
  referencedColumns,
  type Expectation,
  type ExpectationKind,
  type ExpectationBase,
  type RowLevelKind,
  type ColumnRef,
  type FilteredColumnRef,
  type Scalar,
  type PairOperator,
  type DriftStatistic,
  type NotNull,
  type Unique,
  type InSet,
  type Between,
  type Matches,
  type RowCountBetween,
  type ColumnPair,
  type Referential,
  type SumEquals,
  type Freshness,
  type Drift,
} from './expectation.types';
export { expect, type ExpectationOptions } from './expectation.builders';
export { allowedDifference, withinTolerance, describeTolerance, type Tolerance } from './tolerance.value-object';
export { expectationSchema, suiteSchema, parseSuite, type Suite } from './suite.schema';
export {
  MAX_EXAMPLES,
  type FailingExample,
  type Observation,
  type ObservationFor,
  type ObservationByKind,
  type RowObservation,
  type RowCountObservation,
  type ReconciliationObservation,
  type FreshnessObservation,
  type DriftObservation,
} from './observation.types';
export { expectationScore, type ExpectationResult } from './expectation-result.type';
export { WHOLE_SCORED_KINDS, storedResultScore } from './stored-result-score';
export { judge } from './expectation.judge';
export { observeRows, type Row, type ObserveContext } from './row-observation.service';
export { scoreResults, type QualityScores, type ScoreCell } from './quality-score.service';
export {
  DEFAULT_SLA_POLICY,
  resolveSlaPolicy,
  decideSla,
  type SlaPolicy,
  type SlaDecision,
  type SlaReason,
  type SlaVerdict,
} from './sla.policy';
export { compareScores, type ScoreComparison, type ScoreDelta } from './score-comparison.service';
export {
  EXTERNAL_SOURCES,
  dimensionForExternal,
  fromExternalCheck,
  type ExternalCheck,
  type ExternalSource,
} from './external-check.adapter';
export { QUALITY_RULES, type QualityRuleCode, type QualityError } from './quality.errors';
export { RULES_VERSION } from './quality.rules-version';
