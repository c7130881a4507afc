// Quality rule codes: why a suite definition is rejected and why the SLA policy warns or blocks.
export const QUALITY_RULES = {
  INVALID_SUITE: 'QUALITY.INVALID_SUITE',
  BLOCKING_EXPECTATION_FAILED: 'QUALITY.BLOCKING_EXPECTATION_FAILED',
  EXPECTATION_WARNED: 'QUALITY.EXPECTATION_WARNED',
  OVERALL_BELOW_SLA: 'QUALITY.OVERALL_BELOW_SLA',
  ASSET_BELOW_FLOOR: 'QUALITY.ASSET_BELOW_FLOOR',
  NO_RESULTS: 'QUALITY.NO_RESULTS',
} as const;

export type QualityRuleCode = (typeof QUALITY_RULES)[keyof typeof QUALITY_RULES];

/** Same shape as shared DomainError; the shared ErrorNamespace does not list QUALITY, so the code type is local. */
export interface QualityError {
  readonly code: QualityRuleCode;
  readonly message: string;
}
