// The six quality dimensions an expectation measures, and the two severities of a failure.
export const QUALITY_DIMENSIONS = ['completeness', 'validity', 'uniqueness', 'consistency', 'accuracy', 'timeliness'] as const;
export type QualityDimension = (typeof QUALITY_DIMENSIONS)[number];

/** warn: reported and scored; block: a failure stops the asset's dependants. */
export const SEVERITIES = ['warn', 'block'] as const;
export type Severity = (typeof SEVERITIES)[number];
